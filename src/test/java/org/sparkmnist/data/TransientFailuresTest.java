package org.sparkmnist.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.file.AccessDeniedException;
import java.util.stream.Stream;
import java.util.zip.ZipException;
import org.apache.hadoop.fs.PathNotFoundException;
import org.apache.hadoop.fs.UnsupportedFileSystemException;
import org.apache.hadoop.ipc.RemoteException;
import org.apache.hadoop.ipc.RetriableException;
import org.apache.hadoop.security.AccessControlException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which read failures a retry may fix, as HDFS and the local disk report them. */
class TransientFailuresTest {

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of(new FileNotFoundException("File /data/mnist/x does not exist"), false),
                Arguments.of(new FileNotFoundException("/data/mnist/x (Permission denied)"), false),
                Arguments.of(new AccessDeniedException("/data/mnist/x"), false),
                Arguments.of(new AccessControlException("Permission denied: user=u, access=READ"), false),
                Arguments.of(new PathNotFoundException("/data/mnist"), false),
                Arguments.of(new UnsupportedFileSystemException("No FileSystem for scheme \"hfds\""), false),
                Arguments.of(new EOFException(), false),
                Arguments.of(new ZipException("invalid stored block lengths"), false),
                Arguments.of(new RemoteException(AccessControlException.class.getName(), "Permission denied"), false),
                Arguments.of(new RemoteException(FileNotFoundException.class.getName(), "File does not exist"), false),
                Arguments.of(new ConnectException("Connection refused"), true),
                Arguments.of(new SocketTimeoutException("Read timed out"), true),
                Arguments.of(new IOException("Filesystem closed"), true),
                Arguments.of(new RemoteException(RetriableException.class.getName(), "NameNode still not started"), true),
                Arguments.of(new IOException("anything not known to be about the input"), true));
    }

    @ParameterizedTest(name = "{0} transient: {1}")
    @MethodSource("failures")
    void onlyFailuresAboutTheInputAreFinal(IOException failure, boolean isTransient) {
        assertEquals(isTransient, TransientFailures.isTransient(failure));
    }
}
