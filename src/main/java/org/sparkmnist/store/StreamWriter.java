package org.sparkmnist.store;

import java.io.IOException;
import java.io.OutputStream;

/** Writes one file's content; the run store opens and closes the stream. */
@FunctionalInterface
public interface StreamWriter {
    void writeTo(OutputStream out) throws IOException;
}
