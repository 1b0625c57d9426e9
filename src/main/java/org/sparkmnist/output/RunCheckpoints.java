package org.sparkmnist.output;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.sparkmnist.training.EpochMetrics;

/**
 * Per-epoch checkpoints of a run, at {@code <output.dir>/_temporary/<run.id>.checkpoint/<model>/epoch-NNNN/}:
 * the network with its updater state, the metrics so far, and the settings that shaped the model.
 * The place depends only on run.id, not on the attempt, so a rerun after a killed driver finds it.
 *
 * <p>An epoch's checkpoint is written into a temporary directory and renamed to {@code epoch-NNNN}
 * only when complete, so a kill mid-write leaves at worst a temporary directory that is ignored; the
 * previous epoch's checkpoint is deleted only after that rename.
 */
public final class RunCheckpoints {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern EPOCH_DIR = Pattern.compile("epoch-(\\d{4,})");
    private static final String MODEL = "model.zip";
    private static final String HISTORY = "history.json";
    private static final String SETTINGS = "settings.json";

    private final FileSystem fs;
    private final Path dir;

    private RunCheckpoints(FileSystem fs, Path dir) {
        this.fs = fs;
        this.dir = dir;
    }

    public static RunCheckpoints of(String outputDir, String runId, Configuration hadoop) throws IOException {
        Path root = new Path(outputDir);
        FileSystem fs = root.getFileSystem(hadoop);
        // Local disks would otherwise get a .crc side file beside every checkpoint file.
        fs.setWriteChecksum(false);
        return new RunCheckpoints(fs, new Path(new Path(fs.makeQualified(root), RunDirectory.TEMPORARY), runId + ".checkpoint"));
    }

    public Path directory() {
        return dir;
    }

    /** One model's last complete epoch. The network is read only when asked for: it can be large. */
    public final class Checkpoint {
        private final Path path;
        private final int epoch;

        private Checkpoint(Path path, int epoch) {
            this.path = path;
            this.epoch = epoch;
        }

        public int epoch() {
            return epoch;
        }

        public Path path() {
            return path;
        }

        /** The settings the model was trained under (see JobSettings.checkpointIdentity). */
        public SortedMap<String, String> settings() throws IOException {
            try (InputStream in = fs.open(new Path(path, SETTINGS))) {
                return JSON.readValue(in, new TypeReference<TreeMap<String, String>>() { });
            }
        }

        public List<EpochMetrics> history() throws IOException {
            try (InputStream in = fs.open(new Path(path, HISTORY))) {
                return List.of(JSON.readValue(in, EpochMetrics[].class));
            }
        }

        /** The network with its updater state, ready to continue training. */
        public MultiLayerNetwork network() throws IOException {
            try (InputStream in = fs.open(new Path(path, MODEL))) {
                return ModelSerializer.restoreMultiLayerNetwork(in, true);
            }
        }
    }

    /** The latest complete checkpoint of {@code model}, if any. */
    public Optional<Checkpoint> latest(String model) throws IOException {
        Path modelDir = new Path(dir, model);
        if (!fs.isDirectory(modelDir)) {
            return Optional.empty();
        }
        return Arrays.stream(fs.listStatus(modelDir))
                .filter(FileStatus::isDirectory)
                .map(status -> {
                    Matcher m = EPOCH_DIR.matcher(status.getPath().getName());
                    return m.matches() ? new Checkpoint(status.getPath(), Integer.parseInt(m.group(1))) : null;
                })
                .filter(c -> c != null)
                .max(Comparator.comparingInt(Checkpoint::epoch));
    }

    /** Saves {@code model} after epoch {@code history.size()}, then drops its older checkpoints. */
    public void save(String model, MultiLayerNetwork network, List<EpochMetrics> history, Map<String, String> settings)
            throws IOException {
        Path modelDir = new Path(dir, model);
        String name = String.format("epoch-%04d", history.size());
        Path partial = new Path(modelDir, name + ".partial-" + UUID.randomUUID().toString().substring(0, 8));
        write(new Path(partial, MODEL), out -> ModelSerializer.writeModel(network, out, true));
        write(new Path(partial, HISTORY), out -> JSON.writeValue(out, history));
        write(new Path(partial, SETTINGS), out -> JSON.writeValue(out, new TreeMap<>(settings)));
        Path complete = new Path(modelDir, name);
        // Left by an attempt killed after this epoch's rename but before it trained further; same epoch, replaced.
        fs.delete(complete, true);
        if (!fs.rename(partial, complete)) {
            throw new IOException("cannot move checkpoint " + partial + " to " + complete);
        }
        for (FileStatus other : fs.listStatus(modelDir)) {
            if (!other.getPath().getName().equals(name)) {
                fs.delete(other.getPath(), true);
            }
        }
    }

    /** Removes every checkpoint of the run: after it is committed, or when a run starts over. */
    public void discard() throws IOException {
        fs.delete(dir, true);
    }

    public boolean exists() throws IOException {
        return fs.exists(dir);
    }

    private void write(Path file, RunDirectory.StreamWriter writer) throws IOException {
        try (OutputStream out = fs.create(file, true)) {
            writer.writeTo(out);
        }
    }
}
