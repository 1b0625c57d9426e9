package org.sparkmnist.job;

import java.io.IOException;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkmnist.data.Encoding;
import org.sparkmnist.data.MinibatchStager;
import org.sparkmnist.data.MnistData;
import org.sparkmnist.data.MnistSplit;
import org.sparkmnist.data.StagingPlan;
import org.sparkmnist.output.RunAttempt;
import org.sparkmnist.training.StagedSplit;

/**
 * Writes the training and validation minibatches into the run's scratch space on the output
 * filesystem, with Spark tasks reading the training images: the driver holds only where each
 * example goes.
 */
final class SplitStager {

    private static final Logger LOG = LoggerFactory.getLogger(SplitStager.class);

    private final MinibatchStager stager;
    private final int batchSize;

    SplitStager(JavaSparkContext spark, Encoding encoding, int batchSize) {
        this.stager = new MinibatchStager(spark, encoding);
        this.batchSize = batchSize;
    }

    StagedSplit stage(MnistData data, MnistSplit split, RunAttempt run) throws IOException {
        long start = System.nanoTime();
        StagingPlan plan = StagingPlan.of(split, data.trainLabels(), batchSize);
        List<String> files = stager.stage(data.trainImages(), plan, run.scratch("train"), run.scratch("validation"));
        int trainBatches = plan.layout().trainBatches();
        StagedSplit staged = new StagedSplit(List.copyOf(files.subList(0, trainBatches)),
                List.copyOf(files.subList(trainBatches, files.size())));
        LOG.info("staged {} training and {} validation minibatches of {} in {}s", staged.train().size(), staged.validation().size(),
                batchSize, String.format("%.1f", (System.nanoTime() - start) / 1e9));
        return staged;
    }
}
