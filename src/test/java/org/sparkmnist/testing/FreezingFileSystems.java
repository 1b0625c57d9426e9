package org.sparkmnist.testing;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.hdfs.DistributedFileSystem;

/**
 * The local and HDFS filesystems as they are, except that a driver stops itself with SIGSTOP right
 * after its main thread first renews its run lock: the renewal the commit makes to verify its lease,
 * its last check before it starts changing the output. Once continued, its other threads (the lock's
 * renewal) are held back from the filesystem for a few seconds: the interleaving in which a driver
 * that only checks in memory learns too late that it lost its lease. Put in place for one driver by
 * a core-site.xml ({@link #coreSite}) first on its classpath; everything else is the real filesystem.
 */
public final class FreezingFileSystems {

    private static final AtomicBoolean FROZEN = new AtomicBoolean();
    private static final long HOLD_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** Until when (System.nanoTime) threads other than main wait before reading the filesystem. */
    private static volatile long holdOthersUntil = Long.MIN_VALUE;

    private FreezingFileSystems() {
    }

    /** A core-site.xml that puts these filesystems in place of file:// and hdfs://. */
    public static String coreSite() {
        return "<?xml version=\"1.0\"?>\n<configuration>\n"
                + "  <property><name>fs.file.impl</name><value>" + Local.class.getName() + "</value></property>\n"
                + "  <property><name>fs.hdfs.impl</name><value>" + Hdfs.class.getName() + "</value></property>\n"
                + "</configuration>\n";
    }

    private static void afterTouch(Path path) throws IOException {
        if (Thread.currentThread().getName().equals("main") && path.getName().matches("lock(-[0-9]+)?") && FROZEN.compareAndSet(false, true)) {
            long pid = ProcessHandle.current().pid();
            System.err.println("freezing pid " + pid + " after its main thread renewed " + path);
            System.err.flush();
            holdOthersUntil = Long.MAX_VALUE;
            try {
                new ProcessBuilder("kill", "-STOP", Long.toString(pid)).start().waitFor();
                // The stop takes effect before this returns; once continued, the driver goes on from here.
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            holdOthersUntil = System.nanoTime() + HOLD_NANOS;
        }
    }

    private static void holdIfNotMain() {
        while (!Thread.currentThread().getName().equals("main") && System.nanoTime() < holdOthersUntil) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** file:// */
    public static final class Local extends LocalFileSystem {
        public Local() {
            super(new Raw());
        }
    }

    /** The raw local filesystem under {@link Local}, which the run store uses. */
    public static final class Raw extends RawLocalFileSystem {
        @Override
        public FileStatus getFileStatus(Path path) throws IOException {
            holdIfNotMain();
            return super.getFileStatus(path);
        }

        @Override
        public FileStatus[] listStatus(Path path) throws IOException {
            holdIfNotMain();
            return super.listStatus(path);
        }

        @Override
        public FSDataInputStream open(Path path, int bufferSize) throws IOException {
            holdIfNotMain();
            return super.open(path, bufferSize);
        }

        @Override
        public void setTimes(Path path, long mtime, long atime) throws IOException {
            super.setTimes(path, mtime, atime);
            afterTouch(path);
        }
    }

    /** hdfs:// */
    public static final class Hdfs extends DistributedFileSystem {
        @Override
        public FileStatus getFileStatus(Path path) throws IOException {
            holdIfNotMain();
            return super.getFileStatus(path);
        }

        @Override
        public FileStatus[] listStatus(Path path) throws IOException {
            holdIfNotMain();
            return super.listStatus(path);
        }

        @Override
        public FSDataInputStream open(Path path, int bufferSize) throws IOException {
            holdIfNotMain();
            return super.open(path, bufferSize);
        }

        @Override
        public void setTimes(Path path, long mtime, long atime) throws IOException {
            super.setTimes(path, mtime, atime);
            afterTouch(path);
        }
    }
}
