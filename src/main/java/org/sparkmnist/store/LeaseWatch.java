package org.sparkmnist.store;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Watching a lock held by someone else, on this machine's clock only, until it is renewed, changes hands or expires. */
final class LeaseWatch {

    private static final Logger LOG = LoggerFactory.getLogger(LeaseWatch.class);

    /** How a watch ended. */
    enum Outcome {
        /** The holder renewed it: it is alive. */
        RENEWED,
        /** A full lease passed without renewal. */
        EXPIRED,
        /** It is gone, or another generation is current now: look again. */
        CHANGED
    }

    /** What is current now, as the watcher sees it. */
    @FunctionalInterface
    interface Look {
        Optional<RunLease.Observation> now() throws IOException;
    }

    private LeaseWatch() {
    }

    /** Watches {@code seen} for the holder's lease (else {@code ours}), looking every twentieth of it (between 20 ms and 1 s). */
    static Outcome until(OutputFiles files, String runId, RunLease.Observation seen, Duration ours, Look look) throws IOException {
        Duration holderLease = seen.owner().map(LockOwner::lease).orElse(ours);
        LOG.info("run {} is locked ({}); waiting for its lease to be renewed, or to expire in {}s without renewal", runId,
                seen.owner().map(LockOwner::describe).orElse("the lock names no holder yet"), holderLease.toSeconds());
        long start = System.nanoTime();
        long poll = Math.max(20, Math.min(1000, holderLease.toMillis() / 20));
        while (true) {
            sleep(poll);
            Optional<RunLease.Observation> now = look.now();
            if (now.isEmpty() || now.get().generation() != seen.generation() || !now.get().path().equals(seen.path())) {
                return Outcome.CHANGED;
            }
            if (!now.get().sameAs(seen)) {
                return Outcome.RENEWED;
            }
            if (System.nanoTime() - start >= holderLease.toNanos()) {
                return Outcome.EXPIRED;
            }
        }
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the lock");
        }
    }
}
