package org.sparkmnist.testing;

import org.apache.hadoop.conf.Configuration;
import org.sparkmnist.output.RunLock;

/** A process that takes a run's lock and waits to be stopped: a stand-in for a driver in lock tests. */
public final class LockHolder {

    private LockHolder() {
    }

    /** Arguments: output.dir, run.id. Prints "locked" once it holds the lock. */
    public static void main(String[] args) throws Exception {
        RunLock lock = RunLock.acquire(args[0], args[1], new Configuration());
        System.out.println("locked " + lock.path());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
