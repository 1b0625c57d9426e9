package org.sparkmnist.output;

import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkmnist.BadInputException;
import org.sparkmnist.config.PlainName;

/**
 * The one owner of everything the job keeps under output.dir for one run.id. Nothing else in the job
 * creates, renames or deletes there (Spark tasks write staged minibatches into the scratch directories
 * it creates); every change goes through {@link OutputFiles}, which refuses, as a bug, any path outside
 * what is listed here.
 *
 * <pre>
 * &lt;output.dir&gt;/
 *   &lt;run.id&gt;/                          the committed run; _SUCCESS (its manifest, {@link RunManifest}) written last
 *   _temporary/&lt;run.id&gt;/
 *     lock                             the lease of the driver running this run.id ({@link RunLease})
 *     attempt-&lt;hex&gt;/run/               an attempt's outputs, until committed ({@link RunAttempt}); Spark's DataFrame
 *                                      writer writes a scoring run's predictions/ and rejects/ in it itself
 *     attempt-&lt;hex&gt;/scratch/&lt;name&gt;/    its staged minibatches
 *     checkpoints/&lt;model&gt;/epoch-NNNN/    the two newest per-epoch checkpoints per model ({@link RunCheckpoints})
 *     commit                           the commit record, only while a commit is under way ({@link RunCommit})
 *     previous/                        the replaced run, only while a commit is under way
 * </pre>
 *
 * <p>Opening a store takes the lock, then, under it and in this order, recovers a commit that an
 * earlier driver did not finish ({@link RunCommit#recover}) and deletes the attempt directories dead
 * drivers left. Closing it releases the lock and removes {@code _temporary/<run.id>} and
 * {@code _temporary} when they are empty.
 *
 * <p>Only a run this job committed is ever replaced: {@link #checkReplaceable} refuses (exit code 2,
 * before any training) anything else at {@code <output.dir>/<run.id>}, and the commit checks again.
 * Object stores (s3a, gs, abfs, ...) are refused: a rename there is a copy, not atomic, and
 * create-if-absent does not exclude a second writer, so neither the commit nor the lock would hold.
 */
public final class RunStore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RunStore.class);
    public static final String TEMPORARY = "_temporary";
    /** Filesystems where rename is a copy and exclusive creation does not exclude: the store's guarantees cannot hold there. */
    static final Set<String> OBJECT_STORES = Set.of("s3a", "s3", "s3n", "gs", "abfs", "abfss", "wasb", "wasbs", "oss");

    private final OutputFiles files;
    private final RunLease lease;
    private final String runId;
    private final RunKind kind;
    private final RunCheckpoints checkpoints;

    private RunStore(OutputFiles files, RunLease lease, String runId, RunKind kind) {
        this.files = files;
        this.lease = lease;
        this.runId = runId;
        this.kind = kind;
        this.checkpoints = new RunCheckpoints(files);
    }

    /**
     * Opens the store of {@code runId}, a run of {@code kind}, under {@code outputDir}: takes its lock
     * (waiting up to about one {@code lease} for a holder that may be gone), recovers an interrupted
     * commit, and sweeps dead attempts.
     */
    public static RunStore open(String outputDir, String runId, RunKind kind, Duration lease, Configuration hadoop)
            throws IOException {
        PlainName.problem(runId).ifPresent(problem -> {
            throw new IllegalArgumentException("bug: run.id \"" + runId + "\" reached the store: " + problem);
        });
        Path root = new Path(outputDir);
        refuseObjectStore(outputDir, root.toUri().getScheme());
        FileSystem fs = root.getFileSystem(hadoop);
        // A path without a scheme is on fs.defaultFS, which may be an object store too.
        refuseObjectStore(outputDir, fs.getUri().getScheme());
        OutputFiles files = new OutputFiles(fs, hadoop, fs.makeQualified(root), runId);
        return lockAndRecover(files, runId, kind, lease);
    }

    private static void refuseObjectStore(String outputDir, String scheme) {
        if (scheme != null && OBJECT_STORES.contains(scheme.toLowerCase(Locale.ROOT))) {
            throw new BadInputException("config key output.dir is " + outputDir + ", on an object store (" + scheme + "://): a rename"
                    + " there is a copy that is not atomic and creating a file only if absent does not exclude a second writer,"
                    + " so a run could be left half-replaced or two drivers could hold one run.id; write to HDFS or a local"
                    + " or NFS path and copy the committed run to the object store afterwards");
        }
    }

    private static RunStore lockAndRecover(OutputFiles files, String runId, RunKind kind, Duration lease) throws IOException {
        RunLease held = RunLease.acquire(files, runId, lease);
        files.fenceWith(held::fenced);
        RunStore store = new RunStore(files, held, runId, kind);
        try {
            RunCommit.recover(files, runId);
            store.sweepDeadAttempts();
        } catch (IOException | RuntimeException e) {
            store.close();
            throw e;
        }
        return store;
    }

    /**
     * What is at {@code <output.dir>/<run.id>}, once checked to be replaceable: a run of this store's
     * kind this job committed (with {@code overwrite}) or nothing. Anything else is refused with exit
     * code 2; nothing is changed.
     */
    public RunManifest.Existing checkReplaceable(boolean overwrite) throws IOException {
        return replaceable(RunManifest.inspect(files, files.run(), runId), kind, overwrite);
    }

    /** {@code existing}, if a run of {@code kind} may replace it; the one rule, checked before training and again at commit. */
    static RunManifest.Existing replaceable(RunManifest.Existing existing, RunKind kind, boolean overwrite) {
        if (existing.foreign()) {
            throw notOurs(existing);
        }
        if (existing.present() && existing.kind() != kind) {
            throw new BadInputException("run directory " + existing.path() + " holds a " + existing.kind().label() + " run, which a "
                    + kind.label() + " run never replaces; nothing was moved or deleted: choose another run.id or output.dir");
        }
        if (existing.present() && !overwrite) {
            throw exists(existing.path());
        }
        return existing;
    }

    /** Starts an attempt at the run; {@code overwrite}: whether it may replace a committed run at commit. */
    public RunAttempt startAttempt(boolean overwrite) throws IOException {
        return new RunAttempt(this, files, overwrite);
    }

    public RunCheckpoints checkpoints() {
        return checkpoints;
    }

    String runId() {
        return runId;
    }

    RunKind kind() {
        return kind;
    }

    RunLease lease() {
        return lease;
    }

    /** Releases the lock; removes {@code _temporary/<run.id>} and {@code _temporary} if nothing else is in them. */
    @Override
    public void close() {
        lease.close();
        files.removeIfEmpty(files.runTemporary());
        files.removeIfEmpty(files.runTemporary().getParent());
    }

    /** Attempt directories of killed drivers: their staged minibatches alone are as large as the data. */
    private void sweepDeadAttempts() throws IOException {
        for (FileStatus status : files.list(files.runTemporary())) {
            String name = status.getPath().getName();
            if (RunAttempt.isAttemptName(name) || name.startsWith(RunLease.LOCK + ".stale-")) {
                LOG.info("removing {}, left by an earlier attempt of run {} that did not finish", status.getPath(), runId);
                files.delete(status.getPath());
            }
        }
    }

    static BadInputException notOurs(RunManifest.Existing existing) {
        return new BadInputException("output.dir already holds " + existing.path() + ", which is not a run spark-mnist committed ("
                + existing.foreignBecause() + "); nothing was moved or deleted: move it away, or choose another run.id");
    }

    static BadInputException exists(Path target) {
        return new BadInputException("run directory " + target + " already exists and config key output.mode is fail-if-exists;"
                + " choose another run.id or set output.mode=overwrite");
    }
}
