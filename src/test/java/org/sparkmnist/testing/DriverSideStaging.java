package org.sparkmnist.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.sparkmnist.data.Encoding;
import org.sparkmnist.data.IdxImages;
import org.sparkmnist.data.IdxLabels;
import org.sparkmnist.staging.MinibatchFormat;

/**
 * The job's first way of staging, unchanged: every minibatch written by the driver from the images
 * in its memory. It is the reference the Spark staging (MinibatchStager) must match byte for byte,
 * being the simplest possible statement of what a staged split is.
 */
public final class DriverSideStaging {

    private final Configuration hadoop;
    private final Encoding encoding;

    public DriverSideStaging(Configuration hadoop, Encoding encoding) {
        this.hadoop = hadoop;
        this.encoding = encoding;
    }

    /** Writes {@code indices} as minibatches of {@code batchSize} under {@code dir}; returns their URIs in order. */
    public List<String> write(IdxImages images, IdxLabels labels, int[] indices, int batchSize, Path dir) throws IOException {
        FileSystem fs = dir.getFileSystem(hadoop);
        // Checksum side files double the file count on local disks and protect nothing we cannot rebuild.
        fs.setWriteChecksum(false);
        fs.mkdirs(dir);
        List<String> paths = new ArrayList<>();
        for (int from = 0, batch = 0; from < indices.length; from += batchSize, batch++) {
            int to = Math.min(indices.length, from + batchSize);
            Path file = new Path(dir, String.format("batch-%06d.bin", batch));
            try (OutputStream out = fs.create(file, true)) {
                MinibatchFormat.write(images.gather(indices, from, to), labels.gather(indices, from, to), to - from,
                        images.pixelsPerImage(), encoding, out);
            }
            paths.add(fs.makeQualified(file).toString());
        }
        return paths;
    }
}
