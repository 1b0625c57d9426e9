package org.sparkmnist.testing;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSInputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.security.AccessControlException;

/**
 * The local disk seen through a filesystem that fails the way remote ones do, so the job's answer
 * to each failure can be tested through its entry point in milliseconds. The URI's authority names
 * the failure, its path the local file: {@code flaky://refused/tmp/mnist} is {@code /tmp/mnist} on a
 * server that refuses connections. Registered for the scheme {@code flaky} in the tests'
 * META-INF/services, where Hadoop looks for filesystems.
 *
 * <ul>
 *   <li>{@code refused}: every call fails as a NameNode that is down does (ConnectException);</li>
 *   <li>{@code closed}: every call fails as a FileSystem closed under the job does;</li>
 *   <li>{@code timeout}: files open, then reads time out after {@link #TIMEOUT_AFTER} bytes;</li>
 *   <li>{@code denied}: files are listed but opening one is refused, as HDFS refuses a user without read permission.</li>
 * </ul>
 */
public final class FlakyFileSystem extends PassThroughFileSystem {

    public static final String SCHEME = "flaky";
    /** Bytes a {@code timeout} file gives before its read times out: past any idx header, short of any body. */
    public static final int TIMEOUT_AFTER = 100;

    public FlakyFileSystem() {
        super(SCHEME);
    }

    /** {@code local} (an absolute local path) as seen through the failure {@code fault}. */
    public static String uri(String fault, java.nio.file.Path local) {
        return SCHEME + "://" + fault + local.toAbsolutePath();
    }

    /**
     * Every call of the {@code refused} and {@code closed} filesystems fails here, on its way to the
     * disk, as one to a NameNode that is down or to a closed filesystem does.
     */
    @Override
    protected Path in(Path path) throws IOException {
        switch (String.valueOf(getUri().getAuthority())) {
            case "refused" -> throw new ConnectException("Call to " + getUri() + " failed on connection exception: Connection refused");
            case "closed" -> throw new IOException("Filesystem closed");
            default -> {
                return super.in(path);
            }
        }
    }

    @Override
    public FSDataInputStream open(Path path, int bufferSize) throws IOException {
        FSDataInputStream in = super.open(path, bufferSize);
        switch (String.valueOf(getUri().getAuthority())) {
            case "denied" -> {
                in.close();
                throw new AccessControlException("Permission denied: user=test, access=READ, inode=\"" + path.toUri().getPath() + "\"");
            }
            case "timeout" -> {
                return new FSDataInputStream(new TimingOut(in));
            }
            default -> {
                return in;
            }
        }
    }

    /** A file whose reads time out once {@link #TIMEOUT_AFTER} bytes have been read. */
    private static final class TimingOut extends FSInputStream {

        private final FSDataInputStream in;

        TimingOut(FSDataInputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            timeOutAtTheLimit();
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            timeOutAtTheLimit();
            return in.read(b, off, (int) Math.min(len, TIMEOUT_AFTER - in.getPos()));
        }

        private void timeOutAtTheLimit() throws IOException {
            if (in.getPos() >= TIMEOUT_AFTER) {
                throw new SocketTimeoutException("60000 millis timeout while waiting for channel to be ready for read");
            }
        }

        @Override
        public void seek(long pos) throws IOException {
            in.seek(pos);
        }

        @Override
        public long getPos() throws IOException {
            return in.getPos();
        }

        @Override
        public boolean seekToNewSource(long targetPos) {
            return false;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
