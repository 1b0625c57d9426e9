package org.sparkmnist.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A live driver, as far as its lock file shows one: the file's modification time moves on by a second
 * every third of a lease, as a holder's renewals move it, until closed.
 */
public final class LockRenewal implements AutoCloseable {

    private final AtomicBoolean renewing = new AtomicBoolean(true);
    private final Thread renewer;

    private LockRenewal(Path lock, Duration lease) {
        renewer = new Thread(() -> {
            long time = System.currentTimeMillis();
            while (renewing.get()) {
                try {
                    time += 1000;
                    Files.setLastModifiedTime(lock, FileTime.fromMillis(time));
                    Thread.sleep(lease.toMillis() / 3);
                } catch (IOException | InterruptedException e) {
                    return;
                }
            }
        });
        renewer.start();
    }

    /** Renews {@code lock} as a holder with a lease of {@code lease} would. */
    public static LockRenewal of(Path lock, Duration lease) {
        return new LockRenewal(lock, lease);
    }

    @Override
    public void close() throws InterruptedException {
        renewing.set(false);
        renewer.join();
    }
}
