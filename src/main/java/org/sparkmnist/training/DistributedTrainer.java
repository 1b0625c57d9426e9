package org.sparkmnist.training;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkmnist.config.TrainSettings;
import org.sparkmnist.staging.MinibatchLoader;
import org.sparkmnist.staging.StagedSplit;

/**
 * The epoch loop: DL4J parameter averaging over the staged minibatch files, one log line per epoch.
 * Training loss and accuracy are Keras' running means over the epoch ({@link RunningTrainingMetrics});
 * validation loss and accuracy are scored on the averaged parameters after the epoch.
 */
public final class DistributedTrainer {

    private static final Logger LOG = LoggerFactory.getLogger(DistributedTrainer.class);

    private static final MinibatchLoader LOADER = new MinibatchLoader();
    /** Not the training's job group: the rehearsal's jobs are no epoch's progress. */
    private static final String WARM_UP_JOB_GROUP = "spark-mnist-warm-up";

    private final JavaSparkContext spark;
    private final TrainSettings settings;
    private final PathsScorer scorer;
    private final EpochProgress progress;

    public DistributedTrainer(JavaSparkContext spark, TrainSettings settings) {
        this.spark = spark;
        this.settings = settings;
        this.scorer = new PathsScorer(spark);
        this.progress = EpochProgress.attachIfInteractive(spark);
    }

    public int workers() {
        return settings.workers() > 0 ? settings.workers() : spark.defaultParallelism();
    }

    /** Trains {@code network} in place from {@code firstEpoch} to train.epochs. */
    public TrainingRun train(String model, MultiLayerNetwork network, StagedSplit data, List<EpochMetrics> earlier,
                             EpochListener listener) throws Exception {
        int workers = workers();
        TallyAccumulator trainTally = new TallyAccumulator();
        spark.sc().register(trainTally, model + " training metrics");
        // One DL4J trainer per averaging frequency of the schedule, all around the same network: parameters and
        // updater state live in the network, so a later epoch's trainer goes on from where the earlier one stopped.
        Map<Integer, SparkDl4jMultiLayer> trainers = new HashMap<>();
        JavaRDD<String> train = paths(data.train(), workers);
        JavaRDD<String> validation = paths(data.validation(), workers);

        List<EpochMetrics> history = new ArrayList<>(earlier);
        double seconds = earlier.stream().mapToDouble(EpochMetrics::seconds).sum();
        try {
            for (int epoch = earlier.size() + 1; epoch <= settings.epochs(); epoch++) {
                long start = System.nanoTime();
                int frequency = settings.averaging().at(epoch);
                SparkDl4jMultiLayer sparkNet = trainers.computeIfAbsent(frequency,
                        f -> trainer(network, workers, f, trainers.size(), new RunningTrainingMetrics(trainTally)));
                if (progress != null) {
                    // Averaging rounds this epoch, as DL4J splits the paths among the workers.
                    int rounds = (int) Math.ceil((double) data.train().size() / ((long) workers * frequency));
                    progress.startEpoch(model + " epoch " + epoch + "/" + settings.epochs(), rounds,
                            (long) data.train().size() * settings.batchSize());
                }
                spark.setJobGroup(EpochProgress.JOB_GROUP, model + " epoch " + epoch, false);
                trainTally.reset();
                sparkNet.fitPaths(train, LOADER);
                spark.clearJobGroup();
                Tally trained = trainTally.value();
                Tally validated = scorer.score(network, validation);
                double epochSeconds = (System.nanoTime() - start) / 1e9;
                EpochMetrics metrics = new EpochMetrics(epoch, epochSeconds, trained.loss(), trained.accuracy(),
                        validated.loss(), validated.accuracy());
                seconds += epochSeconds;
                if (progress != null) {
                    progress.endEpoch();
                }
                history.add(metrics);
                LOG.info(EpochLog.line(model, metrics, settings.epochs(), seconds));
                listener.epochDone(metrics, network);
            }
        } finally {
            train.unpersist(false);
            validation.unpersist(false);
        }
        return new TrainingRun(network, history);
    }

    /**
     * One epoch of {@code network} over {@code data} the way {@link #train} runs one (the averaging rounds at epoch 1's
     * frequency, then the validation pass) with nothing logged, checkpointed or counted as progress: a throwaway
     * network's rehearsal, so that the JVMs compile this path before a real epoch needs it. Spark jobs are per thread,
     * so it may run beside other work of the driver.
     */
    public void rehearse(MultiLayerNetwork network, StagedSplit data) {
        int workers = workers();
        TallyAccumulator tally = new TallyAccumulator();
        spark.sc().register(tally, "warm-up training metrics");
        JavaRDD<String> train = paths(data.train(), workers);
        JavaRDD<String> validation = paths(data.validation(), workers);
        spark.setJobGroup(WARM_UP_JOB_GROUP, "warm-up", false);
        try {
            trainer(network, workers, settings.averaging().at(1), 0, new RunningTrainingMetrics(tally)).fitPaths(train, LOADER);
            scorer.score(network, validation);
        } finally {
            spark.clearJobGroup();
            train.unpersist(false);
            validation.unpersist(false);
        }
    }

    /**
     * DL4J's parameter averaging over {@code workers}, every {@code frequency} minibatches. The {@code ordinal}-th
     * trainer of a run draws its splits from its own seed, and the first from train.seed itself, so a constant
     * schedule trains exactly as a single trainer did.
     */
    private SparkDl4jMultiLayer trainer(MultiLayerNetwork network, int workers, int frequency, int ordinal,
                                        RunningTrainingMetrics metrics) {
        ParameterAveragingTrainingMaster master = new ParameterAveragingTrainingMaster.Builder(workers, settings.batchSize())
                .batchSizePerWorker(settings.batchSize())
                .averagingFrequency(frequency)
                // The builder's field defaults to false despite its Javadoc; without it Adam and RMSprop
                // restart from zero state at every averaging round and training stalls.
                .saveUpdater(true)
                .workerPrefetchNumBatches(settings.prefetch())
                .rngSeed(settings.seed() + ordinal)
                // The staged minibatch paths are already spread evenly over `workers` partitions, and DL4J's
                // split keeps each round balanced to within one minibatch. Its default would rebalance
                // every averaging round with a count job and a shuffle (docs/BENCHMARKS.md).
                .repartionData(Repartition.Never)
                .build();
        SparkDl4jMultiLayer sparkNet = new SparkDl4jMultiLayer(spark, network, master);
        sparkNet.setListeners(List.of(metrics));
        return sparkNet;
    }

    private JavaRDD<String> paths(List<String> files, int partitions) {
        return spark.parallelize(files, partitions).persist(StorageLevel.MEMORY_ONLY());
    }
}
