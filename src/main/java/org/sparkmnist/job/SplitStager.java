package org.sparkmnist.job;

import java.io.IOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkmnist.data.MinibatchFiles;
import org.sparkmnist.data.MnistData;
import org.sparkmnist.data.MnistSplit;
import org.sparkmnist.output.RunDirectory;
import org.sparkmnist.training.StagedSplit;

/** Writes the training and validation minibatches into the run's scratch space on the output filesystem. */
final class SplitStager {

    private static final Logger LOG = LoggerFactory.getLogger(SplitStager.class);

    private final MinibatchFiles files;
    private final int batchSize;

    SplitStager(Configuration hadoop, int classes, boolean normalize, int batchSize) {
        this.files = new MinibatchFiles(hadoop, classes, normalize);
        this.batchSize = batchSize;
    }

    StagedSplit stage(MnistData data, MnistSplit split, RunDirectory run) throws IOException {
        long start = System.nanoTime();
        List<String> train = files.write(data.trainImages(), data.trainLabels(), split.train(), batchSize, run.scratch("train"));
        List<String> validation = files.write(data.trainImages(), data.trainLabels(), split.validation(), batchSize,
                run.scratch("validation"));
        LOG.info("staged {} training and {} validation minibatches of {} in {}s", train.size(), validation.size(), batchSize,
                String.format("%.1f", (System.nanoTime() - start) / 1e9));
        return new StagedSplit(train, validation);
    }
}
