package org.sparkmnist.benchmark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkmnist.config.DataSettings;
import org.sparkmnist.config.JobSettings;
import org.sparkmnist.model.ModelSpec;
import org.sparkmnist.config.SettingsLoader;
import org.sparkmnist.data.Encoding;
import org.sparkmnist.data.IdxImages;
import org.sparkmnist.data.IdxLabels;
import org.sparkmnist.data.IdxReader;
import org.sparkmnist.data.MnistSplit;
import org.sparkmnist.model.NetworkFactory;
import org.sparkmnist.runtime.JobExit;
import org.sparkmnist.runtime.NativeBuild;
import org.sparkmnist.runtime.QuietLogging;
import org.sparkmnist.training.CrossEntropy;
import org.sparkmnist.training.EpochLog;
import org.sparkmnist.training.EpochMetrics;
import org.sparkmnist.training.RunningTrainingMetrics;
import org.sparkmnist.training.Tally;
import org.sparkmnist.training.TallyAccumulator;
import org.sparkmnist.training.TestEvaluator;

/**
 * The single-machine alternatives the Spark job is measured against: the same config, model, split,
 * minibatches and per-epoch metrics, trained in one JVM with no Spark anywhere, either by plain
 * {@code MultiLayerNetwork.fit} with ND4J's own threading or by DL4J's {@code ParallelWrapper}.
 *
 * <p>Usage: {@code SingleJvmBaseline --result FILE.json [--parallel-wrapper WORKERS]
 * [FILE.conf ...] [key=value ...]}; it trains the first model of {@code models}. The result file holds
 * each epoch's seconds and validation accuracy, and the test accuracy.
 */
public final class SingleJvmBaseline {

    private static final Logger LOG = LoggerFactory.getLogger(SingleJvmBaseline.class);

    private SingleJvmBaseline() {
    }

    static final String USAGE =
            "usage: SingleJvmBaseline --result FILE.json [--parallel-wrapper WORKERS] [FILE.conf ...] [key=value ...]";

    public static void main(String[] args) {
        System.exit(JobExit.run(() -> {
            List<String> rest = new ArrayList<>(List.of(args));
            if (rest.size() < 2 || !rest.get(0).equals("--result")) {
                throw new org.sparkmnist.BadInputException(USAGE);
            }
            rest.remove(0);
            Path result = Path.of(rest.remove(0));
            Optional<Integer> workers = Optional.empty();
            if (!rest.isEmpty() && rest.get(0).equals("--parallel-wrapper")) {
                if (rest.size() < 2) {
                    throw new org.sparkmnist.BadInputException(USAGE);
                }
                workers = Optional.of(positive(rest.get(1)));
                rest.subList(0, 2).clear();
            }
            JobSettings settings = SettingsLoader.load(rest);
            QuietLogging.apply(settings.spark().logLevel());
            NativeBuild.prepareThisJvm();
            // ParallelWrapper averages on the job's own schedule, from the same config.
            Optional<ParallelWrapperSettings> wrapper = workers.map(w -> new ParallelWrapperSettings(w, settings.train().averaging()));
            Files.writeString(result, run(settings, wrapper), StandardCharsets.UTF_8);
        }));
    }

    private static int positive(String number) {
        try {
            return Integer.parseInt(number);
        } catch (NumberFormatException e) {
            throw new org.sparkmnist.BadInputException(USAGE + " (" + number + " is not a number)");
        }
    }

    static String run(JobSettings settings, Optional<ParallelWrapperSettings> wrapper) throws Exception {
        DataSettings data = settings.data();
        IdxReader reader = new IdxReader(new Configuration());
        org.apache.hadoop.fs.Path trainImages = reader.locate(data.dir(), data.trainImages());
        IdxLabels labels = reader.readLabels(reader.locate(data.dir(), data.trainLabels()), data.classes(),
                reader.imagesHeader(trainImages, data.rows(), data.cols()), trainImages.toString());
        IdxImages images = reader.readImages(trainImages, data.rows(), data.cols());
        MnistSplit split = MnistSplit.of(images.count(), settings.split());
        int batch = settings.train().batchSize();
        Encoding encoding = Encoding.of(data);
        List<DataSet> train = minibatches(images, labels, split.train(), batch, encoding);
        List<DataSet> validation = minibatches(images, labels, split.validation(), batch, encoding);
        org.apache.hadoop.fs.Path testImages = reader.locate(data.dir(), data.testImages());
        IdxLabels testLabels = reader.readLabels(reader.locate(data.dir(), data.testLabels()), data.classes(),
                reader.imagesHeader(testImages, data.rows(), data.cols()), testImages.toString());
        DataSet test = encoding.encodeAll(reader.readImages(testImages, data.rows(), data.cols()), testLabels);

        ModelSpec spec = settings.models().get(0);
        MultiLayerNetwork network = new MultiLayerNetwork(NetworkFactory.configuration(spec, data.pixels(), data.classes()));
        network.init();
        // The same per-epoch work as the Spark job: Keras' running training metrics, then validation.
        TallyAccumulator trainTally = new TallyAccumulator();
        network.setListeners(new RunningTrainingMetrics(trainTally));
        Random order = new Random(settings.train().seed());
        List<Double> seconds = new ArrayList<>();
        List<Double> validationAccuracy = new ArrayList<>();
        double total = 0;
        int epochs = settings.train().epochs();
        LOG.info("{}: single JVM, {}, {} epochs, batch {}, {} minibatches", spec.name(),
                wrapper.map(w -> "ParallelWrapper with " + w.describe()).orElse("plain fit"), epochs, batch, train.size());
        try (EpochFitter fitter = wrapper.map(w -> EpochFitter.parallelWrapper(network, w)).orElseGet(() -> EpochFitter.plain(network))) {
            for (int epoch = 1; epoch <= epochs; epoch++) {
                long start = System.nanoTime();
                Collections.shuffle(train, order);
                trainTally.reset();
                fitter.fitEpoch(epoch, train);
                // fit(DataSet) leaves the epoch count alone; learning-rate schedules step on it, as in the Spark job.
                network.incrementEpochCount();
                Tally validated = Tally.EMPTY;
                for (DataSet minibatch : validation) {
                    validated = validated.plus(CrossEntropy.tally(network.output(minibatch.getFeatures(), false), minibatch.getLabels()));
                }
                double elapsed = (System.nanoTime() - start) / 1e9;
                total += elapsed;
                seconds.add(elapsed);
                validationAccuracy.add(validated.accuracy());
                Tally trained = trainTally.value();
                LOG.info(EpochLog.line(spec.name(), new EpochMetrics(epoch, elapsed, trained.loss(), trained.accuracy(),
                        validated.loss(), validated.accuracy()), epochs, total));
            }
        }
        double accuracy = TestEvaluator.evaluate(network, test, 0).accuracy();
        LOG.info("{}: test accuracy {}", spec.name(), String.format("%.4f", accuracy));

        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("model", spec.name());
        root.put("test_accuracy", accuracy);
        seconds.forEach(root.putArray("epoch_seconds")::add);
        validationAccuracy.forEach(root.putArray("val_accuracy")::add);
        return json.writeValueAsString(root) + "\n";
    }

    /** The split's examples in the order the job stages them: minibatch i holds examples [i*batch, (i+1)*batch). */
    private static List<DataSet> minibatches(IdxImages images, IdxLabels labels, int[] indices, int batch, Encoding encoding) {
        List<DataSet> batches = new ArrayList<>();
        for (int from = 0; from < indices.length; from += batch) {
            int to = Math.min(indices.length, from + batch);
            batches.add(encoding.encode(images.gather(indices, from, to), labels.gather(indices, from, to), to - from,
                    images.pixelsPerImage()));
        }
        return batches;
    }
}
