package org.sparkmnist.output;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkmnist.BadInputException;

/**
 * One run's outputs, assembled under {@code <output.dir>/_temporary/<run.id>-<attempt>/} and moved to
 * {@code <output.dir>/<run.id>} by a single rename when everything, {@code _SUCCESS} last, is written.
 * A reader therefore sees either no run, the previous complete run, or the new complete run; a
 * failed attempt leaves only its temporary directory, which {@link #abandon()} removes.
 */
public final class RunDirectory {

    private static final Logger LOG = LoggerFactory.getLogger(RunDirectory.class);
    public static final String SUCCESS = "_SUCCESS";
    public static final String TEMPORARY = "_temporary";
    /** An attempt directory is {@code <run.id>-} and this many hex digits, so it cannot be mistaken for another run's. */
    private static final int ATTEMPT_CHARS = 8;
    private static final String ATTEMPT_SUFFIX = "[0-9a-f]{" + ATTEMPT_CHARS + "}";

    private final FileSystem fs;
    private final Path target;
    private final Path attempt;
    private final boolean overwrite;

    private RunDirectory(FileSystem fs, Path target, Path attempt, boolean overwrite) {
        this.fs = fs;
        this.target = target;
        this.attempt = attempt;
        this.overwrite = overwrite;
    }

    /**
     * Starts an attempt at run {@code runId}. Without {@code overwrite} an existing run of that id is
     * bad input, refused here, before any training, rather than after an hour of it.
     */
    public static RunDirectory create(String outputDir, String runId, boolean overwrite, Configuration hadoop) throws IOException {
        Path root = new Path(outputDir);
        FileSystem fs = root.getFileSystem(hadoop);
        root = fs.makeQualified(root);
        // Local disks would otherwise get a .crc side file beside every output.
        fs.setWriteChecksum(false);
        Path target = new Path(root, runId);
        if (!overwrite && fs.exists(target)) {
            throw existing(target);
        }
        Path attempt = new Path(new Path(root, TEMPORARY), runId + "-" + UUID.randomUUID().toString().substring(0, ATTEMPT_CHARS));
        if (!fs.mkdirs(attempt)) {
            throw new IOException("cannot create " + attempt);
        }
        return new RunDirectory(fs, target, attempt, overwrite);
    }

    /**
     * Deletes the attempt directories of {@code runId} that earlier, killed drivers left behind
     * (their staged minibatches alone are as large as the data). Only safe while holding the
     * run's {@link RunLock}: then no other attempt of this id can be alive.
     */
    public static void removeDeadAttempts(String outputDir, String runId, Configuration hadoop) throws IOException {
        Path root = new Path(outputDir);
        FileSystem fs = root.getFileSystem(hadoop);
        Path temporary = new Path(fs.makeQualified(root), TEMPORARY);
        if (!fs.isDirectory(temporary)) {
            return;
        }
        Pattern attemptOfRun = Pattern.compile(Pattern.quote(runId) + "-" + ATTEMPT_SUFFIX);
        for (FileStatus status : fs.listStatus(temporary)) {
            if (status.isDirectory() && attemptOfRun.matcher(status.getPath().getName()).matches()) {
                LOG.info("removing {}, left by an earlier attempt of run {} that did not finish", status.getPath(), runId);
                fs.delete(status.getPath(), true);
            }
        }
    }

    /** Where the finished run will be. */
    public Path target() {
        return target;
    }

    /** Scratch space of this attempt (minibatch files); removed with the attempt. */
    public Path scratch(String name) {
        return new Path(new Path(attempt, "_scratch"), name);
    }

    public Path file(String relative) {
        return new Path(new Path(attempt, "run"), relative);
    }

    public FileSystem fileSystem() {
        return fs;
    }

    /** Writes one output file of the run. */
    public void write(String relative, StreamWriter writer) throws IOException {
        try (OutputStream out = fs.create(file(relative), true)) {
            writer.writeTo(out);
        }
    }

    public void writeText(String relative, String text) throws IOException {
        write(relative, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Marks the run complete and moves it into place. An existing run of the same id is first moved
     * aside and deleted only after the new one is in place, so a failure here loses neither.
     */
    public void commit() throws IOException {
        writeText(SUCCESS, "");
        Path previous = null;
        if (fs.exists(target)) {
            if (!overwrite) {
                throw existing(target);
            }
            previous = new Path(attempt, "previous");
            if (!fs.rename(target, previous)) {
                throw new IOException("cannot move the existing run " + target + " aside");
            }
        }
        if (!fs.rename(new Path(attempt, "run"), target)) {
            if (previous != null) {
                fs.rename(previous, target);
            }
            throw new IOException("cannot move the finished run into " + target);
        }
        LOG.info("run written to {}", target);
        abandon();
    }

    /** Removes what this attempt wrote that was not committed (scratch, partial outputs). */
    public void abandon() {
        try {
            fs.delete(attempt, true);
            Path temporary = attempt.getParent();
            // Other runs may be writing their own attempts beside this one.
            if (fs.exists(temporary) && fs.listStatus(temporary).length == 0) {
                fs.delete(temporary, false);
            }
        } catch (IOException e) {
            LOG.warn("could not remove {}: {}", attempt, e.getMessage());
        }
    }

    private static BadInputException existing(Path target) {
        return new BadInputException("run directory " + target + " already exists and config key output.mode is fail-if-exists;"
                + " choose another run.id or set output.mode=overwrite");
    }

    @FunctionalInterface
    public interface StreamWriter {
        void writeTo(OutputStream out) throws IOException;
    }
}
