package org.sparkmnist.benchmark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileStatus;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkmnist.BadInputException;
import org.sparkmnist.config.ScoringSettings;
import org.sparkmnist.config.SettingsLoader;
import org.sparkmnist.data.Encoding;
import org.sparkmnist.data.IdxImageFile;
import org.sparkmnist.data.IdxLabels;
import org.sparkmnist.data.IdxReader;
import org.sparkmnist.model.ModelZip;
import org.sparkmnist.runtime.JobExit;
import org.sparkmnist.runtime.NativeBuild;
import org.sparkmnist.runtime.QuietLogging;
import org.sparkmnist.scoring.DigitImage;
import org.sparkmnist.scoring.ImageFiles;
import org.sparkmnist.scoring.LabelsCsv;
import org.sparkmnist.scoring.RejectedImage;
import org.sparkmnist.scoring.ScoringModel;

/**
 * What the scoring job is measured against: the same model applied in one JVM with no Spark, by
 * {@code MultiLayerNetwork.output} on minibatches of {@code score.batch-size}, in the model's own
 * normalisation, read through the scoring job's own model check ({@link ScoringModel}) from the
 * same config ({@code score.model.*}, {@code score.input.path}, optional {@code score.input.labels}).
 * The input is what the job reads: an idx file, with an idx label file; or a directory of image
 * files, listed as Spark lists it (recursively, skipping names that start with '_' or '.'), each
 * turned into a digit by the job's own decoder ({@link DigitImage}, with the job's
 * {@code score.images.*}) and its label taken from a labels CSV read by the job's own reader
 * ({@link LabelsCsv}); a file the decoder refuses is counted as a reject, as the job counts it.
 *
 * <p>Usage: {@code SingleJvmScoring --result FILE.json [FILE.conf ...] [key=value ...]}. The timed span
 * is reading the images (an idx file streamed a minibatch at a time, so memory does not grow with
 * it; a directory's files one by one), decoding, encoding and every forward pass, as the job's own
 * timing covers its tasks' reading and scoring; the model is loaded, the idx header and labels are
 * checked and the directory is listed before it, as the job does those on its driver. The result
 * file names its fields as the scoring run's summary.json does: {@code inputs}, {@code rejects},
 * {@code scoring_seconds}, {@code images_per_second}, and with labels {@code labelled},
 * {@code correct} and {@code accuracy}.
 */
public final class SingleJvmScoring {

    private static final Logger LOG = LoggerFactory.getLogger(SingleJvmScoring.class);

    static final String USAGE = "usage: SingleJvmScoring --result FILE.json [FILE.conf ...] [key=value ...]";

    /** What the timed span scored, and how long it took. */
    private record Scored(long inputs, long rejects, SingleJvmMinibatches batches, double seconds) {
    }

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

    /** Scores the configured idx file or directory and returns the result file's JSON. */
    static String run(ScoringSettings settings) throws IOException {
        Configuration hadoop = new Configuration();
        ScoringModel model = ScoringModel.load(settings.model(), hadoop);
        MultiLayerNetwork network = ModelZip.read(new ByteArrayInputStream(model.bytes()), false);
        org.apache.hadoop.fs.Path input = new org.apache.hadoop.fs.Path(settings.input().path());
        FileSystem fs = input.getFileSystem(hadoop);
        Scored scored = fs.exists(input) && fs.getFileStatus(input).isDirectory()
                ? directory(settings, model, network, fs.makeQualified(input), hadoop)
                : idx(settings, model, network, input, hadoop);

        ObjectNode root = new ObjectMapper().createObjectNode();
        root.put("model", model.source());
        root.put("normalize", model.normalize());
        root.put("batch_size", settings.batchSize());
        root.put("inputs", scored.inputs());
        root.put("rejects", scored.rejects());
        root.put("scoring_seconds", scored.seconds());
        root.put("images_per_second", scored.inputs() / scored.seconds());
        LOG.info("scored {} images ({} rejected) in {}s ({} images/s) in one JVM, minibatches of {}", scored.inputs(), scored.rejects(),
                String.format("%.2f", scored.seconds()), Math.round(scored.inputs() / scored.seconds()), settings.batchSize());
        if (settings.input().labels().isPresent()) {
            long labelled = scored.batches().labelled();
            long correct = scored.batches().correct();
            root.put("labelled", labelled);
            root.put("correct", correct);
            root.put("accuracy", (double) correct / labelled);
            LOG.info("accuracy {}", String.format("%.4f", (double) correct / labelled));
        }
        return new ObjectMapper().writeValueAsString(root) + "\n";
    }

    /** An idx file, read a minibatch at a time. */
    private static Scored idx(ScoringSettings settings, ScoringModel model, MultiLayerNetwork network, org.apache.hadoop.fs.Path input,
            Configuration hadoop) throws IOException {
        IdxReader reader = new IdxReader(hadoop);
        // Checked before the clock starts, as the job checks it on its driver: header, exact length, the model's width.
        IdxImageFile file = reader.checkImages(input, 0, 0);
        model.requireInputs(file.pixelsPerImage(), "idx file " + input);
        Optional<IdxLabels> labels = settings.input().labels()
                .map(name -> reader.readLabels(new org.apache.hadoop.fs.Path(name), model.classes(), file.header(), input.toString()));
        int batch = settings.batchSize();
        int width = file.pixelsPerImage();
        SingleJvmMinibatches batches = new SingleJvmMinibatches(network, new Encoding(model.classes(), model.normalize()), batch, width);
        int[] batchLabels = new int[batch];

        long start = System.nanoTime();
        try (DataInputStream in = new DataInputStream(file.openAt(0, hadoop))) {
            for (int from = 0; from < file.count(); from += batch) {
                int n = Math.min(batch, file.count() - from);
                in.readFully(batches.buffer(), 0, n * width);
                for (int i = 0; i < n; i++) {
                    batchLabels[i] = labels.isPresent() ? labels.get().labels()[from + i] & 0xFF : SingleJvmMinibatches.UNLABELLED;
                }
                batches.scoreBuffer(n, batchLabels);
            }
        }
        return new Scored(file.count(), 0, batches, (System.nanoTime() - start) / 1e9);
    }

    /** A directory of image files, each read whole and decoded as the job decodes it. */
    private static Scored directory(ScoringSettings settings, ScoringModel model, MultiLayerNetwork network, org.apache.hadoop.fs.Path dir,
            Configuration hadoop) throws IOException {
        model.requireInputs(DigitImage.PIXELS, "an image converted to MNIST's 28x28");
        FileSystem fs = dir.getFileSystem(hadoop);
        Optional<org.apache.hadoop.fs.Path> labelsFile = Optional.empty();
        if (settings.input().labels().isPresent()) {
            org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(settings.input().labels().get());
            labelsFile = Optional.of(path.getFileSystem(hadoop).makeQualified(path));
        }
        List<FileStatus> files = list(fs, dir, labelsFile);
        if (files.isEmpty()) {
            throw new BadInputException("input directory " + dir + " (score.input.path) holds no files to score");
        }
        Map<String, Integer> labels = labelsFile.map(file -> LabelsCsv.read(file, model.classes(), dir.toString(), files.size(), hadoop))
                .orElse(Map.of());
        DigitImage digits = new DigitImage(settings.invert(), settings.maxPixels(), settings.maxFileBytes());
        SingleJvmMinibatches batches = new SingleJvmMinibatches(network, new Encoding(model.classes(), model.normalize()),
                settings.batchSize(), DigitImage.PIXELS);
        String prefix = dir + "/";
        long rejects = 0;

        long start = System.nanoTime();
        for (FileStatus file : files) {
            try {
                digits.checkFileSize(file.getLen());
                byte[] bytes = new byte[(int) file.getLen()];
                try (FSDataInputStream in = fs.open(file.getPath())) {
                    in.readFully(bytes);
                }
                String path = file.getPath().toString();
                String relative = path.startsWith(prefix) ? path.substring(prefix.length()) : path;
                batches.add(digits.convert(bytes), labels.getOrDefault(relative, SingleJvmMinibatches.UNLABELLED));
            } catch (RejectedImage e) {
                rejects++;
            }
        }
        batches.flush();
        return new Scored(files.size(), rejects, batches, (System.nanoTime() - start) / 1e9);
    }

    /** The files the job scores under {@code dir} ({@link ImageFiles}), in path order. */
    private static List<FileStatus> list(FileSystem fs, org.apache.hadoop.fs.Path dir, Optional<org.apache.hadoop.fs.Path> labels)
            throws IOException {
        List<FileStatus> files = new ArrayList<>();
        ImageFiles.walk(fs, dir, labels, files::add);
        files.sort(Comparator.comparing(FileStatus::getPath));
        return files;
    }
}
