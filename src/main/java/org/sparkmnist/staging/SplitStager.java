package org.sparkmnist.staging;

import java.io.IOException;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkmnist.data.Encoding;
import org.sparkmnist.data.MnistData;
import org.sparkmnist.data.MnistSplit;

/**
 * Writes the training and validation minibatches into scratch directories the caller owns (a run's
 * scratch space on the output filesystem), with Spark tasks reading the training images: the driver
 * holds only where each example goes.
 */
public final class SplitStager {

    private static final Logger LOG = LoggerFactory.getLogger(SplitStager.class);

    private final MinibatchStager stager;
    private final int batchSize;

    public SplitStager(JavaSparkContext spark, Encoding encoding, int batchSize) {
        this.stager = new MinibatchStager(spark, encoding);
        this.batchSize = batchSize;
    }

    /** Stages the split's training part into {@code trainDir} and its validation part into {@code validationDir}. */
    public StagedSplit stage(MnistData data, MnistSplit split, Path trainDir, Path validationDir) throws IOException {
        long start = System.nanoTime();
        StagingPlan plan = StagingPlan.of(split, data.trainLabels(), batchSize);
        List<String> files = stager.stage(data.trainImages(), plan, trainDir, validationDir);
        int trainBatches = plan.layout().trainBatches();
        StagedSplit staged = new StagedSplit(List.copyOf(files.subList(0, trainBatches)),
                List.copyOf(files.subList(trainBatches, files.size())));
        LOG.info("staged {} training and {} validation minibatches of {} in {}s", staged.train().size(), staged.validation().size(),
                batchSize, String.format("%.1f", (System.nanoTime() - start) / 1e9));
        return staged;
    }
}
