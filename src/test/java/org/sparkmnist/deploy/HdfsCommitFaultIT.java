package org.sparkmnist.deploy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.sparkmnist.BadInputException;
import org.sparkmnist.store.RunKind;
import org.sparkmnist.store.RunStore;
import org.sparkmnist.testing.CommitFaults;
import org.sparkmnist.testing.MiniHdfs;

/**
 * The run store on a real HDFS (MiniDFSCluster): the commit failed and killed before, during and
 * after each of its steps, each followed by a fresh start that must show exactly one whole run; and
 * the lease, whose exclusive create and takeover rename are the NameNode's there.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HdfsCommitFaultIT {

    private MiniDFSCluster hdfs;
    private FileSystem fs;
    private Configuration conf;

    @BeforeAll
    void startHdfs() throws IOException {
        hdfs = MiniHdfs.start(new File("target/it-hdfs-faults").getAbsoluteFile());
        fs = hdfs.getFileSystem();
        conf = new Configuration(fs.getConf());
    }

    @AfterAll
    void stopHdfs() {
        if (hdfs != null) {
            hdfs.shutdown(true);
        }
    }

    private CommitFaults faults(String dir) {
        return new CommitFaults(fs, conf, new Path(fs.getUri().toString() + "/" + dir));
    }

    @Test
    void aFailureAtAnyStepOfTheCommitLeavesExactlyOneWholeRun() throws IOException {
        faults("failures").failAtEveryStep("HDFS");
    }

    @Test
    void aKillAtAnyStepOfTheCommitLeavesExactlyOneWholeRun() throws Exception {
        faults("kills").killAtEveryStep("HDFS");
    }

    @Test
    void aLockOfAnotherHostOnHdfsIsRespectedWhileRenewedAndTakenOverOnceExpired() throws Exception {
        String output = fs.getUri() + "/locks";
        Path lock = new Path(output + "/" + RunStore.DIRECTORY + "/r1/lock-1");
        Duration lease = Duration.ofMillis(900);
        try (OutputStream out = fs.create(lock, false)) {
            out.write(("host=some-other-host\nboot-id=b\npid-namespace=pid:[1]\npid=1\nprocess-start=" + Instant.now()
                    + "\nacquired=" + Instant.now() + "\nlease-millis=" + lease.toMillis() + "\ntoken=theirs\n").getBytes(StandardCharsets.UTF_8));
        }
        Thread renewer = new Thread(() -> {
            long time = System.currentTimeMillis();
            try {
                for (int i = 0; i < 8; i++) {
                    time += 1000;
                    fs.setTimes(lock, time, -1);
                    Thread.sleep(lease.toMillis() / 3);
                }
            } catch (IOException | InterruptedException e) {
                // the test fails below if renewals stopped early
            }
        });
        renewer.start();
        try {
            BadInputException refused = org.junit.jupiter.api.Assertions.assertThrows(BadInputException.class,
                    () -> RunStore.open(output, "r1", RunKind.TRAINING, lease, conf));
            assertTrue(refused.getMessage().contains("already running (pid 1 on host some-other-host"), refused.getMessage());
        } finally {
            renewer.join();
        }
        long start = System.nanoTime();
        try (RunStore taken = RunStore.open(output, "r1", RunKind.TRAINING, lease, conf)) {
            assertTrue(System.nanoTime() - start >= lease.toNanos());
            // A takeover creates the next generation's lock; the expired one is gone.
            assertTrue(!fs.exists(lock), "the expired lock " + lock + " was replaced");
            Path current = new Path(lock.getParent(), "lock-2");
            try (var in = fs.open(current)) {
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(text.contains("pid=" + ProcessHandle.current().pid()), text);
            }
        }
        assertTrue(!fs.exists(new Path(output + "/" + RunStore.DIRECTORY)), "released and cleaned up");
    }
}
