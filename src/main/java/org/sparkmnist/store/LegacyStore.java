package org.sparkmnist.store;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkmnist.BadInputException;

/**
 * What the previous version of the store left in {@code <output.dir>/_temporary/<run.id>/}: the lock
 * of a driver that may still run, attempts, checkpoints, and a commit it was stopped in. A driver of
 * this version, holding the run's lock, respects a live old driver's lock (exit 2), waits out a dead
 * one's lease, finishes or rolls back the old commit where it lies (as that version did), takes the
 * checkpoints over, removes the old attempts, and removes {@code _temporary/<run.id>} and {@code
 * _temporary} only if they are empty then.
 *
 * <p>{@code _temporary} is Hadoop's name: only entries that version wrote ({@link #isOwnEntry}) are
 * touched, so a job attempt of Hadoop's FileOutputCommitter that happens to be called like a run.id
 * ({@code _temporary/0/}) is left as it is.
 */
final class LegacyStore {

    private static final Logger LOG = LoggerFactory.getLogger(LegacyStore.class);
    static final String TEMPORARY = "_temporary";
    static final String LOCK = "lock";
    private static final Pattern OWN = Pattern.compile("lock|lock\\.stale-[0-9a-f]{8}|attempt-[0-9a-f]{8}|checkpoints|commit|previous");
    private static final Pattern GARBAGE = Pattern.compile("lock\\.stale-[0-9a-f]{8}|attempt-[0-9a-f]{8}");

    private final OutputFiles files;
    private final String runId;
    private final Path dir;

    LegacyStore(OutputFiles files, String runId) {
        this.files = files;
        this.runId = runId;
        this.dir = files.legacy();
    }

    /** Whether {@code name} is one the previous version wrote in {@code _temporary/<run.id>/}. */
    static boolean isOwnEntry(String name) {
        return OWN.matcher(name).matches();
    }

    /** Whether there is such a directory, named exactly as this run.id (not a case variant of another's). */
    private boolean present() throws IOException {
        try {
            for (FileStatus status : files.list(dir.getParent())) {
                if (status.getPath().getName().equals(runId)) {
                    return status.isDirectory();
                }
            }
        } catch (FileNotFoundException none) {
            return false;
        }
        return false;
    }

    /**
     * Waits while an old driver's lock there is alive: refuses with exit code 2 as soon as it is
     * renewed, and removes it once a whole lease has passed without renewal. Its lock does not give
     * the start tick and uid that a lock of this version gives, so it is always left to its lease.
     */
    void awaitOldDriver(Duration ours) throws IOException {
        if (!present()) {
            return;
        }
        Path lock = new Path(dir, LOCK);
        Optional<RunLease.Observation> seen = RunLease.observe(files, lock, 0);
        if (seen.isEmpty()) {
            return;
        }
        LeaseWatch.Outcome outcome = LeaseWatch.until(files, runId, seen.get(), ours, () -> RunLease.observe(files, lock, 0));
        if (outcome == LeaseWatch.Outcome.RENEWED) {
            throw RunLease.held(runId, RunLease.observe(files, lock, 0).orElse(seen.get()));
        }
        if (outcome == LeaseWatch.Outcome.EXPIRED) {
            LOG.warn("removing the lock {} of an earlier version's driver of run {}: not renewed for its lease", lock, runId);
            files.delete(lock);
        }
    }

    /** The old checkpoints, if any. */
    Optional<Path> checkpoints() throws IOException {
        Path checkpoints = new Path(dir, RunCheckpoints.DIRECTORY);
        return present() && files.isDirectory(checkpoints) ? Optional.of(checkpoints) : Optional.empty();
    }

    /** Finishes or rolls back a commit an old driver was stopped in, in place. */
    void recoverCommit() throws IOException {
        if (present() && (files.exists(RunCommit.record(dir)) || files.exists(RunCommit.previous(dir)))) {
            LOG.warn("recovering the commit of run {} that an earlier version's driver did not finish, in {}", runId, dir);
            RunCommit.recover(files, runId, dir);
        }
    }

    /** Removes the old attempts and lock files, what is left of the checkpoints, then the directories if empty. */
    void sweep() throws IOException {
        if (!present()) {
            return;
        }
        for (FileStatus status : files.list(dir)) {
            String name = status.getPath().getName();
            if (GARBAGE.matcher(name).matches() || name.equals(RunCheckpoints.DIRECTORY)) {
                LOG.info("removing {}, left by an earlier version's attempt of run {}", status.getPath(), runId);
                files.delete(status.getPath());
            }
        }
        if (files.removeIfEmpty(dir)) {
            files.removeIfEmpty(dir.getParent());
        }
    }
}
