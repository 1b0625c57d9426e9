package org.sparkmnist.store;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.SortedMap;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkmnist.runtime.KnownSecrets;

/**
 * One attempt at a run: its outputs are written under {@code <holder>/attempt-<hex>/run/} and its
 * scratch space (staged minibatches) is {@code <holder>/attempt-<hex>/scratch/<name>/}, inside the
 * directory of the driver holding the run's lease ({@link RunLease}). Nothing of it is visible at
 * {@code <output.dir>/<run.id>} until {@link #commit}.
 */
public final class RunAttempt {

    private static final Logger LOG = LoggerFactory.getLogger(RunAttempt.class);
    static final String RUN = "run";
    static final String SCRATCH = "scratch";
    private static final Pattern NAME = Pattern.compile("attempt-[0-9a-f]{8}");

    private final RunStore store;
    private final OutputFiles files;
    private final Path holder;
    private final Path dir;
    private final boolean overwrite;

    RunAttempt(RunStore store, OutputFiles files, Path holder, boolean overwrite) throws IOException {
        this.store = store;
        this.files = files;
        this.holder = holder;
        this.dir = new Path(holder, "attempt-" + UUID.randomUUID().toString().substring(0, 8));
        this.overwrite = overwrite;
        files.mkdirBelow(holder, new Path(dir, RUN));
    }

    static boolean isAttemptName(String name) {
        return NAME.matcher(name).matches();
    }

    /** A directory of this attempt's scratch space, created; Spark tasks write into it. Removed with the attempt. */
    public Path scratch(String name) throws IOException {
        Path scratch = new Path(new Path(dir, SCRATCH), checkedRelative(name));
        files.mkdirBelow(holder, scratch);
        return files.fileSystem().makeQualified(scratch);
    }

    /**
     * Where Spark's own DataFrame writer puts a directory of the run ({@code relative} to the run
     * directory, e.g. "predictions"), qualified and not yet existing: the writer creates it and its
     * committer moves the tasks' files into it, as Spark tasks write into {@link #scratch}. It is
     * part of the run from then on: committed, listed in the manifest, or removed with the attempt.
     */
    public Path sparkOutput(String relative) {
        return files.fileSystem().makeQualified(new Path(new Path(dir, RUN), checkedRelative(relative)));
    }

    /**
     * Writes one binary output file of the run, {@code relative} to the run directory ("mlp/model.zip",
     * "mlp/loss.png"), as it is: text goes through {@link #writeText}, which masks secrets.
     */
    public void write(String relative, StreamWriter writer) throws IOException {
        Path file = new Path(new Path(dir, RUN), checkedRelative(relative));
        files.mkdirBelow(holder, file.getParent());
        try (OutputStream out = files.create(file)) {
            writer.writeTo(out);
        }
    }

    /**
     * Writes one text file of the run with every secret this JVM knows masked ({@link KnownSecrets}):
     * the one way a run's text reaches a file, whatever put the secret in it (a model's URI, a path,
     * a library's message).
     */
    public void writeText(String relative, String text) throws IOException {
        String masked = KnownSecrets.thisJvm().mask(text);
        write(relative, out -> out.write(masked.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Makes the run visible at {@code <output.dir>/<run.id>}, replacing a previous run of this job there
     * (see {@link RunCommit}), then removes this attempt and, for a training run, its checkpoints.
     *
     * @param identity what output.mode=resume compares to decide that a committed run needs no rerun
     */
    public void commit(SortedMap<String, String> identity) throws IOException {
        Path run = new Path(dir, RUN);
        RunManifest manifest = new RunManifest(store.kind(), store.runId(), dir.getName(), RunManifest.filesBelow(files, run), identity);
        RunCommit.commit(files, store.lease(), store.runId(), holder, dir, run, manifest, overwrite);
        try {
            if (store.kind() == RunKind.TRAINING) {
                store.checkpoints().discard();
            }
            files.delete(dir);
        } catch (IOException | RuntimeException e) {
            LOG.warn("run {} is committed, but {} or its checkpoints could not be removed ({}); the next run of {} removes them",
                    store.runId(), dir, e.getMessage(), store.runId());
        }
    }

    /** Removes what this attempt wrote (scratch, partial outputs), unless a commit record still needs it. */
    public void abandon() {
        try {
            if (RunCommit.pending(files, holder, dir.getName())) {
                LOG.warn("keeping {}: its commit did not finish; the next run of {} finishes or rolls it back", dir, store.runId());
                return;
            }
            files.delete(dir);
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not remove {}: {}; the next run of {} removes it", dir, e.getMessage(), store.runId());
        }
    }

    /** A relative path that stays inside the directory it is resolved against, and is not the manifest. */
    private static String checkedRelative(String relative) {
        for (String segment : relative.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..") || segment.contains("\\")) {
                throw new IllegalArgumentException("bug: \"" + relative + "\" is not a plain relative path");
            }
        }
        if (relative.equals(RunManifest.SUCCESS)) {
            throw new IllegalArgumentException("bug: " + RunManifest.SUCCESS + " is written by the commit");
        }
        return relative;
    }
}
