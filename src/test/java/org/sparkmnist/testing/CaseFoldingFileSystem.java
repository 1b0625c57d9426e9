package org.sparkmnist.testing;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.DelegateToFileSystem;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;

/**
 * A local directory seen as macOS and Windows filesystems show theirs, for the scheme {@code nocase}:
 * case-preserving and case-insensitive. Each name in a path is looked up ignoring case, so {@code
 * Exp1} and {@code exp1} are one directory, shown with the case it was created with. The machines
 * the tests run on mount no such filesystem (this kernel has no casefold support).
 */
public final class CaseFoldingFileSystem extends FileSystem {

    public static final String SCHEME = "nocase";

    private final RawLocalFileSystem inner = new RawLocalFileSystem();
    private URI uri;

    /** A configuration whose {@code nocase:///path} is the local {@code /path}, ignoring case. */
    public static Configuration over(Configuration base) {
        Configuration conf = new Configuration(base);
        conf.set("fs." + SCHEME + ".impl", CaseFoldingFileSystem.class.getName());
        conf.setBoolean("fs." + SCHEME + ".impl.disable.cache", true);
        conf.set("fs.AbstractFileSystem." + SCHEME + ".impl", CaseFoldingFs.class.getName());
        return conf;
    }

    @Override
    public void initialize(URI name, Configuration conf) throws IOException {
        super.initialize(name, conf);
        setConf(conf);
        inner.initialize(URI.create("file:///"), conf);
        uri = URI.create(SCHEME + ":///");
    }

    @Override
    public String getScheme() {
        return SCHEME;
    }

    @Override
    public URI getUri() {
        return uri;
    }

    /** The local path an existing entry has, each name matched ignoring case; a missing tail is kept as asked. */
    private Path in(Path path) throws IOException {
        String[] names = makeQualified(path).toUri().getPath().split("/");
        Path at = new Path("file:///");
        for (String name : names) {
            if (name.isEmpty()) {
                continue;
            }
            Path next = new Path(at, name);
            if (inner.isDirectory(at)) {
                for (FileStatus child : inner.listStatus(at)) {
                    if (child.getPath().getName().equalsIgnoreCase(name)) {
                        next = new Path(at, child.getPath().getName());
                        break;
                    }
                }
            }
            at = next;
        }
        return at;
    }

    private Path out(Path local) {
        return new Path(SCHEME, null, local.toUri().getPath());
    }

    private FileStatus out(FileStatus s) {
        return new FileStatus(s.getLen(), s.isDirectory(), s.getReplication(), s.getBlockSize(), s.getModificationTime(),
                s.getAccessTime(), s.getPermission(), s.getOwner(), s.getGroup(), out(s.getPath()));
    }

    @Override
    public FSDataInputStream open(Path path, int bufferSize) throws IOException {
        return inner.open(in(path), bufferSize);
    }

    @Override
    public FSDataOutputStream create(Path path, FsPermission permission, boolean overwrite, int bufferSize, short replication,
                                     long blockSize, Progressable progress) throws IOException {
        return inner.create(in(path), permission, overwrite, bufferSize, replication, blockSize, progress);
    }

    @Override
    public FSDataOutputStream append(Path path, int bufferSize, Progressable progress) throws IOException {
        throw new IOException("not needed");
    }

    @Override
    public boolean rename(Path source, Path target) throws IOException {
        Path to = in(target);
        if (inner.exists(to)) {
            throw new org.apache.hadoop.fs.FileAlreadyExistsException(target + " exists");
        }
        return inner.rename(in(source), to);
    }

    @Override
    public boolean delete(Path path, boolean recursive) throws IOException {
        return inner.delete(in(path), recursive);
    }

    @Override
    public boolean mkdirs(Path path, FsPermission permission) throws IOException {
        return inner.mkdirs(in(path), permission);
    }

    @Override
    public void setTimes(Path path, long mtime, long atime) throws IOException {
        inner.setTimes(in(path), mtime, atime);
    }

    @Override
    public FileStatus[] listStatus(Path path) throws IOException {
        FileStatus[] statuses = inner.listStatus(in(path));
        FileStatus[] translated = new FileStatus[statuses.length];
        for (int i = 0; i < statuses.length; i++) {
            translated[i] = out(statuses[i]);
        }
        return translated;
    }

    @Override
    public FileStatus getFileStatus(Path path) throws IOException {
        Path local = in(path);
        if (!inner.exists(local)) {
            throw new FileNotFoundException(path + " does not exist");
        }
        return out(inner.getFileStatus(local));
    }

    @Override
    public void setWorkingDirectory(Path dir) {
    }

    @Override
    public Path getWorkingDirectory() {
        return new Path(uri);
    }

    /** The same filesystem for FileContext, which the run store creates, renames and removes through here. */
    public static final class CaseFoldingFs extends DelegateToFileSystem {
        public CaseFoldingFs(URI uri, Configuration conf) throws IOException, URISyntaxException {
            super(uri, new CaseFoldingFileSystem(), conf, SCHEME, false);
        }
    }
}
