package org.sparkmnist.output;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.StringReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.util.ShutdownHookManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkmnist.BadInputException;

/**
 * The lock of a run.id, as a lease: {@code <output.dir>/_temporary/<run.id>/lock}, created only if
 * absent, names its holder, and the holder renews it every third of the lease by bumping the file's
 * modification time (a daemon thread). Nobody compares clocks across hosts: a contender reads the
 * lock, watches it on its own clock, and
 * <ul>
 *   <li>refuses with exit code 2 as soon as it sees a renewal (the holder is alive);</li>
 *   <li>takes it over when a full lease passes with no renewal (the holder is gone, wherever it ran);</li>
 *   <li>takes it over at once when the holder ran on this machine (same host name, same boot, same pid
 *       namespace) and no process with its pid and start time is running. Containers that share a host
 *       name but not a pid namespace can never check each other's pids, so they wait for the lease.</li>
 * </ul>
 * Taking over moves the lock aside (a rename, which only one contender can win), checks it is still
 * the one that was watched, and only then deletes it and creates a new one.
 *
 * <p>A holder that finds its lock gone or someone else's stops renewing and fences the store: every
 * later change to the output throws, so a driver that lost its lease cannot commit. The commit also
 * renews synchronously right before it renames anything ({@link #verify}). The lease assumes clocks
 * run at about the same rate everywhere (not that they agree), and a holder frozen for longer than a
 * lease (a stopped VM, a very long GC pause) between that check and its renames is not fenced by the
 * filesystem: that window is a few milliseconds against a lease of a minute by default.
 *
 * <p>The lock is released when the job ends and also from a shutdown hook when the JVM is stopped
 * (SIGTERM from YARN, Kubernetes or Airflow). The hook runs before Spark's own (Spark 3.5 registers it
 * with Hadoop's ShutdownHookManager at FileSystem.SHUTDOWN_HOOK_PRIORITY + 30), so the next attempt
 * finds the lock gone even when stopping Spark takes long, and the filesystem is still open.
 */
final class RunLease implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RunLease.class);
    static final String LOCK = "lock";
    static final int SHUTDOWN_PRIORITY = FileSystem.SHUTDOWN_HOOK_PRIORITY + 40;
    /** Start times read by two JVMs can differ by clock-tick rounding. */
    private static final Duration START_TOLERANCE = Duration.ofSeconds(1);
    private static final int ATTEMPTS = 5;

    private final OutputFiles files;
    private final Path path;
    private final String runId;
    private final Owner me;
    private final Duration lease;
    private final ScheduledExecutorService renewer;
    private final Runnable releaseOnTermination = this::release;
    private long lastModification;
    private long lastRenewal;
    private volatile String lost;
    private volatile boolean released;

    private RunLease(OutputFiles files, Path path, String runId, Owner me, Duration lease) throws IOException {
        this.files = files;
        this.path = path;
        this.runId = runId;
        this.me = me;
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
    static RunLease acquire(OutputFiles files, String runId, Duration lease) throws IOException {
        Path path = new Path(files.runTemporary(), LOCK);
        Owner me = Owner.current(lease);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            files.mkdirs(files.runTemporary());
            if (files.createExclusive(path, me.text().getBytes(StandardCharsets.UTF_8))) {
                return new RunLease(files, path, runId, me, lease);
            }
            Optional<Observation> seen = observe(files, path);
            if (seen.isEmpty()) {
                continue;
            }
            Optional<Owner> holder = seen.get().owner();
            if (holder.isPresent() && holder.get().isDeadProcessOnThisMachine()) {
                if (takeOver(files, path, seen.get())) {
                    LOG.warn("took over the lock {} of run {} left by pid {}, which is no longer running", path, runId, holder.get().pid());
                }
                continue;
            }
            if (waitForExpiry(files, path, runId, seen.get(), lease)) {
                continue;
            }
            throw held(runId, path, observe(files, path).flatMap(Observation::owner).or(() -> holder));
        }
        throw held(runId, path, observe(files, path).flatMap(Observation::owner));
    }

    /**
     * Watches a lock held by someone else: false as soon as it is renewed, true once it is gone or has
     * been taken over after a full lease (the holder's, else ours) without renewal.
     */
    private static boolean waitForExpiry(OutputFiles files, Path path, String runId, Observation seen, Duration ours)
            throws IOException {
        Duration holderLease = seen.owner().map(Owner::lease).orElse(ours);
        LOG.info("run {} is locked ({}); waiting for its lease to be renewed, or to expire in {}s without renewal", runId,
                seen.owner().map(Owner::describe).orElse("the lock names no holder yet"), holderLease.toSeconds());
        long start = System.nanoTime();
        long poll = Math.max(20, Math.min(1000, holderLease.toMillis() / 20));
        while (true) {
            sleep(poll);
            Optional<Observation> now = observe(files, path);
            if (now.isEmpty()) {
                return true;
            }
            if (!now.get().sameAs(seen)) {
                return false;
            }
            if (System.nanoTime() - start >= holderLease.toNanos()) {
                if (takeOver(files, path, seen)) {
                    LOG.warn("took over the lock {} of run {}: held by {}, not renewed for {}s (its lease)", path, runId,
                            seen.owner().map(Owner::describe).orElse("nobody named"), holderLease.toSeconds());
                    return true;
                }
                return observe(files, path).isEmpty();
            }
        }
    }

    /** Moves the watched lock aside; deletes it if it is still what was watched, else puts it back. */
    private static boolean takeOver(OutputFiles files, Path path, Observation seen) throws IOException {
        Path aside = new Path(path.getParent(), LOCK + ".stale-" + UUID.randomUUID().toString().substring(0, 8));
        try {
            files.rename(path, aside);
        } catch (FileNotFoundException gone) {
            return false;
        }
        Optional<Observation> moved = observe(files, aside);
        if (moved.isPresent() && moved.get().sameAs(seen)) {
            files.delete(aside);
            return true;
        }
        try {
            files.rename(aside, path);
        } catch (IOException e) {
            files.delete(aside);
        }
        return false;
    }

    /** Renews now; fails if the lease is no longer this run's. Called right before the commit's renames. */
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
        Optional<Owner> holder = observe(files, path).flatMap(Observation::owner);
        if (holder.isEmpty() || !holder.get().token().equals(me.token())) {
            lose("lost the lock " + path + " of run " + runId + ": " + holder.map(o -> "it is now held by " + o.describe())
                    .orElse("it is gone") + "; stopping before anything is committed");
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

    /** Releases the lock if it is still this run's. */
    @Override
    public void close() {
        try {
            ShutdownHookManager.get().removeShutdownHook(releaseOnTermination);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or about to: it releases the lock.
        }
        release();
    }

    private synchronized void release() {
        if (released) {
            return;
        }
        renewer.shutdownNow();
        try {
            if (lost == null && observe(files, path).flatMap(Observation::owner).map(o -> o.token().equals(me.token())).orElse(false)) {
                files.delete(path);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not release the run lock {}: {}", path, e.getMessage());
        }
        released = true;
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for the lock");
        }
    }

    /** The lock file as a contender sees it at one moment: who holds it and when it was last renewed. */
    record Observation(long modificationTime, long length, Optional<Owner> owner) {

        boolean sameAs(Observation other) {
            return modificationTime == other.modificationTime && length == other.length
                    && owner.map(Owner::token).equals(other.owner.map(Owner::token));
        }
    }

    /** The lock file, or empty when there is none. Its owner is empty while it is being written, or if it is not a lock. */
    static Optional<Observation> observe(OutputFiles files, Path path) throws IOException {
        try {
            FileStatus status = files.status(path);
            return Optional.of(new Observation(status.getModificationTime(), status.getLen(),
                    Owner.parse(new String(files.read(path), StandardCharsets.UTF_8))));
        } catch (FileNotFoundException gone) {
            return Optional.empty();
        }
    }

    private static BadInputException held(String runId, Path path, Optional<Owner> holder) {
        if (holder.isEmpty()) {
            return new BadInputException("run " + runId + " is locked by another run: the lock file " + path
                    + " names no owner but is being renewed; wait for that run to finish or choose another run.id");
        }
        return new BadInputException("run " + runId + " is already running (" + holder.get().describe() + "); it holds the lock "
                + path + " and renews it; wait for it to finish or choose another run.id");
    }

    /**
     * Who holds a lock. The random token tells this acquisition apart from any other; boot id and pid
     * namespace tell whether its pid can be checked from here.
     */
    record Owner(String host, String bootId, String pidNamespace, long pid, Instant processStart, Instant acquired,
                 Duration lease, String token) {

        static final String UNKNOWN = "unknown";

        static Owner current(Duration lease) {
            ProcessHandle self = ProcessHandle.current();
            return new Owner(thisHost(), thisBoot(), thisPidNamespace(), self.pid(), self.info().startInstant().orElse(Instant.EPOCH),
                    Instant.now(), lease, UUID.randomUUID().toString());
        }

        static String thisHost() {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                return UNKNOWN;
            }
        }

        static String thisBoot() {
            try {
                return Files.readString(java.nio.file.Path.of("/proc/sys/kernel/random/boot_id")).trim();
            } catch (IOException | RuntimeException e) {
                return UNKNOWN;
            }
        }

        static String thisPidNamespace() {
            try {
                return Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/ns/pid")).toString();
            } catch (IOException | RuntimeException e) {
                return UNKNOWN;
            }
        }

        /** Whether its pid means the same process here: same host, same boot, same pid namespace, all known. */
        boolean pidIsCheckableHere() {
            return !bootId.equals(UNKNOWN) && !pidNamespace.equals(UNKNOWN) && host.equals(thisHost()) && bootId.equals(thisBoot())
                    && pidNamespace.equals(thisPidNamespace());
        }

        /** Whether the process that took the lock is gone; a reused pid has a different start time. */
        boolean isDeadProcessOnThisMachine() {
            if (!pidIsCheckableHere()) {
                return false;
            }
            Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
            if (process.isEmpty()) {
                return true;
            }
            // Alive with an unknown start time: assume it is the owner rather than break a live lock.
            return process.get().info().startInstant()
                    .map(started -> Duration.between(processStart, started).abs().compareTo(START_TOLERANCE) > 0)
                    .orElse(false);
        }

        String describe() {
            return "pid " + pid + " on host " + host + " since " + acquired;
        }

        String text() {
            return "# spark-mnist run lock: the run below renews it every " + Math.max(1, lease.toSeconds() / 3) + "s; another run"
                    + " takes it over once it has not been renewed for " + lease.toSeconds() + "s\n"
                    + "host=" + host + "\nboot-id=" + bootId + "\npid-namespace=" + pidNamespace + "\npid=" + pid
                    + "\nprocess-start=" + processStart + "\nacquired=" + acquired + "\nlease-millis=" + lease.toMillis()
                    + "\ntoken=" + token + "\n";
        }

        static Optional<Owner> parse(String text) {
            try {
                Properties p = new Properties();
                p.load(new StringReader(text));
                return Optional.of(new Owner(p.getProperty("host"), p.getProperty("boot-id", UNKNOWN),
                        p.getProperty("pid-namespace", UNKNOWN), Long.parseLong(p.getProperty("pid")),
                        Instant.parse(p.getProperty("process-start")), Instant.parse(p.getProperty("acquired")),
                        Duration.ofMillis(Long.parseLong(p.getProperty("lease-millis"))), requireNonBlank(p.getProperty("token"))));
            } catch (IOException | RuntimeException e) {
                return Optional.empty();
            }
        }

        private static String requireNonBlank(String token) {
            if (token == null || token.isBlank()) {
                throw new IllegalArgumentException("no token");
            }
            return token;
        }
    }
}
