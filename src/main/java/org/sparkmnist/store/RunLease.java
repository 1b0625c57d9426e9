package org.sparkmnist.store;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.util.ShutdownHookManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkmnist.BadInputException;

/**
 * The lock of a run.id, as a lease held by generations: {@code <store>/lock-<n>}, created only if
 * absent, names its holder ({@link LockOwner}); the lock with the highest {@code n} is the current
 * one, and its holder renews it every third of the lease by bumping the file's modification time
 * (a daemon thread). Nobody compares clocks across hosts: a contender reads the current lock,
 * watches it on its own clock, and
 * <ul>
 *   <li>refuses with exit code 2 as soon as it sees a renewal (the holder is alive);</li>
 *   <li>takes it over when a full lease passes with no renewal (the holder is gone, wherever it ran);</li>
 *   <li>takes it over at once when the holder ran on this machine as the same user (same host name,
 *       boot, pid namespace and uid) and its pid runs no process, or one started at another clock
 *       tick. A /proc entry that cannot be read proves nothing: the lease decides.</li>
 * </ul>
 * Taking over generation {@code n} is creating {@code lock-<n+1>}, which only one contender can
 * do, then checking that {@code lock-<n>} is still exactly what was watched (else the new lock is
 * dropped and the contender looks again). No lock is ever moved aside and put back.
 *
 * <p>Each generation's holder keeps everything it changes in its own directory {@code
 * <store>/holder-<n>-<token>/}, created right after its lock; {@link RunStore} seals the directories
 * of earlier holders by renaming them into its own. That, not this class, is what stops a holder
 * that lost its lease while frozen (see {@link OutputFiles}). A holder that notices it lost the
 * lease (its lock is gone, not the current one, or no longer its own, or its directory was sealed)
 * stops renewing and fences the store in memory as well: every later change throws at once.
 *
 * <p>The lock is released when the job ends and also from a shutdown hook when the JVM is stopped
 * (SIGTERM from YARN, Kubernetes or Airflow): the lock file is renamed into the holder's directory,
 * which fails once that directory is sealed, so a holder can never release a lock that is no longer
 * its own. The hook runs before Spark's own (Spark 3.5 registers it with Hadoop's ShutdownHookManager
 * at FileSystem.SHUTDOWN_HOOK_PRIORITY + 30), so the next attempt finds the lock gone even when
 * stopping Spark takes long, and the filesystem is still open.
 */
final class RunLease implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RunLease.class);
    static final String LOCK = "lock-";
    static final String HOLDER = "holder-";
    static final int SHUTDOWN_PRIORITY = FileSystem.SHUTDOWN_HOOK_PRIORITY + 40;
    private static final Pattern LOCK_NAME = Pattern.compile("lock-([0-9]{1,18})");
    private static final Pattern HOLDER_NAME = Pattern.compile("holder-([0-9]{1,18})-([0-9a-f]{16})");
    private static final int ATTEMPTS = 6;

    private final OutputFiles files;
    private final String runId;
    private final LockOwner me;
    private final long generation;
    private final Path path;
    private final Path holder;
    private final Duration lease;
    private final ScheduledExecutorService renewer;
    private final Runnable releaseOnTermination = () -> release(true);
    private long lastModification;
    private long lastRenewal;
    private volatile String lost;
    private volatile boolean released;

    private RunLease(OutputFiles files, String runId, LockOwner me, long generation, Duration lease) throws IOException {
        this.files = files;
        this.runId = runId;
        this.me = me;
        this.generation = generation;
        this.path = lockPath(files, generation);
        this.holder = new Path(files.store(), HOLDER + generation + "-" + me.token());
        this.lease = lease;
        this.lastModification = files.status(path).getModificationTime();
        this.lastRenewal = System.nanoTime();
        this.renewer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "run-lock-renewal");
            thread.setDaemon(true);
            return thread;
        });
        long period = Math.max(1, lease.toMillis() / 3);
        renewer.scheduleWithFixedDelay(this::renewQuietly, period, period, TimeUnit.MILLISECONDS);
        ShutdownHookManager.get().addShutdownHook(releaseOnTermination, SHUTDOWN_PRIORITY);
    }

    /** Takes the lock of {@code runId}, waiting at most about one lease, or fails with exit code 2 naming the holder. */
    static RunLease acquire(OutputFiles files, String runId, Duration lease, ProcessTable processes) throws IOException {
        LockOwner me = LockOwner.current(lease, processes);
        Optional<Observation> last = Optional.empty();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            files.mkdirStore();
            RunStore.requireExactCase(files, files.store(), runId);
            last = current(files);
            if (last.isEmpty()) {
                Optional<RunLease> held = claim(files, runId, me, 1 + highestGeneration(files), Optional.empty(), lease);
                if (held.isPresent()) {
                    return held.get();
                }
                continue;
            }
            Observation watched = last.get();
            Optional<LockOwner> holder = watched.owner();
            boolean dead = holder.isPresent() && holder.get().isDeadProcessOnThisMachine(processes);
            if (!dead) {
                LeaseWatch.Outcome watch = LeaseWatch.until(files, runId, watched, lease, () -> current(files));
                if (watch == LeaseWatch.Outcome.CHANGED) {
                    continue;
                }
                if (watch == LeaseWatch.Outcome.RENEWED) {
                    throw held(runId, current(files).orElse(watched));
                }
            }
            Optional<RunLease> taken = claim(files, runId, me, watched.generation() + 1, Optional.of(watched), lease);
            if (taken.isPresent()) {
                if (dead) {
                    LOG.warn("took over the lock {} of run {} left by pid {}, which is no longer running", watched.path(), runId,
                            holder.get().pid());
                } else {
                    LOG.warn("took over the lock {} of run {}: held by {}, not renewed for {}s (its lease)", watched.path(), runId,
                            holder.map(LockOwner::describe).orElse("nobody named"),
                            holder.map(LockOwner::lease).orElse(lease).toSeconds());
                }
                return taken.get();
            }
        }
        throw held(runId, current(files).orElse(last.orElse(null)));
    }

    /**
     * Creates {@code lock-<generation>}; when taking over, checks the lock watched is still as it was;
     * then creates the holder's directory and checks no later generation appeared meanwhile. Empty,
     * with nothing of this attempt left, when any of that fails.
     */
    private static Optional<RunLease> claim(OutputFiles files, String runId, LockOwner me, long generation,
                                            Optional<Observation> predecessor, Duration lease) throws IOException {
        Path lock = lockPath(files, generation);
        try {
            if (!files.createExclusive(lock, me.text().getBytes(StandardCharsets.UTF_8))) {
                return Optional.empty();
            }
        } catch (FileNotFoundException storeRemoved) {
            // A run of this id that was just ending removed the empty store directory: look again.
            return Optional.empty();
        }
        if (predecessor.isPresent()) {
            Optional<Observation> now = observe(files, predecessor.get().path(), predecessor.get().generation());
            if (now.isEmpty() || !now.get().sameAs(predecessor.get())) {
                files.delete(lock);
                return Optional.empty();
            }
        }
        RunLease held = new RunLease(files, runId, me, generation, lease);
        try {
            files.mkdirNew(held.holder);
            if (held.isCurrent()) {
                return Optional.of(held);
            }
        } catch (IOException | RuntimeException e) {
            held.drop();
            throw e;
        }
        held.drop();
        return Optional.empty();
    }

    /** The current lock: the one with the highest generation; empty when there is none. */
    static Optional<Observation> current(OutputFiles files) throws IOException {
        for (int attempt = 0; attempt < 3; attempt++) {
            long highest = 0;
            for (FileStatus status : listStore(files)) {
                highest = Math.max(highest, generationOf(status.getPath().getName(), LOCK_NAME));
            }
            if (highest == 0) {
                return Optional.empty();
            }
            Optional<Observation> seen = observe(files, lockPath(files, highest), highest);
            if (seen.isPresent()) {
                return seen;
            }
        }
        return Optional.empty();
    }

    /** The highest generation any lock or holder directory of the store carries; 0 for none. */
    static long highestGeneration(OutputFiles files) throws IOException {
        long highest = 0;
        for (FileStatus status : listStore(files)) {
            String name = status.getPath().getName();
            highest = Math.max(highest, Math.max(generationOf(name, LOCK_NAME), generationOf(name, HOLDER_NAME)));
        }
        return highest;
    }

    private static FileStatus[] listStore(OutputFiles files) throws IOException {
        try {
            return files.list(files.store());
        } catch (FileNotFoundException gone) {
            return new FileStatus[0];
        }
    }

    private static long generationOf(String name, Pattern pattern) {
        Matcher m = pattern.matcher(name);
        return m.matches() ? Long.parseLong(m.group(1)) : 0;
    }

    /** The generation of a holder directory's name ({@code holder-<n>-<token>}, or sealed, {@code dead-<n>-<token>}); 0 if it is neither. */
    static long holderGeneration(String name) {
        return generationOf(name.startsWith(RunStore.DEAD) ? HOLDER + name.substring(RunStore.DEAD.length()) : name, HOLDER_NAME);
    }

    static Path lockPath(OutputFiles files, long generation) {
        return new Path(files.store(), LOCK + generation);
    }

    /** Whether {@code qualified} is one of the store's lock files. */
    static boolean isLockFile(Path qualified, Path store) {
        return store.equals(qualified.getParent()) && LOCK_NAME.matcher(qualified.getName()).matches();
    }

    /** This holder's directory: everything it changes is in it. */
    Path holder() {
        return holder;
    }

    long generation() {
        return generation;
    }

    /** Whether the current lock is this one, as the filesystem says now. */
    private boolean isCurrent() throws IOException {
        Optional<Observation> now = current(files);
        return now.isPresent() && now.get().generation() == generation
                && now.get().owner().map(o -> o.token().equals(me.token())).orElse(false);
    }

    /** Renews now; fails if the lease is no longer this run's. Called right before the commit. */
    synchronized void verify() throws IOException {
        renew();
        if (lost != null) {
            throw new IOException(lost);
        }
    }

    /** Null while this run holds the lease; otherwise why it does not. */
    String fenced() {
        if (lost != null) {
            return lost;
        }
        return released ? "the lock of run " + runId + " was released" : null;
    }

    private void renewQuietly() {
        try {
            renew();
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not renew the lock {}: {}", path, e.getMessage());
            synchronized (this) {
                if (System.nanoTime() - lastRenewal > lease.toNanos() && lost == null) {
                    lose("could not renew the lock " + path + " for longer than its lease; another run may have taken it over");
                }
            }
        }
    }

    private synchronized void renew() throws IOException {
        if (lost != null || released) {
            return;
        }
        Optional<Observation> now = current(files);
        if (now.isEmpty() || now.get().generation() != generation || !now.get().owner().map(o -> o.token().equals(me.token()))
                .orElse(false)) {
            lose("lost the lock " + path + " of run " + runId + ": " + now.map(o -> "the current lock is " + o.path() + ", held by "
                    + o.owner().map(LockOwner::describe).orElse("nobody named yet")).orElse("it is gone")
                    + "; stopping before anything is committed");
            return;
        }
        if (!files.exists(holder)) {
            lose("lost the lock " + path + " of run " + runId + ": another run sealed " + holder + "; stopping before anything is committed");
            return;
        }
        // A strictly later time, by at least a second: some filesystems keep whole seconds.
        long next = Math.max(System.currentTimeMillis(), lastModification + 1000);
        files.setModificationTime(path, next);
        lastModification = next;
        lastRenewal = System.nanoTime();
    }

    private void lose(String reason) {
        lost = reason;
        LOG.error(reason);
        renewer.shutdownNow();
    }

    /** Releases the lock if it is still this run's, and removes the holder's directory. */
    @Override
    public void close() {
        close(false);
    }

    /** Releases the lock; {@code keepHolder}: leave the holder's directory (it holds checkpoints) for the next run to take over. */
    void close(boolean keepHolder) {
        try {
            ShutdownHookManager.get().removeShutdownHook(releaseOnTermination);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or about to: it releases the lock.
        }
        release(keepHolder);
    }

    /**
     * Moves the lock file into the holder's directory: from then on there is no lock, and the next
     * run seals that directory as it would a dead holder's. The move fails, leaving everything, once
     * the directory was sealed: the lock is then someone else's business.
     */
    private synchronized void release(boolean keepHolder) {
        if (released) {
            return;
        }
        renewer.shutdownNow();
        try {
            if (lost == null) {
                Path inside = new Path(holder, path.getName());
                files.rename(path, inside);
                if (keepHolder) {
                    files.delete(inside);
                } else {
                    files.delete(holder);
                }
            }
        } catch (FileNotFoundException sealed) {
            LOG.warn("did not release the lock {}: {} was sealed by another run, which holds the lock now", path, holder);
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not release the run lock {}: {}", path, e.getMessage());
        }
        released = true;
    }

    /** Gives up a claim that another generation overtook: this lock file and directory, never anyone else's. */
    private synchronized void drop() {
        try {
            ShutdownHookManager.get().removeShutdownHook(releaseOnTermination);
        } catch (IllegalStateException shuttingDown) {
            // Nothing to remove.
        }
        renewer.shutdownNow();
        try {
            files.delete(holder);
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not remove {}: {}", holder, e.getMessage());
        }
        try {
            files.delete(path);
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not remove {}: {}", path, e.getMessage());
        }
        released = true;
    }

    /** A lock file as a contender sees it at one moment: its generation, when it was last renewed, and who holds it. */
    record Observation(long generation, Path path, long modificationTime, long length, Optional<LockOwner> owner) {

        boolean sameAs(Observation other) {
            return generation == other.generation && modificationTime == other.modificationTime && length == other.length
                    && owner.map(LockOwner::token).equals(other.owner.map(LockOwner::token));
        }
    }

    /** The lock file at {@code path}, or empty when there is none. Its owner is empty while it is being written, or if it is not a lock. */
    static Optional<Observation> observe(OutputFiles files, Path path, long generation) throws IOException {
        try {
            FileStatus status = files.status(path);
            return Optional.of(new Observation(generation, path, status.getModificationTime(), status.getLen(),
                    LockOwner.parse(new String(files.read(path), StandardCharsets.UTF_8))));
        } catch (FileNotFoundException gone) {
            return Optional.empty();
        }
    }

    static BadInputException held(String runId, Observation seen) {
        if (seen == null) {
            return new BadInputException("run " + runId + " is locked by another run that keeps changing its lock; wait for it to"
                    + " finish or choose another run.id");
        }
        if (seen.owner().isEmpty()) {
            return new BadInputException("run " + runId + " is locked by another run: the lock file " + seen.path()
                    + " names no owner but is being renewed; wait for that run to finish or choose another run.id");
        }
        return new BadInputException("run " + runId + " is already running (" + seen.owner().get().describe() + "); it holds the lock "
                + seen.path() + " and renews it; wait for it to finish or choose another run.id");
    }
}
