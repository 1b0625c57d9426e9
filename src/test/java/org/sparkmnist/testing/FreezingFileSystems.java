package org.sparkmnist.testing;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.hdfs.DistributedFileSystem;

/**
 * The local and HDFS filesystems as they are, except that a driver stops itself with SIGSTOP right
 * after its main thread first renews its run lock: the renewal the commit makes to verify its lease,
 * its last check before it starts changing the output. Put in place for one driver by a core-site.xml
 * ({@link #coreSite}) first on its classpath; everything else in it is the real filesystem.
 */
public final class FreezingFileSystems {

    private static final AtomicBoolean FROZEN = new AtomicBoolean();

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
            try {
                new ProcessBuilder("kill", "-STOP", Long.toString(pid)).start().waitFor();
                // The stop takes effect before this returns; once continued, the driver goes on from here.
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
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
        public void setTimes(Path path, long mtime, long atime) throws IOException {
            super.setTimes(path, mtime, atime);
            afterTouch(path);
        }
    }

    /** hdfs:// */
    public static final class Hdfs extends DistributedFileSystem {
        @Override
        public void setTimes(Path path, long mtime, long atime) throws IOException {
            super.setTimes(path, mtime, atime);
            afterTouch(path);
        }
    }
}
