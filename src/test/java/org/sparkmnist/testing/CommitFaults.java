package org.sparkmnist.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.sparkmnist.store.RunAttempt;
import org.sparkmnist.store.RunKind;
import org.sparkmnist.store.RunStore;
import org.sparkmnist.testing.FaultyFileSystem.Fault;

/**
 * Fails or kills a commit at every one of its steps, then starts afresh, and checks that exactly one
 * whole run is visible (the old one or the new one, never neither, never a mix) and that nothing else
 * of the store is left. The steps are not listed here: a first, undisturbed commit through
 * {@link FaultyFileSystem} records them, so a change to the protocol is covered without touching this.
 */
public final class CommitFaults {

    static final String RUN = "r1";
    /** Short, so that a fault that leaves this JVM's own lock behind delays the next start by at most this. */
    static final Duration LEASE = Duration.ofSeconds(2);

    private final FileSystem real;
    private final Configuration realConf;
    private final Path base;
    private final URI inner;
    private final List<String> outcomes = new ArrayList<>();
    private int faults;
    private int oldVisible;
    private int newVisible;

    /** {@code base}: a directory on {@code real}, under which each case gets its own output.dir. */
    public CommitFaults(FileSystem real, Configuration realConf, Path base) {
        this.real = real;
        this.realConf = realConf;
        this.base = real.makeQualified(base);
        this.inner = URI.create(this.base.toUri().getScheme() + "://" + (this.base.toUri().getAuthority() == null ? ""
                : this.base.toUri().getAuthority()) + "/");
    }

    /** The commit's changes, in order, as an undisturbed commit makes them. */
    private List<String> steps() throws IOException {
        Path output = new Path(base, "recording");
        StoredRuns.commit(output.toString(), RUN, StoredRuns.files(RUN, "old"), realConf);
        commitNew(faulty(output), FaultyFileSystem.over(inner, realConf), 0, Fault.FAIL_BEFORE);
        String prefix = output.toUri().getPath();
        List<String> steps = FaultyFileSystem.changes().stream().map(s -> s.replace(prefix, "<out>")).toList();
        assertEquals("new", visibleRun(output), "an undisturbed commit shows the new run");
        return steps;
    }

    /** A failure at step {@code step}, in this JVM; then a fresh start. */
    private void fail(int step, String what, Fault fault) throws IOException {
        Path output = new Path(base, String.format("step-%02d-%s", step, fault));
        StoredRuns.commit(output.toString(), RUN, StoredRuns.files(RUN, "old"), realConf);
        String reported;
        try {
            commitNew(faulty(output), FaultyFileSystem.over(inner, realConf), step, fault);
            reported = "commit returned";
        } catch (IOException | RuntimeException e) {
            reported = "commit threw " + e.getClass().getSimpleName();
        }
        String visible = afterFreshStart(output);
        if (reported.equals("commit returned")) {
            assertEquals("new", visible, "a commit that returned must have put the new run in place: " + what + " " + fault);
        }
        record(step, what, fault, reported, visible);
    }

    /** A kill at step {@code step}: a JVM of its own that halts there; then a fresh start here. */
    private void kill(int step, String what, Fault fault) throws Exception {
        Path output = new Path(base, String.format("step-%02d-%s", step, fault));
        StoredRuns.commit(output.toString(), RUN, StoredRuns.files(RUN, "old"), realConf);
        java.nio.file.Path log = Files.createTempFile("commit-crash", ".log");
        Process child = JobRuns.startMain(CommitCrash.class.getName(), List.of(faulty(output), inner.toString(),
                Integer.toString(step), fault.name()), log);
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the child did not end");
        assertEquals(FaultyFileSystem.HALTED, child.exitValue(), "the child must have been halted at " + what + ":\n"
                + Files.readString(log));
        Files.delete(log);
        record(step, what, fault, "killed", afterFreshStart(output));
    }

    /** An IOException before and after each step of the commit, each followed by a fresh start; then the record. */
    public void failAtEveryStep(String filesystem) throws IOException {
        List<String> steps = steps();
        for (int step = 1; step <= steps.size(); step++) {
            for (Fault fault : List.of(Fault.FAIL_BEFORE, Fault.FAIL_AFTER)) {
                fail(step, steps.get(step - 1), fault);
            }
        }
        writeRecord(filesystem + ", failures");
    }

    /** A halted JVM before and after each step of the commit (and midway through each file it creates); then the record. */
    public void killAtEveryStep(String filesystem) throws Exception {
        List<String> steps = steps();
        for (int step = 1; step <= steps.size(); step++) {
            String what = steps.get(step - 1);
            for (Fault fault : what.startsWith("create ") ? List.of(Fault.HALT_BEFORE, Fault.HALT_DURING, Fault.HALT_AFTER)
                    : List.of(Fault.HALT_BEFORE, Fault.HALT_AFTER)) {
                kill(step, what, fault);
            }
        }
        writeRecord(filesystem + ", kills");
    }

    /** One line per fault and a total, printed and appended to target/commit-faults.txt, which the closing notes quote. */
    private void writeRecord(String what) throws IOException {
        assertTrue(faults > 0, "no fault was injected: the commit recorded no steps");
        List<String> lines = new ArrayList<>(outcomes);
        lines.add(String.format("%s: %d injected faults, each left exactly one whole run (old: %d, new: %d) and nothing else",
                what, faults, oldVisible, newVisible));
        lines.forEach(System.out::println);
        java.nio.file.Path file = java.nio.file.Path.of("target", "commit-faults.txt");
        Files.createDirectories(file.getParent());
        Files.write(file, lines, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    }

    private void record(int step, String what, Fault fault, String reported, String visible) {
        faults++;
        if (visible.equals("old")) {
            oldVisible++;
        } else {
            newVisible++;
        }
        outcomes.add(String.format("step %2d %-11s %-80s %-28s -> %s run", step, fault, what, reported, visible));
    }

    private String afterFreshStart(Path output) throws IOException {
        RunStore.open(output.toString(), RUN, RunKind.TRAINING, LEASE, realConf).close();
        return visibleRun(output);
    }

    /** "old" or "new": the one whole run at {@code output}, after checking nothing else is there. */
    private String visibleRun(Path output) throws IOException {
        List<String> top = new ArrayList<>();
        for (FileStatus status : real.listStatus(output)) {
            top.add(status.getPath().getName());
        }
        assertEquals(List.of(RUN), top, "only the run may be left in " + output);
        Map<String, String> found = new TreeMap<>();
        collect(new Path(output, RUN), "", found);
        String manifest = found.remove("_SUCCESS");
        String marker = found.equals(StoredRuns.files(RUN, "old")) ? "old" : found.equals(StoredRuns.files(RUN, "new")) ? "new" : null;
        assertTrue(marker != null, "neither the old nor the new run, whole: " + found.keySet() + " in " + output);
        JsonNode listed = new ObjectMapper().readTree(manifest).path("files");
        List<String> names = new ArrayList<>();
        listed.fieldNames().forEachRemaining(names::add);
        assertEquals(new ArrayList<>(found.keySet()), names, "the manifest lists exactly the run's files");
        return marker;
    }

    private void collect(Path dir, String prefix, Map<String, String> into) throws IOException {
        for (FileStatus status : real.listStatus(dir)) {
            String name = prefix + status.getPath().getName();
            if (status.isDirectory()) {
                collect(status.getPath(), name + "/", into);
            } else {
                try (InputStream in = real.open(status.getPath())) {
                    into.put(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
    }

    private static String faulty(Path output) {
        return FaultyFileSystem.SCHEME + "://" + output.toUri().getPath();
    }

    /** What a driver does from its first write to the end: an attempt, its files, the commit, and on failure the clean-up. */
    static void commitNew(String output, Configuration conf, int step, Fault fault) throws IOException {
        try (RunStore store = RunStore.open(output, RUN, RunKind.TRAINING, LEASE, conf)) {
            store.checkReplaceable(true);
            RunAttempt attempt = store.startAttempt(true);
            for (Map.Entry<String, String> file : StoredRuns.files(RUN, "new").entrySet()) {
                attempt.writeText(file.getKey(), file.getValue());
            }
            attempt.scratch("train");
            FaultyFileSystem.arm(step, fault);
            try {
                attempt.commit(new TreeMap<>());
            } catch (IOException | RuntimeException failure) {
                attempt.abandon();
                throw failure;
            }
        } finally {
            FaultyFileSystem.disarm();
        }
    }

    /** The child JVM of {@link #kill}: arguments faulty output.dir, inner filesystem URI, step, fault. */
    public static final class CommitCrash {
        public static void main(String[] args) throws Exception {
            Configuration conf = FaultyFileSystem.over(URI.create(args[1]), new Configuration());
            try {
                commitNew(args[0], conf, Integer.parseInt(args[2]), Fault.valueOf(args[3]));
            } catch (IOException | RuntimeException e) {
                e.printStackTrace();
                System.exit(3);
            }
            System.exit(0);
        }
    }
}
