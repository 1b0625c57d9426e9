package org.sparkmnist.store;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkmnist.config.PlainName;
import org.sparkmnist.model.ModelZip;
import org.sparkmnist.training.EpochMetrics;

/**
 * Per-epoch checkpoints of a training run, at {@code <holder>/checkpoints/<model>/epoch-NNNN/}: the
 * network with its updater state, the metrics so far, and the identity (settings and data) that
 * shaped the model. They are in the directory of the driver holding the run's lease, so a driver
 * that lost it cannot write or delete them; the next driver of the run.id takes them over into its
 * own ({@link RunStore}), so a rerun after a killed driver finds them. Only a training run ever
 * changes them.
 *
 * <p>The network is written and read by {@link ModelZip}, as every model the job saves: a stock DL4J
 * model.zip, loaded with the project's fast layers and optimizers switched back in.
 *
 * <p>An epoch's checkpoint is written into a temporary directory and renamed to {@code epoch-NNNN}
 * only when complete, so a kill mid-write leaves at worst a temporary directory that is ignored. The
 * two newest complete epochs are kept: when the newest does not load (a disk that lost part of it),
 * {@link #load} falls back to the one before, and says so.
 */
public final class RunCheckpoints {

    private static final Logger LOG = LoggerFactory.getLogger(RunCheckpoints.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern EPOCH_DIR = Pattern.compile("epoch-(\\d{4,})");
    static final String DIRECTORY = "checkpoints";
    static final int KEPT = 2;
    private static final String MODEL = "model.zip";
    private static final String HISTORY = "history.json";
    private static final String SETTINGS = "settings.json";

    private final OutputFiles files;
    private final Path holder;
    private final Path dir;

    RunCheckpoints(OutputFiles files, Path holder) {
        this.files = files;
        this.holder = holder;
        this.dir = new Path(holder, DIRECTORY);
    }

    /** A model's checkpoint as loaded: the epoch it ends, and all it holds. */
    public record Loaded(int epoch, Path path, SortedMap<String, String> settings, List<EpochMetrics> history, MultiLayerNetwork network) {
    }

    /**
     * The newest checkpoint of {@code model} that loads whole, if any; a newer one that does not load
     * is skipped with a warning naming it and why.
     */
    public Optional<Loaded> load(String model) throws IOException {
        for (Epoch epoch : newestFirst(model)) {
            try {
                return Optional.of(read(epoch));
            } catch (IOException | RuntimeException unreadable) {
                LOG.warn("{}: the checkpoint of epoch {} ({}) does not load ({}); trying the one before it", model, epoch.epoch(),
                        epoch.path(), unreadable.toString());
            }
        }
        return Optional.empty();
    }

    /** The complete checkpoints of {@code model}, newest first (at most {@link #KEPT}). */
    List<Epoch> newestFirst(String model) throws IOException {
        Path modelDir = modelDir(model);
        if (!files.isDirectory(modelDir)) {
            return List.of();
        }
        List<Epoch> epochs = new ArrayList<>();
        for (FileStatus status : files.list(modelDir)) {
            Matcher m = EPOCH_DIR.matcher(status.getPath().getName());
            if (status.isDirectory() && m.matches()) {
                epochs.add(new Epoch(Integer.parseInt(m.group(1)), status.getPath()));
            }
        }
        epochs.sort(Comparator.comparingInt(Epoch::epoch).reversed());
        return epochs;
    }

    record Epoch(int epoch, Path path) {
    }

    /** Saves {@code model} after epoch {@code history.size()}, then drops all but the {@link #KEPT} newest. */
    public void save(String model, MultiLayerNetwork network, List<EpochMetrics> history, Map<String, String> settings)
            throws IOException {
        Path modelDir = modelDir(model);
        String name = String.format("epoch-%04d", history.size());
        Path partial = new Path(modelDir, name + ".partial-" + UUID.randomUUID().toString().substring(0, 8));
        files.mkdirBelow(holder, partial);
        write(new Path(partial, MODEL), out -> ModelZip.write(network, out, true));
        write(new Path(partial, HISTORY), out -> JSON.writeValue(out, history));
        write(new Path(partial, SETTINGS), out -> JSON.writeValue(out, new TreeMap<>(settings)));
        Path complete = new Path(modelDir, name);
        // Left by an attempt killed after this epoch's rename but before it trained further; same epoch, replaced.
        files.delete(complete);
        files.rename(partial, complete);
        List<Path> keep = newestFirst(model).stream().limit(KEPT).map(Epoch::path).toList();
        for (FileStatus other : files.list(modelDir)) {
            if (!keep.contains(other.getPath())) {
                files.delete(other.getPath());
            }
        }
    }

    /** Removes every checkpoint of the run: after it is committed, or when a run starts over. */
    public void discard() throws IOException {
        files.delete(dir);
    }

    public boolean exists() throws IOException {
        return files.exists(dir);
    }

    private Loaded read(Epoch epoch) throws IOException {
        SortedMap<String, String> settings;
        try (InputStream in = files.open(new Path(epoch.path(), SETTINGS))) {
            settings = JSON.readValue(in, new TypeReference<TreeMap<String, String>>() { });
        }
        List<EpochMetrics> history;
        try (InputStream in = files.open(new Path(epoch.path(), HISTORY))) {
            history = List.of(JSON.readValue(in, EpochMetrics[].class));
        }
        if (history.size() != epoch.epoch()) {
            throw new IOException("its history holds " + history.size() + " epochs");
        }
        MultiLayerNetwork network;
        try (InputStream in = files.open(new Path(epoch.path(), MODEL))) {
            network = ModelZip.read(in, true);
        }
        return new Loaded(epoch.epoch(), epoch.path(), settings, history, network);
    }

    private Path modelDir(String model) {
        PlainName.problem(model).ifPresent(problem -> {
            throw new IllegalArgumentException("bug: model name \"" + model + "\" reached the store: " + problem);
        });
        return new Path(dir, model);
    }

    private void write(Path file, StreamWriter writer) throws IOException {
        try (OutputStream out = files.create(file)) {
            writer.writeTo(out);
        }
    }
}
