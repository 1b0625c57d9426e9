package org.sparkmnist.benchmark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkmnist.BadInputException;
import org.sparkmnist.config.ScoringSettings;
import org.sparkmnist.config.SettingsLoader;
import org.sparkmnist.data.Encoding;
import org.sparkmnist.data.IdxImageFile;
import org.sparkmnist.data.IdxImages;
import org.sparkmnist.data.IdxLabels;
import org.sparkmnist.data.IdxReader;
import org.sparkmnist.model.ModelZip;
import org.sparkmnist.runtime.JobExit;
import org.sparkmnist.runtime.NativeBuild;
import org.sparkmnist.runtime.QuietLogging;
import org.sparkmnist.scoring.ScoringModel;

/**
 * What the scoring job is measured against: the same model applied in one JVM with no Spark, by
 * {@code MultiLayerNetwork.output} on minibatches of {@code score.batch-size}, in the model's own
 * normalisation, read through the scoring job's own model check ({@link ScoringModel}) from the
 * same config ({@code score.model.*}, {@code score.input.path} as an idx file, optional
 * {@code score.input.labels}).
 *
 * <p>Usage: {@code SingleJvmScoring --result FILE.json [FILE.conf ...] [key=value ...]}. The timed span
 * is reading the idx file, encoding and every forward pass, as the job's own timing covers its tasks'
 * reading and scoring; the model is loaded before it. The result file names its fields as the
 * scoring run's summary.json does: {@code inputs}, {@code scoring_seconds}, {@code images_per_second},
 * and with labels {@code accuracy}.
 */
public final class SingleJvmScoring {

    private static final Logger LOG = LoggerFactory.getLogger(SingleJvmScoring.class);

    static final String USAGE = "usage: SingleJvmScoring --result FILE.json [FILE.conf ...] [key=value ...]";

    private SingleJvmScoring() {
    }

    public static void main(String[] args) {
        System.exit(JobExit.run(() -> {
            List<String> rest = new ArrayList<>(List.of(args));
            if (rest.size() < 2 || !rest.get(0).equals("--result")) {
                throw new BadInputException(USAGE);
            }
            Path result = Path.of(rest.get(1));
            ScoringSettings settings = SettingsLoader.loadScoring(rest.subList(2, rest.size()));
            QuietLogging.apply(settings.spark().logLevel());
            // Both ND4J builds are on the class path: load the one this CPU runs, as the jobs do.
            NativeBuild.prepareThisJvm();
            Files.writeString(result, run(settings), StandardCharsets.UTF_8);
        }));
    }

    /** Scores the configured idx file and returns the result file's JSON. */
    static String run(ScoringSettings settings) throws IOException {
        Configuration hadoop = new Configuration();
        ScoringModel model = ScoringModel.load(settings.model(), hadoop);
        MultiLayerNetwork network = ModelZip.read(new ByteArrayInputStream(model.bytes()), false);
        IdxReader reader = new IdxReader(hadoop);
        org.apache.hadoop.fs.Path input = new org.apache.hadoop.fs.Path(settings.input().path());
        // Checked before the clock starts, as the job checks it on its driver: header, exact length, the model's width.
        IdxImageFile file = reader.checkImages(input, 0, 0);
        model.requireInputs(file.pixelsPerImage(), "idx file " + input);
        Optional<IdxLabels> labels = settings.input().labels()
                .map(name -> reader.readLabels(new org.apache.hadoop.fs.Path(name), model.classes(), file.header(), input.toString()));
        Encoding encoding = new Encoding(model.classes(), model.normalize());
        int batch = settings.batchSize();

        long start = System.nanoTime();
        IdxImages images = reader.readImages(input, 0, 0);
        int width = images.pixelsPerImage();
        int[] predictions = new int[images.count()];
        for (int from = 0; from < images.count(); from += batch) {
            int n = Math.min(batch, images.count() - from);
            byte[] pixels = new byte[n * width];
            System.arraycopy(images.pixels(), from * width, pixels, 0, n * width);
            INDArray probabilities = network.output(encoding.features(pixels, n, width), false);
            int[] best = probabilities.argMax(1).toIntVector();
            System.arraycopy(best, 0, predictions, from, n);
        }
        double seconds = (System.nanoTime() - start) / 1e9;

        ObjectNode root = new ObjectMapper().createObjectNode();
        root.put("model", model.source());
        root.put("normalize", model.normalize());
        root.put("batch_size", batch);
        root.put("inputs", images.count());
        root.put("scoring_seconds", seconds);
        root.put("images_per_second", images.count() / seconds);
        LOG.info("scored {} images in {}s ({} images/s) in one JVM, minibatches of {}", images.count(), String.format("%.2f", seconds),
                Math.round(images.count() / seconds), batch);
        if (labels.isPresent()) {
            long correct = 0;
            for (int i = 0; i < predictions.length; i++) {
                correct += predictions[i] == (labels.get().labels()[i] & 0xFF) ? 1 : 0;
            }
            root.put("labelled", predictions.length);
            root.put("correct", correct);
            root.put("accuracy", (double) correct / predictions.length);
            LOG.info("accuracy {}", String.format("%.4f", (double) correct / predictions.length));
        }
        return new ObjectMapper().writeValueAsString(root) + "\n";
    }
}
