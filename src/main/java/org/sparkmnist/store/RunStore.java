package org.sparkmnist.store;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
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
 *   &lt;run.id&gt;/                           the committed run; _SUCCESS (its manifest, {@link RunManifest}) written last
 *   _spark-mnist/&lt;run.id&gt;/
 *     lock-&lt;n&gt;                           the lease of the driver running this run.id, generation n ({@link RunLease})
 *     holder-&lt;n&gt;-&lt;token&gt;/               everything that driver changes; sealed by the next one as dead-&lt;n&gt;-&lt;token&gt;/
 *       attempt-&lt;hex&gt;/run/              an attempt's outputs, until committed ({@link RunAttempt}); Spark's DataFrame
 *                                       writer writes a scoring run's predictions/ and rejects/ in it itself
 *       attempt-&lt;hex&gt;/scratch/&lt;name&gt;/   its staged minibatches
 *       checkpoints/&lt;model&gt;/epoch-NNNN/   a training run's two newest per-epoch checkpoints per model ({@link RunCheckpoints})
 *       commit                          the commit record, only while a commit is under way ({@link RunCommit})
 *       previous/                       the replaced run, only while a commit is under way
 *       dead-&lt;n&gt;-&lt;token&gt;/               an earlier driver's directory, sealed, until recovered ({@link EarlierHolders})
 * </pre>
 *
 * <p>{@code _spark-mnist} is a name no other tool uses, hidden from Hadoop's and Spark's input listing
 * (a leading '_'), which no run.id can take. Hadoop's FileOutputCommitter deletes {@code _temporary}
 * when any job writing straight into output.dir cleans up, which is why the store no longer lives
 * there; what the previous version left in {@code _temporary/<run.id>/} is taken over ({@link LegacyStore}).
 *
 * <p>Opening a store takes the lock and creates the holder's directory; then, under the lock and in
 * this order, it waits out a lock of the previous version's driver, refuses (a scoring run) to go on
 * where a training run left checkpoints, seals the directories of earlier holders, recovers the
 * commits an earlier driver did not finish ({@link RunCommit#recover}), oldest first, takes over the
 * newest checkpoints, and deletes what is left of dead attempts. Closing it releases the lock, removes
 * the holder's directory unless it keeps checkpoints or an unfinished commit for the next run, and
 * removes {@code _spark-mnist/<run.id>} and {@code _spark-mnist} when they are empty.
 *
 * <p>Only a run this job committed is ever replaced: {@link #checkReplaceable} refuses (exit code 2,
 * before any training) anything else at {@code <output.dir>/<run.id>}, and the commit checks again.
 * A run of one kind never takes another kind's state: a scoring run given the run.id of an unfinished
 * training run is refused before it changes anything, and only a training run's commit discards
 * checkpoints. Two run.ids that differ only in case are refused as one on a filesystem that ignores
 * case. Object stores (s3a, gs, abfs, ...) are refused: a rename there is a copy, not atomic, and
 * create-if-absent does not exclude a second writer, so neither the commit nor the lock would hold.
 */
public final class RunStore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RunStore.class);
    /** The store's directory under output.dir. */
    public static final String DIRECTORY = "_spark-mnist";
    /** The prefix of a sealed holder directory. */
    static final String DEAD = "dead-";
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
        this.checkpoints = new RunCheckpoints(files, lease.holder());
    }

    /**
     * Opens the store of {@code runId}, a run of {@code kind}, under {@code outputDir}: takes its lock
     * (waiting up to about one {@code lease} for a holder that may be gone), and takes over what
     * earlier drivers of the run.id left.
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
        return lockAndTakeOver(files, runId, kind, lease);
    }

    private static void refuseObjectStore(String outputDir, String scheme) {
        if (scheme != null && OBJECT_STORES.contains(scheme.toLowerCase(Locale.ROOT))) {
            throw new BadInputException("config key output.dir is " + outputDir + ", on an object store (" + scheme + "://): a rename"
                    + " there is a copy that is not atomic and creating a file only if absent does not exclude a second writer,"
                    + " so a run could be left half-replaced or two drivers could hold one run.id; write to HDFS or a local"
                    + " or NFS path and copy the committed run to the object store afterwards");
        }
    }

    private static RunStore lockAndTakeOver(OutputFiles files, String runId, RunKind kind, Duration lease) throws IOException {
        RunLease held = RunLease.acquire(files, runId, lease, ProcessTable.SYSTEM);
        files.fenceWith(held::fenced);
        RunStore store = new RunStore(files, held, runId, kind);
        try {
            LegacyStore legacy = new LegacyStore(files, runId);
            legacy.awaitOldDriver(lease);
            EarlierHolders earlier = new EarlierHolders(files, runId, held.holder());
            store.refuseAnotherKindsState(earlier, legacy);
            earlier.seal(held.generation());
            legacy.recoverCommit();
            earlier.recover();
            List<EarlierHolders.Checkpoints> candidates = new ArrayList<>(earlier.checkpoints());
            legacy.checkpoints().ifPresent(path -> candidates.add(new EarlierHolders.Checkpoints(path, 0)));
            earlier.adopt(candidates);
            earlier.sweep();
            legacy.sweep();
        } catch (IOException | RuntimeException e) {
            store.close();
            throw e;
        }
        return store;
    }

    /** A scoring run stops, changing nothing, where a training run of its run.id left checkpoints to resume from. */
    private void refuseAnotherKindsState(EarlierHolders earlier, LegacyStore legacy) throws IOException {
        if (kind == RunKind.TRAINING) {
            return;
        }
        Optional<Path> checkpoints = earlier.checkpoints().stream().map(EarlierHolders.Checkpoints::path).findFirst();
        if (checkpoints.isEmpty()) {
            checkpoints = legacy.checkpoints();
        }
        if (checkpoints.isPresent()) {
            throw new BadInputException("run " + runId + " holds the checkpoints of a training run that did not finish (" + checkpoints.get()
                    + "); a " + kind.label() + " run never touches a training run's state, and nothing was changed: finish that"
                    + " training with output.mode=resume, or choose another run.id");
        }
    }

    /**
     * Refuses a run.id that differs only in case from the one {@code dir}'s directory already has:
     * a filesystem that ignores case (macOS, Windows shares) would give both the same directory.
     * Listing the parent shows the name as it was first created, whatever case was asked for.
     */
    static void requireExactCase(OutputFiles files, Path dir, String runId) throws IOException {
        for (FileStatus status : files.list(dir.getParent())) {
            String name = status.getPath().getName();
            if (name.equals(runId)) {
                return;
            }
        }
        for (FileStatus status : files.list(dir.getParent())) {
            String name = status.getPath().getName();
            if (name.equalsIgnoreCase(runId)) {
                throw new BadInputException("run.id " + runId + " differs only in case from run " + name + ", whose state is in "
                        + status.getPath() + "; this filesystem does not tell the two apart, so they would share one lock,"
                        + " checkpoints and commit: nothing was changed; choose another run.id");
            }
        }
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
        return new RunAttempt(this, files, lease.holder(), overwrite);
    }

    /** The run's checkpoints: a training run's state, which no run of another kind may change. */
    public RunCheckpoints checkpoints() {
        if (kind != RunKind.TRAINING) {
            throw new IllegalStateException("bug: a " + kind.label() + " run asked for checkpoints, which only training runs have");
        }
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

    /**
     * Releases the lock; removes the holder's directory unless it keeps something for the next run
     * (checkpoints, an unfinished commit), then {@code _spark-mnist/<run.id>} and {@code _spark-mnist}
     * if nothing else is in them.
     */
    @Override
    public void close() {
        lease.close(keepsSomething());
        if (files.removeIfEmpty(files.store())) {
            files.removeIfEmpty(files.store().getParent());
        }
    }

    /** Whether the holder's directory holds anything but attempts, which are garbage once this run ends. */
    private boolean keepsSomething() {
        try {
            for (FileStatus status : files.list(lease.holder())) {
                if (!RunAttempt.isAttemptName(status.getPath().getName())) {
                    return true;
                }
            }
            return false;
        } catch (IOException | RuntimeException e) {
            return true;
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
