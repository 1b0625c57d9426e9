package org.sparkmnist.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToIntFunction;
import java.util.stream.Stream;
import org.sparkmnist.job.MnistTrainingJob;

/** Runs the job as a user would, in this JVM or in a JVM of its own, and keeps what it printed. */
public final class JobRuns {

    private JobRuns() {
    }

    /** The exit code and what went to stderr. */
    public record Result(int exitCode, String stderr) {

        /** The line a user or a scheduler sees first: the last one on stderr. */
        public String lastLine() {
            List<String> lines = stderr.lines().filter(l -> !l.isBlank()).toList();
            return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        }
    }

    /** {@code MnistTrainingJob.execute(args)} in this JVM, with stderr captured (and still shown). */
    public static Result inProcess(List<String> args) {
        return inProcess(MnistTrainingJob::execute, args);
    }

    /** A job's {@code execute(args)} (training's or scoring's) in this JVM, with stderr captured (and still shown). */
    public static synchronized Result inProcess(ToIntFunction<List<String>> job, List<String> args) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (PrintStream tee = new PrintStream(new TeeStream(original, captured), true, StandardCharsets.UTF_8)) {
            System.setErr(tee);
            int exit = job.applyAsInt(args);
            return new Result(exit, captured.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(original);
        }
    }

    /**
     * The job in a JVM of its own, started through submit/java.sh as submit/run-local.sh starts it
     * (one BLAS thread per task, loopback only), on this JVM's classpath, with all output in {@code log}.
     */
    public static Process start(List<String> args, Path log) throws IOException {
        return startMain(MnistTrainingJob.class.getName(), args, log);
    }

    /** {@code mainClass} of this JVM's classpath in a JVM of its own, as {@link #start} starts the job. */
    public static Process startMain(String mainClass, List<String> args, Path log) throws IOException {
        return startMain(List.of(), Map.of(), List.of(), mainClass, args, log);
    }

    /**
     * As {@link #startMain(String, List, Path)}, with more JVM options (system properties, as spark-submit's
     * --conf sets them), environment variables, and classpath entries put before this JVM's.
     */
    public static Process startMain(List<String> jvmOptions, Map<String, String> env, List<Path> classpathFirst, String mainClass,
                                    List<String> args, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of("submit/java.sh", "-Xmx3g"));
        command.addAll(jvmOptions);
        command.add(mainClass);
        List<String> classpath = new ArrayList<>(classpathFirst.stream().map(Path::toString).toList());
        classpath.add(System.getProperty("java.class.path"));
        command.addAll(args);
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(command).directory(Scripts.REPO.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        // submit/java.sh runs the JVM on this classpath instead of the local build.
        builder.environment().put("CLASSPATH", String.join(java.io.File.pathSeparator, classpath));
        builder.environment().put("OMP_NUM_THREADS", "1");
        builder.environment().putAll(env);
        return builder.start();
    }

    /** Every file under {@code dir} with its bytes, to show a directory was not touched at all. */
    public static TreeMap<String, byte[]> snapshot(Path dir) {
        TreeMap<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                files.put(dir.relativize(p).toString(), Files.readAllBytes(p));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    /** Deletes {@code dir} and everything below it, if it exists. */
    public static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static final class TeeStream extends java.io.OutputStream {
        private final java.io.OutputStream first;
        private final java.io.OutputStream second;

        TeeStream(java.io.OutputStream first, java.io.OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) throws IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            first.write(b, off, len);
            second.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            first.flush();
            second.flush();
        }
    }
}
