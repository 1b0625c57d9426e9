package org.sparkmnist.testing;

import java.time.Duration;
import org.apache.hadoop.conf.Configuration;
import org.sparkmnist.store.RunKind;
import org.sparkmnist.store.RunStore;

/** A process that takes a run's lock and keeps renewing it until stopped: a stand-in for a driver in lock tests. */
public final class LockHolder {

    private LockHolder() {
    }

    /** Arguments: output.dir, run.id, and optionally the lease in milliseconds. Prints "locked" once it holds the lock. */
    public static void main(String[] args) throws Exception {
        Duration lease = args.length > 2 ? Duration.ofMillis(Long.parseLong(args[2])) : StoredRuns.LEASE;
        RunStore store = RunStore.open(args[0], args[1], RunKind.TRAINING, lease, new Configuration());
        System.out.println("locked run " + args[1] + " under " + args[0]);
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
