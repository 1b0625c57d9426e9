package org.sparkmnist.testing;

import java.io.IOException;
import java.net.URI;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.AbstractFileSystem;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;

/**
 * A test filesystem of its own scheme over a real one: each of its paths stands for a path of the
 * inner filesystem ({@link #in}), each call is passed through, and what the inner filesystem answers
 * is shown back under this scheme. A subclass overrides only the calls it is about, and names the
 * inner filesystem if it is not the local disk. It is a FileSystem of its own rather than a subclass
 * of the inner one, so that the code under test sees a filesystem it has no shortcut for (the run
 * store goes straight to java.nio on a RawLocalFileSystem, and to HDFS's own calls on a
 * DistributedFileSystem).
 */
abstract class PassThroughFileSystem extends FileSystem {

    private final String scheme;
    private URI uri;
    private URI innerUri;
    private FileSystem inner;

    PassThroughFileSystem(String scheme) {
        this.scheme = scheme;
    }

    /**
     * {@code base} with {@code scheme} served by {@code fileSystem}, and by {@code fileContext} for
     * FileContext, which the run store renames through on filesystems other than a local disk and
     * HDFS. Not cached: each configuration reaches a filesystem of its own settings.
     */
    static Configuration register(Configuration base, String scheme, Class<? extends FileSystem> fileSystem,
                                  Class<? extends AbstractFileSystem> fileContext) {
        Configuration conf = new Configuration(base);
        conf.set("fs." + scheme + ".impl", fileSystem.getName());
        conf.setBoolean("fs." + scheme + ".impl.disable.cache", true);
        conf.set("fs.AbstractFileSystem." + scheme + ".impl", fileContext.getName());
        return conf;
    }

    /**
     * The real filesystem below this one, for the configuration this one is initialised with: here the
     * local disk, raw (no checksum files), as the run store uses it.
     */
    protected FileSystem innerFileSystem(Configuration conf) throws IOException {
        RawLocalFileSystem local = new RawLocalFileSystem();
        local.initialize(URI.create("file:///"), conf);
        return local;
    }

    @Override
    public void initialize(URI name, Configuration conf) throws IOException {
        super.initialize(name, conf);
        setConf(conf);
        uri = URI.create(scheme + "://" + (name.getAuthority() == null ? "/" : name.getAuthority()));
        inner = innerFileSystem(conf);
        innerUri = inner.getUri();
    }

    @Override
    public String getScheme() {
        return scheme;
    }

    @Override
    public URI getUri() {
        return uri;
    }

    protected final FileSystem inner() {
        return inner;
    }

    /** The inner filesystem's path for {@code path}: the same path, unless a subclass maps it otherwise. */
    protected Path in(Path path) throws IOException {
        return new Path(innerUri.getScheme(), innerUri.getAuthority(), makeQualified(path).toUri().getPath());
    }

    private Path out(Path innerPath) {
        return new Path(uri.getScheme(), uri.getAuthority(), innerPath.toUri().getPath());
    }

    /** {@code s}, a status the inner filesystem gave, with its path under this scheme. */
    protected final FileStatus out(FileStatus s) {
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
        throw new IOException(scheme + ": appending is not passed through; the code under test never appends");
    }

    @Override
    public boolean rename(Path source, Path target) throws IOException {
        return inner.rename(in(source), in(target));
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
        return out(inner.getFileStatus(in(path)));
    }

    /** Paths are absolute in every test: there is no working directory to change. */
    @Override
    public void setWorkingDirectory(Path dir) {
    }

    @Override
    public Path getWorkingDirectory() {
        return new Path(uri);
    }
}
