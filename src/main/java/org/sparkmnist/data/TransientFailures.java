package org.sparkmnist.data;

import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.List;
import java.util.zip.ZipException;
import org.apache.hadoop.fs.ChecksumException;
import org.apache.hadoop.fs.ParentNotDirectoryException;
import org.apache.hadoop.fs.PathIOException;
import org.apache.hadoop.fs.UnsupportedFileSystemException;
import org.apache.hadoop.ipc.RemoteException;
import org.apache.hadoop.security.AccessControlException;

/**
 * Tells a read failure a retry may fix from one it cannot. A scheduler retries a job that exits 1
 * and gives up on one that exits 2, so an {@link IOException} about the input itself (a file or
 * directory that is missing, not readable by this user, of the wrong kind, or whose bytes are
 * wrong, or a URI scheme no filesystem serves) is bad input, and any other (a refused connection,
 * a timeout, a closed filesystem, a NameNode in safe mode) is transient. Unknown failures count
 * as transient: a needless retry costs minutes, a missed one a night's run.
 */
public final class TransientFailures {

    /** Failures about the input that no retry changes; their subclasses included. */
    private static final List<Class<? extends IOException>> ABOUT_THE_INPUT = List.of(
            FileNotFoundException.class, NoSuchFileException.class, NotDirectoryException.class, ParentNotDirectoryException.class,
            PathIOException.class, AccessDeniedException.class, AccessControlException.class, UnsupportedFileSystemException.class,
            EOFException.class, ZipException.class, ChecksumException.class);

    private TransientFailures() {
    }

    public static boolean isTransient(IOException failure) {
        // HDFS reports the NameNode's exceptions wrapped; the class it names is what happened.
        IOException cause = failure instanceof RemoteException remote ? remote.unwrapRemoteException() : failure;
        return ABOUT_THE_INPUT.stream().noneMatch(kind -> kind.isInstance(cause));
    }
}
