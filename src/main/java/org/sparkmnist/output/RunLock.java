package org.sparkmnist.output;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.util.ShutdownHookManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkmnist.BadInputException;

/**
 * Makes a run.id exclusive: {@code <output.dir>/_temporary/<run.id>.lock}, created only if it does
 * not exist, is held from before the run directory is touched until the job ends. Two runs of one
 * id would otherwise stage, checkpoint and commit over each other.
 *
 * <p>Creation is the exclusion: on HDFS {@code create(path, false)} is atomic in the NameNode; on a
 * local disk Hadoop's create only checks first, so the file is created with {@code O_EXCL} instead.
 * Rename is not used for exclusion because Hadoop's local rename silently replaces its target.
 *
 * <p>The lock records host, pid and the process's start time. A driver killed with SIGKILL leaves it
 * behind; a later run on the same host takes it over when no process with that pid and start time
 * is alive. A lock from another host cannot be checked from here: the message says how to clear it.
 */
public final class RunLock implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RunLock.class);
    /** Start times read by two JVMs can differ by clock-tick rounding. */
    private static final Duration START_TOLERANCE = Duration.ofSeconds(1);

    private final FileSystem fs;
    private final Path path;
    private final String token;
    /**
     * Releases the lock when the JVM is stopped with SIGTERM (YARN, Kubernetes and Airflow stop a
     * driver that way), so that the next attempt, perhaps on another host, finds no lock to clear.
     * Hadoop's hook manager runs it before the one that closes cached filesystems, which it needs.
     */
    private final Runnable releaseOnTermination = this::release;

    private RunLock(FileSystem fs, Path path, String token) {
        this.fs = fs;
        this.path = path;
        this.token = token;
        ShutdownHookManager.get().addShutdownHook(releaseOnTermination, FileSystem.SHUTDOWN_HOOK_PRIORITY + 1);
    }

    /** Takes the lock of {@code runId} under {@code outputDir}, or fails with exit code 2 naming the holder. */
    public static RunLock acquire(String outputDir, String runId, Configuration hadoop) throws IOException {
        Path root = new Path(outputDir);
        FileSystem fs = root.getFileSystem(hadoop);
        Path path = new Path(new Path(fs.makeQualified(root), RunDirectory.TEMPORARY), runId + ".lock");
        Owner me = Owner.current();
        if (tryCreate(fs, path, me)) {
            return new RunLock(fs, path, me.token());
        }
        Optional<Owner> holder = read(fs, path);
        if (holder.isPresent() && holder.get().isDeadProcessOnThisHost() && takeOver(fs, path, holder.get())
                && tryCreate(fs, path, me)) {
            LOG.warn("took over the lock {} of run {} left by pid {}, which is no longer running", path, runId, holder.get().pid());
            return new RunLock(fs, path, me.token());
        }
        throw held(runId, path, read(fs, path).or(() -> holder));
    }

    public Path path() {
        return path;
    }

    /** Releases the lock if it is still this run's, and removes an empty _temporary with it. */
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
        try {
            if (read(fs, path).map(o -> o.token().equals(token)).orElse(false)) {
                fs.delete(path, false);
            }
            Path temporary = path.getParent();
            if (fs.exists(temporary) && fs.listStatus(temporary).length == 0) {
                fs.delete(temporary, false);
            }
        } catch (IOException e) {
            LOG.warn("could not release the run lock {}: {}", path, e.getMessage());
        }
    }

    private static boolean tryCreate(FileSystem fs, Path path, Owner owner) throws IOException {
        byte[] content = owner.text().getBytes(StandardCharsets.UTF_8);
        fs.mkdirs(path.getParent());
        if (fs instanceof LocalFileSystem local) {
            try {
                Files.write(local.pathToFile(path).toPath(), content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                return true;
            } catch (FileAlreadyExistsException e) {
                return false;
            }
        }
        try (OutputStream out = fs.create(path, false)) {
            out.write(content);
            return true;
        } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
            return false;
        }
    }

    /**
     * Moves the stale lock aside and checks it is the one judged stale: another run may have taken
     * it over in between, and its fresh lock must then stay.
     */
    private static boolean takeOver(FileSystem fs, Path path, Owner stale) throws IOException {
        Path aside = new Path(path.getParent(), path.getName() + ".stale-" + UUID.randomUUID());
        if (!fs.rename(path, aside)) {
            return false;
        }
        Optional<Owner> moved = read(fs, aside);
        if (moved.isPresent() && moved.get().token().equals(stale.token())) {
            fs.delete(aside, false);
            return true;
        }
        fs.rename(aside, path);
        return false;
    }

    /** The lock's owner, or empty when the file is gone or was never completely written. */
    private static Optional<Owner> read(FileSystem fs, Path path) {
        try (InputStream in = fs.open(path)) {
            Properties p = new Properties();
            p.load(new StringReader(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            return Optional.of(new Owner(p.getProperty("host"), Long.parseLong(p.getProperty("pid")),
                    Instant.parse(p.getProperty("process-start")), Instant.parse(p.getProperty("acquired")), p.getProperty("token")));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static BadInputException held(String runId, Path path, Optional<Owner> holder) {
        if (holder.isEmpty()) {
            return new BadInputException("run " + runId + " is locked by another run: the lock file " + path
                    + " exists but names no owner; if no run of " + runId + " is running, delete it and rerun");
        }
        Owner o = holder.get();
        String who = "pid " + o.pid() + " on host " + o.host() + " since " + o.acquired();
        if (o.host().equals(Owner.thisHost())) {
            return new BadInputException("run " + runId + " is already running (" + who + "); it holds the lock " + path
                    + "; wait for it to finish or choose another run.id");
        }
        return new BadInputException("run " + runId + " is locked by " + who + " (lock " + path + "); if that run is no"
                + " longer running, delete the lock file and rerun, or choose another run.id");
    }

    /** Who holds a lock. The random token tells this acquisition apart from any other. */
    record Owner(String host, long pid, Instant processStart, Instant acquired, String token) {

        static Owner current() {
            ProcessHandle self = ProcessHandle.current();
            return new Owner(thisHost(), self.pid(), self.info().startInstant().orElse(Instant.EPOCH), Instant.now(),
                    UUID.randomUUID().toString());
        }

        static String thisHost() {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                return "unknown";
            }
        }

        /** Whether the process that took the lock is gone; a reused pid has a different start time. */
        boolean isDeadProcessOnThisHost() {
            if (!host.equals(thisHost())) {
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

        String text() {
            return "# spark-mnist run lock: delete this file only if the process below is no longer running\n"
                    + "host=" + host + "\npid=" + pid + "\nprocess-start=" + processStart + "\nacquired=" + acquired
                    + "\ntoken=" + token + "\n";
        }
    }
}
