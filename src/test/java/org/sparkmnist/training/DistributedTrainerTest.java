package org.sparkmnist.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.sparkmnist.config.JobSettings;
import org.sparkmnist.config.SettingsLoader;
import org.sparkmnist.config.TrainSettings;
import org.sparkmnist.data.Encoding;
import org.sparkmnist.model.NetworkFactory;
import org.sparkmnist.staging.MinibatchFormat;
import org.sparkmnist.staging.StagedSplit;
import org.sparkmnist.testing.LocalSpark;

/**
 * The epoch loop (DistributedTrainer with PathsScorer) in local[2] on a few tiny staged minibatches
 * of synthetic 4x4 images: DL4J's real parameter averaging over two workers, in seconds. The first
 * tests read one three-epoch training, each for one thing the job relies on after every epoch.
 */
class DistributedTrainerTest {

    private static final int SIDE = 4;
    private static final int CLASSES = 3;
    private static final int BATCH = 16;
    private static final Encoding ENCODING = new Encoding(CLASSES, true);

    @TempDir
    static Path dir;

    private static JavaSparkContext spark;
    private static StagedSplit staged;
    private static JobSettings settings;

    @BeforeAll
    static void stageSyntheticMinibatchesAndStartSpark() throws IOException {
        Random random = new Random(5);
        staged = new StagedSplit(stage("train", 8, random), stage("validation", 2, random));
        // Two workers averaging every two minibatches: two averaging rounds per epoch.
        settings = SettingsLoader.load(List.of("models=[mlp]", "model.mlp.hidden-layers=[8]", "model.mlp.updater.learning-rate=0.05",
                "train.epochs=3", "train.batch-size=" + BATCH, "train.workers=2", "train.averaging-frequency=2", "train.prefetch=0"));
        spark = LocalSpark.start(DistributedTrainerTest.class);
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    /** {@code batches} minibatch files of images whose class is the row of pixels that is bright. */
    private static List<String> stage(String part, int batches, Random random) throws IOException {
        List<String> files = new ArrayList<>();
        Files.createDirectories(dir.resolve(part));
        for (int batch = 0; batch < batches; batch++) {
            byte[] pixels = new byte[BATCH * SIDE * SIDE];
            byte[] labels = new byte[BATCH];
            for (int example = 0; example < BATCH; example++) {
                int label = random.nextInt(CLASSES);
                labels[example] = (byte) label;
                for (int p = 0; p < SIDE * SIDE; p++) {
                    boolean bright = p / SIDE == label;
                    pixels[example * SIDE * SIDE + p] = (byte) (bright ? 180 + random.nextInt(76) : random.nextInt(60));
                }
            }
            Path file = dir.resolve(part).resolve(String.format("batch-%06d.bin", batch));
            try (OutputStream out = Files.newOutputStream(file)) {
                MinibatchFormat.write(pixels, labels, BATCH, SIDE * SIDE, ENCODING, out);
            }
            files.add(file.toUri().toString());
        }
        return files;
    }

    private static MultiLayerNetwork freshNetwork() {
        MultiLayerNetwork network = new MultiLayerNetwork(NetworkFactory.configuration(settings.models().get(0), SIDE * SIDE, CLASSES));
        network.init();
        return network;
    }

    /** Loss and accuracy of {@code network} on the validation files, computed here on the driver, one file after another. */
    private static Tally scoreDirectly(MultiLayerNetwork network) throws IOException {
        Tally tally = Tally.EMPTY;
        for (String file : staged.validation()) {
            try (InputStream in = Files.newInputStream(Path.of(java.net.URI.create(file)))) {
                DataSet batch = MinibatchFormat.read(in, file);
                tally = tally.plus(CrossEntropy.tally(network.output(batch.getFeatures(), false), batch.getLabels()));
            }
        }
        return tally;
    }

    /** What the listener was offered after one epoch. */
    private record Offered(EpochMetrics metrics, MultiLayerNetwork network, INDArray params, Tally scoredDirectly) {
    }

    /** Records each offer with a copy of the parameters at that moment, and scores the offered network directly. */
    private static EpochListener recordingInto(List<Offered> offers) {
        return (metrics, network) -> offers.add(new Offered(metrics, network, network.params().dup(), scoreDirectly(network)));
    }

    /** One three-epoch training from fresh parameters, shared by the tests of what every epoch does. */
    private record Trained(INDArray initial, List<Offered> offers, TrainingRun run) {
    }

    private static Trained trained;

    /** The three-epoch training the first tests read, done once: each of them reads one aspect of it. */
    private static synchronized Trained trainedOnce() throws Exception {
        if (trained == null) {
            MultiLayerNetwork network = freshNetwork();
            INDArray initial = network.params().dup();
            List<Offered> offers = new ArrayList<>();
            TrainingRun run = new DistributedTrainer(spark, settings.train()).train("mlp", network, staged, List.of(), recordingInto(offers));
            trained = new Trained(initial, offers, run);
        }
        return trained;
    }

    @Test
    void aCheckpointIsOfferedAfterEveryEpoch() throws Exception {
        assertEquals(List.of(1, 2, 3), trainedOnce().offers().stream().map(o -> o.metrics().epoch()).toList());
    }

    @Test
    void everyEpochMovesTheParameters() throws Exception {
        INDArray before = trainedOnce().initial();
        for (Offered offer : trainedOnce().offers()) {
            assertNotEquals(before, offer.params(), "epoch " + offer.metrics().epoch() + " left the parameters as they were");
            before = offer.params();
        }
    }

    @Test
    void theHistoryHoldsEachEpochsMetricsInOrder() throws Exception {
        assertEquals(trainedOnce().offers().stream().map(Offered::metrics).toList(), trainedOnce().run().history());
    }

    @Test
    void validationIsScoredOnTheAveragedNetworkOfferedForCheckpoint() throws Exception {
        // PathsScorer's tally, gathered from the executors, must be that of the network the listener was offered.
        for (Offered offer : trainedOnce().offers()) {
            EpochMetrics metrics = offer.metrics();
            assertEquals(offer.scoredDirectly().loss(), metrics.valLoss(), 1e-6, "validation loss of epoch " + metrics.epoch());
            assertEquals(offer.scoredDirectly().accuracy(), metrics.valAccuracy(), 1e-9, "validation accuracy of epoch " + metrics.epoch());
        }
    }

    @Test
    void theLastCheckpointIsTheTrainedNetworkTheCallerGets() throws Exception {
        Offered last = trainedOnce().offers().get(2);
        assertSame(trainedOnce().run().network(), last.network());
        assertEquals(last.params(), trainedOnce().run().network().params(), "nothing changed it after its checkpoint");
    }

    @Test
    void aWarmUpBeforeTrainingLeavesTheTrainedParametersBitIdentical() throws Exception {
        INDArray unwarmed = trainedOnce().run().network().params();
        DistributedTrainer trainer = new DistributedTrainer(spark, settings.train());
        // As the job does it: the warm-up started, then awaited, then the same training from the same fresh network.
        TrainingWarmup.start(trainer, List.of(NetworkFactory.configuration(settings.models().get(0), SIDE * SIDE, CLASSES)), ENCODING,
                SIDE * SIDE, BATCH, 6, new org.apache.hadoop.fs.Path(Files.createDirectories(dir.resolve("warm-up")).toUri()),
                spark.hadoopConfiguration()).await();

        TrainingRun run = trainer.train("mlp", freshNetwork(), staged, List.of(), (m, n) -> { });

        assertEquals(unwarmed, run.network().params());
        assertEquals(trainedOnce().run().history().stream().map(EpochMetrics::valLoss).toList(),
                run.history().stream().map(EpochMetrics::valLoss).toList());
    }

    @Test
    void aResumedModelTrainsOnlyTheEpochsItLacks() throws Exception {
        EpochMetrics first = new EpochMetrics(1, 2.5, 1.0, 0.5, 1.0, 0.5);
        List<Offered> offers = new ArrayList<>();

        TrainingRun run = new DistributedTrainer(spark, settings.train()).train("mlp", freshNetwork(), staged, List.of(first),
                recordingInto(offers));

        assertEquals(List.of(2, 3), offers.stream().map(o -> o.metrics().epoch()).toList());
        assertEquals(first, run.history().get(0));
        assertEquals(3, run.history().size());
    }

    @Test
    void aScheduleAveragesEachEpochAsOftenAsItsEntrySays() throws Exception {
        // 8 training minibatches on 2 workers: every minibatch is 4 rounds an epoch, every 4 is one.
        TrainSettings scheduled = SettingsLoader.load(List.of("models=[mlp]", "model.mlp.hidden-layers=[8]",
                "train.epochs=3", "train.batch-size=" + BATCH, "train.workers=2", "train.averaging-frequency=[1, 4]",
                "train.prefetch=0")).train();
        RoundsPerEpoch rounds = new RoundsPerEpoch();
        spark.sc().addSparkListener(rounds);
        try {
            List<Offered> offers = new ArrayList<>();
            new DistributedTrainer(spark, scheduled).train("scheduled", freshNetwork(), staged, List.of(), recordingInto(offers));

            assertEquals(3, offers.size());
            Map<String, Integer> expected = Map.of("scheduled epoch 1", 4, "scheduled epoch 2", 1, "scheduled epoch 3", 1);
            // Spark reports jobs to listeners asynchronously; the last ones may still be on their way.
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!rounds.counts().equals(expected) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(expected, rounds.counts());
        } finally {
            spark.sc().removeSparkListener(rounds);
        }
    }

    /** Counts DL4J's averaging rounds (its treeAggregate jobs) by the epoch the trainer named in the job's description. */
    private static final class RoundsPerEpoch extends SparkListener {

        private final Map<String, Integer> counts = new ConcurrentHashMap<>();

        @Override
        public void onJobStart(SparkListenerJobStart job) {
            String epoch = job.properties() == null ? null : job.properties().getProperty("spark.job.description");
            boolean averaging = scala.collection.JavaConverters.seqAsJavaList(job.stageInfos()).stream()
                    .anyMatch(stage -> stage.name().startsWith("treeAggregate at ParameterAveragingTrainingMaster"));
            if (epoch != null && averaging) {
                counts.merge(epoch, 1, Integer::sum);
            }
        }

        Map<String, Integer> counts() {
            return Map.copyOf(counts);
        }
    }
}
