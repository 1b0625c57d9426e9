package org.sparkmnist.store;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkmnist.testing.CommitFaults;

/**
 * The commit on the local filesystem, failed (an IOException) and killed (a JVM halted) before and
 * after each of its steps: a fresh start must then show exactly one whole run, old or new, and
 * nothing else. HdfsCommitFaultIT does the same on HDFS.
 */
class CommitFaultTest {

    @TempDir
    Path tmp;

    private CommitFaults faults() throws IOException {
        Configuration conf = new Configuration();
        return new CommitFaults(FileSystem.getLocal(conf), conf, new org.apache.hadoop.fs.Path(tmp.toUri()));
    }

    @Test
    void aFailureAtAnyStepOfTheCommitLeavesExactlyOneWholeRun() throws IOException {
        faults().failAtEveryStep("local");
    }

    @Test
    void aKillAtAnyStepOfTheCommitLeavesExactlyOneWholeRun() throws Exception {
        faults().killAtEveryStep("local");
    }
}
