"""The files of one finished spark-mnist run, on a local disk or on HDFS, for the results notebook.

A run is named as the job's output.dir names places, plus WebHDFS's own scheme:

    runs/20250101-120000                      a local path (or a file: URI)
    hdfs://namenode:8020/runs/r1              HDFS, as the job and the Airflow DAG write it
    hdfs:///runs/r1                           the same, on the cluster of fs.defaultFS
    webhdfs://namenode:9870/runs/r1           HDFS at the NameNode's HTTP address, given outright

HDFS is read over WebHDFS, the NameNode's REST interface, through fsspec's client: no Hadoop client,
JVM or native library is needed beside the notebook. An hdfs:// URI carries the NameNode's RPC port,
so its HTTP address is taken from the Hadoop client configuration in $HADOOP_CONF_DIR, the one
spark-submit uses for that cluster: the URI's host (fs.defaultFS's in core-site.xml when the URI has
none) with the port of dfs.namenode.http-address in hdfs-site.xml, else Hadoop 3's default port.
Reads are anonymous (WebHDFS's static user), which runs written under HDFS's default umask (022)
allow.

Every failure is an UnreadableRun whose message is one line naming the run and what is wrong.
"""

import io
import os
import posixpath
import xml.etree.ElementTree as ElementTree
from urllib.parse import urlsplit

import requests
from fsspec.implementations.local import LocalFileSystem
from fsspec.implementations.webhdfs import WebHDFS

# Hadoop 3's default port of dfs.namenode.http-address, where WebHDFS answers.
NAMENODE_HTTP_PORT = 9870
HTTP_ADDRESS_KEY = "dfs.namenode.http-address"
DEFAULT_FS_KEY = "fs.defaultFS"


class UnreadableRun(Exception):
    """A run that cannot be opened or read; the message names it and says why, on one line."""


class MissingRunFile(UnreadableRun):
    """A file the run does not have."""


class RunFiles:
    """Reads the files of one run directory by their names inside it, such as "mlp/metrics.csv"."""

    def __init__(self, location: str, fs, root: str, via: str = ""):
        # The run as the user named it (a local path made absolute), and how it is reached.
        self.location = location
        self.via = via
        self._fs = fs
        self._root = root

    def __str__(self) -> str:
        return self.location + self.via

    def read_bytes(self, name: str) -> bytes:
        """The whole file: a run's tables and images are small, and one read keeps one place for errors."""
        try:
            return self._fs.cat_file(posixpath.join(self._root, name))
        except FileNotFoundError:
            raise MissingRunFile(f"{self}: it has no {name}") from None
        except IsADirectoryError:
            raise UnreadableRun(f"{self}: {name} is a directory, expected a file") from None
        except PermissionError as e:
            raise UnreadableRun(f"{self}: reading {name} was refused: {one_line(e)}") from None
        except requests.ConnectionError as e:
            raise UnreadableRun(f"{self}: no answer from WebHDFS: {network_reason(e)}") from None
        except (requests.RequestException, RuntimeError, ValueError, OSError) as e:
            raise UnreadableRun(f"{self}: reading {name} failed: {one_line(e)}") from None

    def read_text(self, name: str) -> str:
        return self.read_bytes(name).decode("utf-8")

    def open(self, name: str) -> io.BytesIO:
        """The file as a binary stream, for readers such as pandas.read_csv."""
        return io.BytesIO(self.read_bytes(name))


def open_run(location: str) -> RunFiles:
    """The run at `location` (a path, file:, hdfs:// or webhdfs:// URI), checked to hold summary.json."""
    parts = urlsplit(location)
    scheme = parts.scheme.lower()
    if scheme in ("", "file"):
        path = os.path.abspath(parts.path if scheme else location)
        run = RunFiles(path, LocalFileSystem(), path)
    elif scheme in ("hdfs", "webhdfs"):
        run = _on_hdfs(location, scheme, parts)
    else:
        raise UnreadableRun(f"{location}: cannot open {scheme}: URIs; expected a local path, "
                            "hdfs://namenode:port/path or webhdfs://namenode:http-port/path")
    try:
        run.read_bytes("summary.json")
    except MissingRunFile:
        raise UnreadableRun(f"{run} is not a run directory: it has no summary.json") from None
    return run


def _on_hdfs(location: str, scheme: str, parts) -> RunFiles:
    host, uri_port = parts.hostname, _port(location, parts)
    if scheme == "hdfs" and not host:
        host = _default_fs_host(location)
    if not host:
        raise UnreadableRun(f"{location}: no NameNode host; expected {scheme}://namenode:port/path")
    # An hdfs:// URI carries the NameNode's RPC port; WebHDFS answers on its HTTP port.
    port = uri_port if scheme == "webhdfs" and uri_port else _namenode_http_port(location)
    fs = WebHDFS(host, port=port)
    return RunFiles(location, fs, parts.path or "/", f" (over WebHDFS at http://{host}:{port})")


def _port(location: str, parts):
    try:
        return parts.port
    except ValueError:
        raise UnreadableRun(f"{location}: its port is not a number") from None


def _default_fs_host(location: str) -> str:
    """The host of fs.defaultFS in $HADOOP_CONF_DIR/core-site.xml, for hdfs:///path."""
    site, conf = _hadoop_conf(location, "core-site.xml")
    default_fs = urlsplit(conf.get(DEFAULT_FS_KEY, ""))
    if default_fs.scheme != "hdfs" or not default_fs.hostname:
        found = (f"{DEFAULT_FS_KEY} in {site} is {conf[DEFAULT_FS_KEY]!r}" if DEFAULT_FS_KEY in conf
                 else f"no {DEFAULT_FS_KEY} in $HADOOP_CONF_DIR/core-site.xml")
        raise UnreadableRun(f"{location}: no NameNode host, and {found}; expected hdfs://namenode:port/path")
    return default_fs.hostname


def _namenode_http_port(location: str) -> int:
    """The port of dfs.namenode.http-address in $HADOOP_CONF_DIR/hdfs-site.xml, else Hadoop 3's default."""
    site, conf = _hadoop_conf(location, "hdfs-site.xml")
    address = conf.get(HTTP_ADDRESS_KEY)
    if not address:
        return NAMENODE_HTTP_PORT
    port = address.rpartition(":")[2]
    if not port.isdigit():
        raise UnreadableRun(f"{location}: {HTTP_ADDRESS_KEY} in {site} is {address!r}, expected host:port")
    return int(port)


def _hadoop_conf(location: str, name: str):
    """The file `name` in $HADOOP_CONF_DIR and its properties, or (None, {}) when there is none."""
    conf_dir = os.environ.get("HADOOP_CONF_DIR")
    site = os.path.join(conf_dir, name) if conf_dir else None
    if not site or not os.path.isfile(site):
        return None, {}
    try:
        properties = ElementTree.parse(site).getroot().iter("property")
    except ElementTree.ParseError as e:
        raise UnreadableRun(f"{location}: {site} is not Hadoop configuration XML: {e}") from None
    return site, {p.findtext("name", "").strip(): p.findtext("value", "").strip() for p in properties}


def one_line(error: BaseException) -> str:
    """An exception's message on one line (WebHDFS's RemoteException messages can span several)."""
    return " ".join(str(error).split()) or type(error).__name__


def network_reason(error: BaseException) -> str:
    """The operating system's reason deep inside a requests error ("Connection refused"), else its message."""
    cause, seen = error, set()
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        if isinstance(cause, OSError) and cause.strerror:
            return cause.strerror
        cause = cause.__cause__ or cause.__context__
    return one_line(error)
