package org.sparkmnist.testing;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.DelegateToFileSystem;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.hdfs.DistributedFileSystem;
import org.apache.hadoop.util.Progressable;

/**
 * A Hadoop filesystem for the scheme {@code faulty://} that passes everything through to a real one
 * (a local disk or HDFS, {@code faulty.inner}) and fails or kills the JVM at one chosen change:
 * the n-th create, mkdir, rename, delete or time change made by the thread that armed it, before it,
 * after it, or (a create) in the middle of writing. The code under test runs unchanged; it only sees
 * another filesystem. Registered for FileContext too, which the run store renames through on
 * filesystems other than a local disk and HDFS.
 */
public final class FaultyFileSystem extends PassThroughFileSystem {

    public static final String SCHEME = "faulty";
    /** The exit status of a JVM this filesystem killed. */
    public static final int HALTED = 137;

    /** What happens at the chosen change. */
    public enum Fault {
        FAIL_BEFORE, FAIL_AFTER, HALT_BEFORE, HALT_DURING, HALT_AFTER;

        boolean halts() {
            return name().startsWith("HALT");
        }
    }

    private static final AtomicInteger CHANGES = new AtomicInteger();
    private static final List<String> SEEN = Collections.synchronizedList(new ArrayList<>());
    private static volatile Thread armedBy;
    private static volatile int target;
    private static volatile Fault fault;

    public FaultyFileSystem() {
        super(SCHEME);
    }

    /** A configuration whose {@code faulty:///path} is {@code inner}'s {@code /path}. */
    public static Configuration over(URI inner, Configuration base) {
        Configuration conf = register(base, SCHEME, FaultyFileSystem.class, FaultyFs.class);
        conf.set("faulty.inner", inner.toString());
        return conf;
    }

    /** From now on, counts this thread's changes and applies {@code fault} at change {@code n} (1-based; 0: never). */
    public static void arm(int n, Fault fault) {
        CHANGES.set(0);
        SEEN.clear();
        FaultyFileSystem.target = n;
        FaultyFileSystem.fault = fault;
        armedBy = Thread.currentThread();
    }

    public static void disarm() {
        armedBy = null;
    }

    /** The changes counted since {@link #arm}, described, in order. */
    public static List<String> changes() {
        synchronized (SEEN) {
            return List.copyOf(SEEN);
        }
    }

    /** The filesystem of {@code faulty.inner}; on a local disk its raw filesystem, which the run store uses there. */
    @Override
    protected FileSystem innerFileSystem(Configuration conf) throws IOException {
        FileSystem real = FileSystem.get(URI.create(conf.get("faulty.inner")), conf);
        return real instanceof LocalFileSystem local ? local.getRawFileSystem() : real;
    }

    @FunctionalInterface
    private interface Change<T> {
        T apply() throws IOException;
    }

    /** Runs one change, applying the armed fault if this is the chosen one. */
    private static <T> T change(String what, Change<T> change) throws IOException {
        int n = Thread.currentThread() == armedBy ? CHANGES.incrementAndGet() : -1;
        if (n > 0) {
            SEEN.add(what);
        }
        boolean chosen = n == target;
        if (chosen && (fault == Fault.FAIL_BEFORE)) {
            throw new IOException("injected failure before " + what);
        }
        if (chosen && fault == Fault.HALT_BEFORE) {
            halt();
        }
        T result = change.apply();
        if (chosen && !what.startsWith("create ")) {
            after(what);
        }
        return result;
    }

    private static void after(String what) throws IOException {
        if (fault == Fault.FAIL_AFTER) {
            throw new IOException("injected failure after " + what);
        }
        if (fault == Fault.HALT_AFTER || fault == Fault.HALT_DURING) {
            halt();
        }
    }

    private static void halt() {
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(HALTED);
    }

    @Override
    public FSDataOutputStream create(Path path, FsPermission permission, boolean overwrite, int bufferSize, short replication,
                                     long blockSize, Progressable progress) throws IOException {
        String what = "create " + path.toUri().getPath();
        boolean chosen = Thread.currentThread() == armedBy && CHANGES.get() + 1 == target;
        FSDataOutputStream real = change(what, () -> super.create(path, permission, overwrite, bufferSize, replication, blockSize,
                progress));
        if (!chosen) {
            return real;
        }
        // The fault of a create applies to its content: half written, or after the file is closed.
        return new FSDataOutputStream(new FilterOutputStream(real) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (fault == Fault.HALT_DURING) {
                    real.write(b, off, Math.max(1, len / 2));
                    real.hflush();
                    halt();
                }
                real.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                real.close();
                after(what);
            }
        }, null);
    }

    @Override
    public boolean rename(Path source, Path target) throws IOException {
        return change("rename " + source.toUri().getPath() + " -> " + target.toUri().getPath(), () -> {
            if (inner() instanceof DistributedFileSystem hdfs) {
                hdfs.rename(in(source), in(target), Options.Rename.NONE);
                return true;
            }
            if (!super.rename(source, target)) {
                throw new IOException("cannot rename " + source + " to " + target);
            }
            return true;
        });
    }

    @Override
    public boolean delete(Path path, boolean recursive) throws IOException {
        return change("delete " + path.toUri().getPath(), () -> super.delete(path, recursive));
    }

    @Override
    public boolean mkdirs(Path path, FsPermission permission) throws IOException {
        return change("mkdirs " + path.toUri().getPath(), () -> super.mkdirs(path, permission));
    }

    @Override
    public void setTimes(Path path, long mtime, long atime) throws IOException {
        change("touch " + path.toUri().getPath(), () -> {
            super.setTimes(path, mtime, atime);
            return null;
        });
    }

    /** The same filesystem for FileContext (the store renames through FileContext.rename(..., Options.Rename.NONE) here). */
    public static final class FaultyFs extends DelegateToFileSystem {
        public FaultyFs(URI uri, Configuration conf) throws IOException, URISyntaxException {
            super(uri, new FaultyFileSystem(), conf, SCHEME, false);
        }
    }
}
