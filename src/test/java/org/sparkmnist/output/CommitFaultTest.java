package org.sparkmnist.output;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkmnist.testing.CommitFaults;
import org.sparkmnist.testing.FaultyFileSystem.Fault;

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
        CommitFaults faults = faults();
        List<String> steps = faults.steps();
        for (int step = 1; step <= steps.size(); step++) {
            for (Fault fault : List.of(Fault.FAIL_BEFORE, Fault.FAIL_AFTER)) {
                faults.fail(step, steps.get(step - 1), fault);
            }
        }
        record(faults.report("local, failures"));
    }

    @Test
    void aKillAtAnyStepOfTheCommitLeavesExactlyOneWholeRun() throws Exception {
        CommitFaults faults = faults();
        List<String> steps = faults.steps();
        for (int step = 1; step <= steps.size(); step++) {
            String what = steps.get(step - 1);
            for (Fault fault : what.startsWith("create ") ? List.of(Fault.HALT_BEFORE, Fault.HALT_DURING, Fault.HALT_AFTER)
                    : List.of(Fault.HALT_BEFORE, Fault.HALT_AFTER)) {
                faults.kill(step, what, fault);
            }
        }
        record(faults.report("local, kills"));
    }

    static void record(List<String> lines) throws IOException {
        lines.forEach(System.out::println);
        Path file = Path.of("target", "commit-faults.txt");
        Files.createDirectories(file.getParent());
        Files.write(file, lines, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    }
}
