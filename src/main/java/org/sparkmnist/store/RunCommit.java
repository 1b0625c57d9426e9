package org.sparkmnist.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a finished attempt into place so that, whatever fails or is killed at whatever step, one whole
 * run is visible afterwards: the previous one or the new one, never neither and never a mix.
 *
 * <ol>
 *   <li>renew the lease, checking at the filesystem that its lock is still the current one and its
 *       holder directory still there (a driver that lost its lock stops here), and write {@code
 *       _SUCCESS}, the manifest, last into the attempt's run directory;</li>
 *   <li>look at {@code <output.dir>/<run.id>} again: anything that is not a run this job committed stops
 *       the commit (exit 2), as does any run under output.mode=fail-if-exists;</li>
 *   <li>write the commit record {@code <holder>/commit} (created only if absent): which attempt, and
 *       whether a previous run is being replaced;</li>
 *   <li>rename the previous run to {@code <holder>/previous};</li>
 *   <li>rename the attempt's run directory to {@code <output.dir>/<run.id>};</li>
 *   <li>delete {@code previous}, then the record.</li>
 * </ol>
 * Every step that creates, moves or deletes has its file, its source or its target inside the
 * holder's directory, and creates no missing directory: once another run has sealed that directory
 * (renamed it into its own), a holder that lost its lease while frozen fails at its next step, and
 * each step is atomic, so it lands either before the seal, where the sealing run's recovery sees it,
 * or not at all. Renames never replace anything ({@link OutputFiles#rename}).
 *
 * <p>{@link #recover}, run by the next holder on each sealed directory and by the same driver right
 * after a failed step, reads the record: a record cut short by a kill means no rename happened, and
 * it is dropped; if the attempt's run is complete (its manifest and every file it lists are there),
 * the commit is finished; otherwise the previous run is put back. Only then are dead attempts swept,
 * so nothing a commit still needs is deleted.
 */
final class RunCommit {

    private static final Logger LOG = LoggerFactory.getLogger(RunCommit.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String RECORD = "commit";
    static final String PREVIOUS = "previous";

    private RunCommit() {
    }

    /** The commit record of the holder (or sealed holder) directory {@code state}. */
    static Path record(Path state) {
        return new Path(state, RECORD);
    }

    static Path previous(Path state) {
        return new Path(state, PREVIOUS);
    }

    /**
     * Commits the run directory {@code newRun} of attempt {@code attempt}, listed by {@code manifest};
     * the holder directory {@code holder} keeps the record and the previous run meanwhile.
     */
    static void commit(OutputFiles files, RunLease lease, String runId, Path holder, Path attempt, Path newRun, RunManifest manifest,
                       boolean overwrite) throws IOException {
        lease.verify();
        LOG.info("run {}: lease verified; committing {}", runId, attempt.getName());
        try (OutputStream out = files.create(new Path(newRun, RunManifest.SUCCESS))) {
            out.write(manifest.json());
        }
        RunManifest.Existing existing = RunStore.replaceable(RunManifest.inspect(files, files.run(), runId), manifest.kind(), overwrite);
        byte[] record = JSON.createObjectNode().put("attempt", attempt.getName()).put("previous", existing.present()).toString()
                .getBytes(StandardCharsets.UTF_8);
        if (!files.createExclusive(record(holder), record)) {
            throw new IOException("cannot commit run " + runId + ": a commit record " + record(holder) + " already exists");
        }
        try {
            if (existing.present()) {
                files.rename(files.run(), previous(holder));
            }
            files.rename(newRun, files.run());
        } catch (IOException | RuntimeException failure) {
            try {
                recover(files, runId, holder);
            } catch (IOException | RuntimeException again) {
                failure.addSuppressed(again);
            }
            if (!committedBy(files, runId, attempt.getName())) {
                throw failure;
            }
            LOG.warn("committing run {} failed ({}), but recovery completed it", runId, failure.toString());
            return;
        }
        LOG.info("run written to {}", files.run());
        try {
            files.delete(previous(holder));
            files.delete(record(holder));
        } catch (IOException | RuntimeException e) {
            LOG.warn("run {} is committed, but its previous run or commit record could not be removed ({}); the next run of {}"
                    + " removes them", runId, e.getMessage(), runId);
        }
    }

    /**
     * Brings a commit that an earlier driver did not finish to an end: finishes it when its new run is
     * complete, otherwise puts the previous run back. {@code state}: the directory holding its record,
     * previous run and attempts (a sealed holder directory, or the earlier layout's {@code
     * _temporary/<run.id>}). Must run under the run's lock.
     */
    static void recover(OutputFiles files, String runId, Path state) throws IOException {
        Path record = record(state);
        Path previous = previous(state);
        Path target = files.run();
        byte[] bytes;
        try {
            bytes = files.read(record);
        } catch (FileNotFoundException none) {
            bytes = null;
        }
        if (bytes != null) {
            Optional<String> attempt = attemptIn(bytes);
            if (attempt.isEmpty()) {
                // A kill while the record was written: no rename had started.
                LOG.info("removing the incomplete commit record {}; no rename had started", record);
            } else {
                finishOrRollBack(files, runId, previous, new Path(new Path(state, attempt.get()), RunAttempt.RUN));
            }
            files.delete(previous);
            files.delete(record);
            return;
        }
        // Without a record a previous run only exists if the record's removal was reordered by hand; keep the newest.
        if (files.exists(previous)) {
            if (files.exists(target)) {
                files.delete(previous);
            } else {
                files.rename(previous, target);
                LOG.warn("restored run {} from {}", runId, previous);
            }
        }
    }

    private static void finishOrRollBack(OutputFiles files, String runId, Path previous, Path newRun) throws IOException {
        Path target = files.run();
        Optional<RunManifest> manifest = manifestIn(files, newRun);
        boolean complete = manifest.isPresent() && manifest.get().runId().equals(runId) && RunManifest.complete(files, newRun, manifest.get());
        if (complete) {
            if (files.exists(target)) {
                RunManifest.Existing existing = RunManifest.inspect(files, target, runId);
                if (existing.foreign()) {
                    throw new IOException("cannot finish the interrupted commit of run " + runId + ": " + RunStore.notOurs(existing)
                            .getMessage());
                }
                if (files.exists(previous)) {
                    throw new IOException("cannot recover the interrupted commit of run " + runId + ": both " + target + " and "
                            + previous + " exist; keep the one you want and delete the other");
                }
                files.rename(target, previous);
            }
            files.rename(newRun, target);
            LOG.warn("finished the commit of run {} that an earlier driver was stopped in: the new run is in place", runId);
        } else if (!files.exists(target) && files.exists(previous)) {
            files.rename(previous, target);
            LOG.warn("restored the previous run {}: an earlier driver was stopped while replacing it, before the new run was complete",
                    runId);
        }
    }

    /** Whether the run in place is the one attempt {@code attempt} committed. */
    private static boolean committedBy(OutputFiles files, String runId, String attempt) throws IOException {
        RunManifest.Existing existing = RunManifest.inspect(files, files.run(), runId);
        return existing.committed() && existing.manifest().map(m -> m.attempt().equals(attempt)).orElse(false);
    }

    /** Whether the commit record of {@code holder} names {@code attempt} (its run must then not be deleted). */
    static boolean pending(OutputFiles files, Path holder, String attempt) throws IOException {
        try {
            return attemptIn(files.read(record(holder))).map(attempt::equals).orElse(false);
        } catch (FileNotFoundException none) {
            return false;
        }
    }

    private static Optional<RunManifest> manifestIn(OutputFiles files, Path run) throws IOException {
        try {
            return RunManifest.parse(files.read(new Path(run, RunManifest.SUCCESS)));
        } catch (FileNotFoundException none) {
            return Optional.empty();
        }
    }

    private static Optional<String> attemptIn(byte[] record) {
        try {
            JsonNode root = JSON.readTree(record);
            String attempt = root == null ? "" : root.path("attempt").asText("");
            return RunAttempt.isAttemptName(attempt) ? Optional.of(attempt) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
