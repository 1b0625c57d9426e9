package org.sparkmnist.store;

import java.io.IOException;
import java.io.StringReader;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Properties;

/**
 * Who holds a lock, as its lock file names it. The random token tells this acquisition apart from
 * any other (and names its holder directory); host, boot id, pid namespace and uid tell whether its
 * pid can be checked from here; the start time in clock ticks since boot tells a reused pid apart.
 * The wall-clock {@code process-start} is written for people and for earlier versions, never compared.
 *
 * @param uid        the effective uid of the holder, or {@link ProcessTable#UNKNOWN}
 * @param startTicks the holder's start in clock ticks since boot, or {@link ProcessTable#UNKNOWN} (locks of earlier versions)
 */
record LockOwner(String host, String bootId, String pidNamespace, long uid, long pid, long startTicks, Instant processStart,
                 Instant acquired, Duration lease, String token) {

    static final String UNKNOWN = "unknown";
    private static final SecureRandom RANDOM = new SecureRandom();

    static LockOwner current(Duration lease, ProcessTable processes) {
        ProcessHandle self = ProcessHandle.current();
        byte[] token = new byte[8];
        RANDOM.nextBytes(token);
        return new LockOwner(thisHost(), processes.bootId(), processes.pidNamespace(), processes.selfUid(), self.pid(),
                processes.selfStartTicks(), self.info().startInstant().orElse(Instant.EPOCH), Instant.now(), lease,
                HexFormat.of().formatHex(token));
    }

    static String thisHost() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return UNKNOWN;
        }
    }

    /**
     * Whether its pid means the same process here and can be looked at: same host, boot and pid
     * namespace, and the same uid, since /proc mounted with hidepid hides other users' processes
     * (never a user's own) and a hidden process would look gone.
     */
    boolean pidIsCheckableHere(ProcessTable processes) {
        return !bootId.equals(UNKNOWN) && !pidNamespace.equals(UNKNOWN) && uid != ProcessTable.UNKNOWN
                && startTicks != ProcessTable.UNKNOWN && host.equals(thisHost()) && bootId.equals(processes.bootId())
                && pidNamespace.equals(processes.pidNamespace()) && uid == processes.selfUid();
    }

    /**
     * Whether the process that took the lock is certainly gone: checkable here, and its pid either
     * runs no process or one that started at another tick (a reused pid). An entry that cannot be
     * read proves nothing, so the lock is then left to its lease.
     */
    boolean isDeadProcessOnThisMachine(ProcessTable processes) {
        if (!pidIsCheckableHere(processes)) {
            return false;
        }
        ProcessTable.Seen seen = processes.look(pid);
        if (seen instanceof ProcessTable.Running running) {
            return running.startTicks() != startTicks;
        }
        return seen instanceof ProcessTable.Gone;
    }

    String describe() {
        return "pid " + pid + " on host " + host + " since " + acquired;
    }

    String text() {
        return "# spark-mnist run lock: the run below renews it every " + Math.max(1, lease.toSeconds() / 3) + "s; another run"
                + " takes it over once it has not been renewed for " + lease.toSeconds() + "s\n"
                + "host=" + host + "\nboot-id=" + bootId + "\npid-namespace=" + pidNamespace + "\nuid=" + uid + "\npid=" + pid
                + "\nprocess-start-ticks=" + startTicks + "\nprocess-start=" + processStart + "\nacquired=" + acquired
                + "\nlease-millis=" + lease.toMillis() + "\ntoken=" + token + "\n";
    }

    /** The owner a lock file names; empty while it is being written, or if it is not a lock. Earlier versions' locks parse, without uid and ticks. */
    static Optional<LockOwner> parse(String text) {
        try {
            Properties p = new Properties();
            p.load(new StringReader(text));
            return Optional.of(new LockOwner(p.getProperty("host"), p.getProperty("boot-id", UNKNOWN), p.getProperty("pid-namespace", UNKNOWN),
                    Long.parseLong(p.getProperty("uid", "-1")), Long.parseLong(p.getProperty("pid")),
                    Long.parseLong(p.getProperty("process-start-ticks", "-1")), Instant.parse(p.getProperty("process-start")),
                    Instant.parse(p.getProperty("acquired")), Duration.ofMillis(Long.parseLong(p.getProperty("lease-millis"))),
                    requireNonBlank(p.getProperty("token"))));
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
