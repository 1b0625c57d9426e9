package org.sparkmnist.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.nd4j.linalg.dataset.DataSet;
import org.sparkmnist.data.IdxImages;
import org.sparkmnist.data.IdxReader;
import org.sparkmnist.testing.IdxFiles;
import org.sparkmnist.testing.Images;
import org.sparkmnist.testing.MnistFiles;
import org.sparkmnist.testing.SavedModels;
import org.sparkmnist.testing.Scripts;
import org.sparkmnist.testing.IsolatedCluster;
import org.sparkmnist.testing.TinyModels;

/**
 * The scoring job through submit/spark-submit.sh --class on a real standalone cluster (a Master and
 * two one-core Workers, each its own JVM): the cluster jar and the Spark it runs on hold all scoring
 * needs, the executors score, each deserializes the model once, and the predictions are the ones
 * the model gives. The model is untrained (what it predicts is not the point here) and written in
 * the training job's layout.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScoringClusterIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path WORK = Scripts.REPO.resolve("target/it-scoring-cluster-run");
    private static final Path LOGS = Scripts.REPO.resolve("target/it-logs");

    private IsolatedCluster cluster;
    private MultiLayerNetwork network;
    private Path run;
    private Path jar;

    @BeforeAll
    void startCluster() {
        jar = Scripts.clusterJar();
        IsolatedCluster.deleteRecursively(WORK);
        network = TinyModels.softmax();
        run = TinyModels.run(WORK.resolve("runs/tiny"), "softmax", network, true);
        cluster = new IsolatedCluster("scoring-cluster", 2, Map.of("SPARK_DAEMON_JAVA_OPTS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"));
        cluster.start();
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.stop();
        }
    }

    private Scripts.Result submit(String runId, List<String> sparkOptions, String... args) {
        List<String> command = new ArrayList<>(List.of("submit/spark-submit.sh", "--class", "org.sparkmnist.scoring.MnistScoringJob",
                "--master", cluster.masterUrl()));
        command.addAll(sparkOptions);
        command.addAll(List.of("score.model.run=" + run, "score.model.name=softmax", "output.dir=" + WORK.resolve("scores"), "run.id=" + runId));
        command.addAll(List.of(args));
        return Scripts.run(command, Map.of("SPARK_MNIST_JAR", jar.toString()), LOGS.resolve("scoring-cluster-" + runId + ".log"),
                Duration.ofMinutes(10));
    }

    @Test
    void theTestSetIsScoredByTheExecutorsToTheModelsOwnAccuracy() throws IOException {
        List<Path> mnist = MnistFiles.files();
        Set<String> before = applications();
        // Executors log the model's arrival and their tasks at INFO, which the cluster's quiet log configuration drops.
        Path executorLogging = Files.writeString(WORK.resolve("executor-log4j2.properties"), String.join("\n",
                "rootLogger.level = warn", "rootLogger.appenderRef.stderr.ref = stderr", "appender.stderr.type = Console",
                "appender.stderr.name = stderr", "appender.stderr.target = SYSTEM_ERR", "appender.stderr.layout.type = PatternLayout",
                "appender.stderr.layout.pattern = %c{1}: %m%n", "logger.models.name = " + ExecutorModels.class.getName(),
                "logger.models.level = info", "logger.tasks.name = org.apache.spark.executor.Executor", "logger.tasks.level = info", ""));
        // Chunks of 1 MB: eight scoring tasks for two executors, so that each runs several.
        Scripts.Result submitted = submit("idx", List.of("--conf", "spark.sql.files.maxPartitionBytes=1m",
                        "--conf", "spark.executor.extraJavaOptions=-Dlog4j2.configurationFile=" + executorLogging.toUri()),
                "score.input.path=" + mnist.get(2), "score.input.labels=" + mnist.get(3));
        assertEquals(0, submitted.exitCode(), "spark-submit.sh failed:\n" + submitted.tail(40));

        JsonNode record = JSON.readTree(WORK.resolve("scores/idx/summary.json").toFile());
        DataSet test = SavedModels.testSet(MnistFiles.directory().toString(), true, new Configuration());
        assertEquals(SavedModels.accuracy(network, test), record.get("accuracy").asDouble(), 0.0, "accuracy of the same model in this JVM");
        assertEquals(10_000, record.get("predictions").asLong());
        assertEquals(cluster.masterUrl(), record.at("/environment/spark_master").asText());

        // Each executor JVM deserialized the model once, and the driver never did.
        Set<String> apps = applications();
        apps.removeAll(before);
        assertEquals(1, apps.size(), "one application submitted: " + apps);
        String app = apps.iterator().next();
        Map<Path, Long> deserialized = executorLogLines(app, "scoring model of 7850 parameters deserialized");
        Map<Path, Long> tasks = executorLogLines(app, "Running task");
        assertEquals(2, tasks.size(), "both executors ran tasks: " + tasks);
        assertEquals(tasks.keySet(), deserialized.keySet(), "every executor that scored deserialized the model: " + deserialized);
        assertTrue(deserialized.values().stream().allMatch(n -> n == 1), "once per executor JVM: " + deserialized);
        assertTrue(submitted.output().lines().noneMatch(l -> l.contains("deserialized in this JVM")), "not in the driver");
    }

    @Test
    void aDirectoryOfImagesIsScoredOnTheClusterWithItsRejects() throws IOException {
        Path dir = WORK.resolve("digits");
        IdxReader reader = new IdxReader(new Configuration());
        IdxImages images = reader.readImages(new org.apache.hadoop.fs.Path(MnistFiles.files().get(2).toUri()), 28, 28);
        for (int i = 0; i < 200; i++) {
            IdxFiles.write(dir.resolve(String.format("%03d.png", i)),
                    Images.encode(Images.grey28(Arrays.copyOfRange(images.pixels(), i * 784, (i + 1) * 784)), "png"));
        }
        IdxFiles.write(dir.resolve("empty.png"), new byte[0]);
        IdxFiles.write(dir.resolve("readme.png"), "not an image".getBytes());
        Scripts.Result submitted = submit("png", List.of(), "score.input.path=" + dir, "score.format=csv");
        assertEquals(0, submitted.exitCode(), "spark-submit.sh failed:\n" + submitted.tail(40));

        JsonNode record = JSON.readTree(WORK.resolve("scores/png/summary.json").toFile());
        assertEquals(202, record.get("inputs").asLong());
        assertEquals(2, record.get("rejects").asLong());
        List<String> rejects = csvLines(WORK.resolve("scores/png/rejects"));
        assertEquals(2, rejects.size(), rejects.toString());
        assertTrue(rejects.stream().anyMatch(l -> l.endsWith("empty.png,empty file")), rejects.toString());
        List<String> predictions = csvLines(WORK.resolve("scores/png/predictions"));
        assertEquals(200, predictions.size());
        for (String line : predictions) {
            String[] fields = line.split(",");
            int index = Integer.parseInt(fields[0].substring(fields[0].lastIndexOf('/') + 1, fields[0].lastIndexOf('.')));
            byte[] pixels = Arrays.copyOfRange(images.pixels(), index * 784, (index + 1) * 784);
            int expected = network.output(new org.sparkmnist.data.Encoding(10, true).features(pixels, 1, 784), false).argMax(1).getInt(0);
            assertEquals(expected, Integer.parseInt(fields[1]), line);
        }
    }

    /** The ids of the applications the Workers have run: their work directories hold one directory each. */
    private Set<String> applications() throws IOException {
        Set<String> apps = new TreeSet<>();
        if (!Files.isDirectory(cluster.workDir())) {
            return apps;
        }
        try (Stream<Path> workers = Files.list(cluster.workDir())) {
            for (Path worker : workers.toList()) {
                try (Stream<Path> dirs = Files.list(worker)) {
                    dirs.map(p -> p.getFileName().toString()).forEach(apps::add);
                }
            }
        }
        return apps;
    }

    /** Per executor of {@code app} (its stderr file), how many of its log lines hold {@code text}; executors with none left out. */
    private Map<Path, Long> executorLogLines(String app, String text) throws IOException {
        Map<Path, Long> counts = new java.util.TreeMap<>();
        try (Stream<Path> files = Files.walk(cluster.workDir())) {
            for (Path stderr : files.filter(p -> p.getFileName().toString().equals("stderr") && p.toString().contains(app)).toList()) {
                long n = Files.readAllLines(stderr).stream().filter(l -> l.contains(text)).count();
                if (n > 0) {
                    counts.put(stderr, n);
                }
            }
        }
        return counts;
    }

    private static List<String> csvLines(Path dir) throws IOException {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> parts = Files.list(dir)) {
            for (Path part : parts.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList()) {
                List<String> all = Files.readAllLines(part);
                lines.addAll(all.subList(Math.min(1, all.size()), all.size()));
            }
        }
        return lines;
    }
}
