package org.sparkmnist.data;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Shards a split into minibatch files on a filesystem every executor can read, once per run.
 * Training from file paths is the data path that scales: executors load only their own minibatches,
 * the driver never ships the dataset inside tasks, and nothing is re-serialized per epoch (see
 * PLATFORM.md for what the Export and Direct approaches cost instead).
 */
public final class MinibatchFiles {

    private final Configuration hadoop;
    private final int classes;
    private final boolean normalize;

    public MinibatchFiles(Configuration hadoop, int classes, boolean normalize) {
        this.hadoop = hadoop;
        this.classes = classes;
        this.normalize = normalize;
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
                MinibatchFormat.write(images, labels, indices, from, to, classes, normalize, out);
            }
            paths.add(fs.makeQualified(file).toString());
        }
        return paths;
    }
}
