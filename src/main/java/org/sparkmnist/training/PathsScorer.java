package org.sparkmnist.training;

import java.io.InputStream;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.sparkmnist.staging.MinibatchFormat;

/**
 * Loss and accuracy of the current parameters over minibatch files, computed on the executors
 * that hold the data: per-epoch metrics then cost one forward pass spread over the cluster, and
 * the driver never loads the training set.
 */
public final class PathsScorer {

    private final JavaSparkContext spark;

    public PathsScorer(JavaSparkContext spark) {
        this.spark = spark;
    }

    public Tally score(MultiLayerNetwork network, JavaRDD<String> paths) {
        Broadcast<String> conf = spark.broadcast(network.getLayerWiseConfigurations().toJson());
        // A copy: in local mode executors receive the broadcast object itself, not a deserialized one.
        Broadcast<INDArray> params = spark.broadcast(network.params().dup());
        try {
            List<Tally> partials = paths.mapPartitions(new ScorePartition(conf, params)).collect();
            return partials.stream().reduce(Tally.EMPTY, Tally::plus);
        } finally {
            conf.destroy();
            params.destroy();
        }
    }

    private static final class ScorePartition implements FlatMapFunction<Iterator<String>, Tally> {

        private final Broadcast<String> conf;
        private final Broadcast<INDArray> params;

        ScorePartition(Broadcast<String> conf, Broadcast<INDArray> params) {
            this.conf = conf;
            this.params = params;
        }

        @Override
        public Iterator<Tally> call(Iterator<String> paths) throws Exception {
            if (!paths.hasNext()) {
                return List.<Tally>of().iterator();
            }
            MultiLayerNetwork network = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(conf.value()));
            network.init(params.value(), true);
            Configuration hadoop = new Configuration();
            Tally tally = Tally.EMPTY;
            while (paths.hasNext()) {
                Path file = new Path(paths.next());
                DataSet batch;
                try (InputStream in = file.getFileSystem(hadoop).open(file)) {
                    batch = MinibatchFormat.read(in, file.toString());
                }
                tally = tally.plus(CrossEntropy.tally(network.output(batch.getFeatures(), false), batch.getLabels()));
            }
            return List.of(tally).iterator();
        }
    }
}
