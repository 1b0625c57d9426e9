package org.sparkmnist.data;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** Writes images in the idx3 format, so that tools that read MNIST can read what the job saves. */
public final class IdxWriter {

    private IdxWriter() {
    }

    /** The images {@code indices} of {@code images}, in that order. */
    public static void images(IdxImages images, int[] indices, OutputStream out) throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        data.writeInt(IdxReader.IMAGES_MAGIC);
        data.writeInt(indices.length);
        data.writeInt(images.rows());
        data.writeInt(images.cols());
        int size = images.pixelsPerImage();
        for (int index : indices) {
            data.write(images.pixels(), index * size, size);
        }
        data.flush();
    }
}
