package org.sparkmnist.scoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.sparkmnist.BadInputException;
import org.sparkmnist.config.DataSettings;
import org.sparkmnist.config.ScoringSettings.ModelSource;
import org.sparkmnist.model.ModelZip;
import org.sparkmnist.output.ModelOutputs;

/**
 * The trained model to apply, found and read on the driver before Spark starts, so that a wrong
 * reference costs a one-line error instead of a cluster's worth of failed tasks.
 *
 * @param source    where the model was read from, for messages and the scoring run's record
 * @param normalize whether the model sees pixels scaled to 0..1 (its run's data.normalize)
 * @param inputs    the number of pixels the network takes
 * @param classNames what each class it predicts stands for: its run's data.class-names, or the labels
 *                   themselves ("0", "1", ...) for a model file or a run that named none
 * @param params    its parameter count
 * @param bytes     the network without its updater state, as a model.zip ({@link ModelZip}): what executors receive
 */
public record ScoringModel(String source, boolean normalize, int inputs, List<String> classNames, long params, byte[] bytes) {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String SUMMARY = "summary.json";
    /** What a committed run holds, written last. */
    static final String SUCCESS = "_SUCCESS";

    public ScoringModel {
        classNames = List.copyOf(classNames);
    }

    /** The number of classes it predicts. */
    public int classes() {
        return classNames.size();
    }

    public static ScoringModel load(ModelSource reference, Configuration hadoop) {
        if (reference.fromRun()) {
            Path run = new Path(reference.run());
            Path file = modelInRun(run, reference.name(), hadoop);
            JsonNode data = dataOfRun(run, hadoop);
            boolean trained = normalizeOfRun(run, data);
            if (reference.normalize().isPresent() && reference.normalize().get() != trained) {
                throw new BadInputException("config key score.model.normalize is " + reference.normalize().get() + " but run " + run
                        + " was trained with data.normalize = " + trained + " (its " + SUMMARY + "); leave score.model.normalize empty");
            }
            List<String> names = new ArrayList<>();
            data.path("class-names").forEach(name -> names.add(name.asText()));
            return read(file, trained, names, hadoop);
        }
        return read(new Path(reference.file()), reference.normalize().orElseThrow(), List.of(), hadoop);
    }

    /** {@code <run>/<name>/model.zip} of a committed run, or bad input saying what the run is or holds. */
    private static Path modelInRun(Path run, String name, Configuration hadoop) {
        try {
            FileSystem fs = run.getFileSystem(hadoop);
            if (!fs.isDirectory(run)) {
                throw new BadInputException("model run " + run + " (score.model.run) does not exist or is not a directory");
            }
            if (!fs.isFile(new Path(run, SUCCESS))) {
                throw new BadInputException("model run " + run + " (score.model.run) has no " + SUCCESS
                        + ": it is not a committed training run (an interrupted or partial run is never scored)");
            }
            Path file = new Path(new Path(run, name), ModelOutputs.MODEL_FILE);
            if (!fs.isFile(file)) {
                List<String> held = modelsIn(fs, run);
                throw new BadInputException("model run " + run + " holds no model \"" + name + "\" (score.model.name); it holds "
                        + (held.isEmpty() ? "no model at all" : String.join(", ", held)));
            }
            return file;
        } catch (IOException e) {
            throw new BadInputException("model run " + run + " (score.model.run) cannot be read: " + e.getMessage(), e);
        }
    }

    private static List<String> modelsIn(FileSystem fs, Path run) throws IOException {
        List<String> names = new ArrayList<>();
        for (FileStatus child : fs.listStatus(run)) {
            if (child.isDirectory() && fs.isFile(new Path(child.getPath(), ModelOutputs.MODEL_FILE))) {
                names.add(child.getPath().getName());
            }
        }
        names.sort(null);
        return names;
    }

    /** The data section of the run's effective config, config.data in its summary.json. */
    private static JsonNode dataOfRun(Path run, Configuration hadoop) {
        Path summary = new Path(run, SUMMARY);
        try (InputStream in = summary.getFileSystem(hadoop).open(summary)) {
            return JSON.readTree(in).at("/config/data");
        } catch (IOException e) {
            throw new BadInputException("model run " + run + ": " + summary.getName() + " cannot be read (" + e.getMessage()
                    + "); it records how the run's models see pixels (data.normalize)", e);
        }
    }

    /** The run's own encoding: config.data.normalize in its summary.json. */
    private static boolean normalizeOfRun(Path run, JsonNode data) {
        JsonNode normalize = data.path("normalize");
        if (!normalize.isBoolean()) {
            throw new BadInputException("model run " + run + ": " + new Path(run, SUMMARY) + " has no boolean config.data.normalize; "
                    + "it records how the run's models see pixels");
        }
        return normalize.booleanValue();
    }

    /**
     * @param runClassNames the model's run's data.class-names; empty (a model file, or a run from before
     *                      the key) or of another length than the network's outputs: the labels name themselves
     */
    private static ScoringModel read(Path file, boolean normalize, List<String> runClassNames, Configuration hadoop) {
        MultiLayerNetwork network;
        String source;
        try (InputStream in = open(file, hadoop)) {
            source = file.getFileSystem(hadoop).makeQualified(file).toString();
            network = ModelZip.read(in, false);
        } catch (BadInputException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new BadInputException("model file " + file + " cannot be read as a DL4J MultiLayerNetwork model.zip: "
                    + Optional.ofNullable(e.getMessage()).orElse(e.getClass().getSimpleName()), e);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            // Without the updater state (twice the parameters for Adam): scoring never trains.
            ModelZip.write(network, bytes, false);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise the model read from " + file, e);
        }
        int classes = (int) network.layerSize(network.getnLayers() - 1);
        List<String> classNames = runClassNames.size() == classes ? runClassNames : DataSettings.labelsAsNames(classes);
        return new ScoringModel(source, normalize, network.layerInputSize(0), classNames, network.numParams(), bytes.toByteArray());
    }

    private static InputStream open(Path file, Configuration hadoop) throws IOException {
        FileSystem fs = file.getFileSystem(hadoop);
        if (!fs.isFile(file)) {
            throw new BadInputException("model file " + file + " (score.model.file) does not exist or is not a file");
        }
        return fs.open(file);
    }

    /** The model cannot score inputs of {@code pixels} pixels: bad input, naming both. */
    public void requireInputs(long pixels, String what) {
        if (pixels != inputs) {
            throw new BadInputException(what + " has " + pixels + " pixels per image but the model " + source + " takes " + inputs);
        }
    }
}
