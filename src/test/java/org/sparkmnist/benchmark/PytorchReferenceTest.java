package org.sparkmnist.benchmark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkmnist.BadInputException;
import org.sparkmnist.config.JobSettings;
import org.sparkmnist.config.SettingsLoader;
import org.sparkmnist.data.Encoding;
import org.sparkmnist.data.IdxImages;
import org.sparkmnist.data.IdxLabels;
import org.sparkmnist.data.IdxReader;
import org.sparkmnist.data.MnistSplit;
import org.sparkmnist.model.ModelSpec;
import org.sparkmnist.model.UpdaterSpec;
import org.sparkmnist.testing.IdxFiles;

/** The recipe Java hands the PyTorch script: the split's exact examples, as Java read them, and the job's own recipe. */
class PytorchReferenceTest {

    static final int TRAIN_FILE = 90;

    private static JsonNode write(Path dir, JobSettings settings) throws IOException {
        Path recipe = dir.resolve("recipe.json");
        PytorchReference.write(settings, mlp(settings), recipe);
        return new ObjectMapper().readTree(recipe.toFile());
    }

    private static byte[] written(JsonNode recipe, String part, String what) throws IOException {
        return Files.readAllBytes(Path.of(recipe.path("examples").path(part).path(what).asText()));
    }

    @Test
    void theSplitsExamplesAreWrittenInItsOrder(@TempDir Path dir) throws IOException {
        writeDataset(dir, false);
        JobSettings settings = settings(dir, "split.train=60", "split.validation=20", "split.seed=5");
        JsonNode recipe = write(dir, settings);

        MnistSplit split = MnistSplit.of(TRAIN_FILE, settings.split());
        IdxReader reader = new IdxReader(new Configuration());
        IdxImages images = reader.readImages(reader.locate(dir.toString(), "train-images-idx3-ubyte"), 28, 28);
        IdxLabels labels = reader.readLabels(reader.locate(dir.toString(), "train-labels-idx1-ubyte"), 10);
        assertArrayEquals(images.gather(split.train(), 0, 60), written(recipe, "train", "pixels"));
        assertArrayEquals(labels.gather(split.train(), 0, 60), written(recipe, "train", "labels"));
        assertArrayEquals(images.gather(split.validation(), 0, 20), written(recipe, "validation", "pixels"));
        assertArrayEquals(labels.gather(split.validation(), 0, 20), written(recipe, "validation", "labels"));
        assertEquals(60, recipe.path("examples").path("train").path("count").asInt());
    }

    @Test
    void theTestSetIsWrittenWholeInFileOrder(@TempDir Path dir) throws IOException {
        writeDataset(dir, false);
        JsonNode recipe = write(dir, settings(dir, "split.train=60", "split.validation=20"));

        IdxReader reader = new IdxReader(new Configuration());
        assertArrayEquals(reader.readImages(reader.locate(dir.toString(), "t10k-images-idx3-ubyte"), 28, 28).pixels(),
                written(recipe, "test", "pixels"));
        assertArrayEquals(reader.readLabels(reader.locate(dir.toString(), "t10k-labels-idx1-ubyte"), 10).labels(),
                written(recipe, "test", "labels"));
    }

    @Test
    void gzippedDataGivesTheScriptTheSameExamples(@TempDir Path raw, @TempDir Path gzipped) throws IOException {
        writeDataset(raw, false);
        writeDataset(gzipped, true);
        JsonNode fromRaw = write(raw, settings(raw, "split.train=60", "split.validation=20"));
        JsonNode fromGzipped = write(gzipped, settings(gzipped, "split.train=60", "split.validation=20"));
        assertArrayEquals(written(fromRaw, "train", "pixels"), written(fromGzipped, "train", "pixels"));
    }

    @Test
    void recipeCarriesTheModelsHyperParameters(@TempDir Path dir) throws IOException {
        writeDataset(dir, false);
        JobSettings settings = settings(dir, "split.train=60", "split.validation=20", "train.epochs=3");
        ModelSpec mlp = mlp(settings);
        JsonNode recipe = write(dir, settings);

        UpdaterSpec updater = mlp.updater();
        assertEquals(updater.kind().configName(), recipe.path("updater").path("name").asText());
        assertEquals(updater.learningRate(), recipe.path("updater").path("learning_rate").asDouble());
        assertEquals(updater.learningRateDecay(), recipe.path("updater").path("learning_rate_decay").asDouble());
        assertEquals(updater.beta1(), recipe.path("updater").path("beta1").asDouble());
        assertEquals(updater.beta2(), recipe.path("updater").path("beta2").asDouble());
        assertEquals(updater.epsilon(), recipe.path("updater").path("epsilon").asDouble());
        assertEquals(mlp.hiddenLayers(), Arrays.stream(ints(recipe.path("hidden_layers"))).boxed().toList());
        assertEquals(3, recipe.path("epochs").asInt());
        assertEquals(settings.train().batchSize(), recipe.path("batch_size").asInt());
        assertEquals(Encoding.of(settings.data()).pixelScale(), recipe.path("pixel_scale").floatValue());
    }

    @Test
    void aModelTheScriptCannotBuildIsRefusedBeforeAnythingRuns(@TempDir Path dir) throws IOException {
        writeDataset(dir, false);
        JobSettings settings = settings(dir, "split.train=60", "split.validation=20", "model.mlp.activation=tanh");
        BadInputException refused = assertThrows(BadInputException.class, () -> write(dir, settings));
        assertTrue(refused.getMessage().contains("activation tanh") && refused.getMessage().contains("--no-pytorch"), refused.getMessage());
    }

    /** A tiny MNIST-shaped dataset: {@value #TRAIN_FILE} training and 30 test images of random pixels. */
    static void writeDataset(Path dir, boolean gzip) throws IOException {
        write(dir, "train-images-idx3-ubyte", IdxFiles.randomImages(TRAIN_FILE, 28, 28, 1), gzip);
        write(dir, "train-labels-idx1-ubyte", IdxFiles.cyclicLabels(TRAIN_FILE, 10), gzip);
        write(dir, "t10k-images-idx3-ubyte", IdxFiles.randomImages(30, 28, 28, 2), gzip);
        write(dir, "t10k-labels-idx1-ubyte", IdxFiles.cyclicLabels(30, 10), gzip);
    }

    static JobSettings settings(Path data, String... overrides) {
        List<String> args = new ArrayList<>(List.of("models=[mlp]", "data.dir=" + data, "train.batch-size=16"));
        args.addAll(List.of(overrides));
        return SettingsLoader.load(args);
    }

    static ModelSpec mlp(JobSettings settings) {
        return settings.models().stream().filter(m -> m.name().equals("mlp")).findFirst().orElseThrow();
    }

    private static void write(Path dir, String name, byte[] content, boolean gzip) throws IOException {
        Files.write(dir.resolve(gzip ? name + ".gz" : name), gzip ? IdxFiles.gzip(content) : content);
    }

    private static int[] ints(JsonNode array) {
        int[] values = new int[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).asInt();
        }
        return values;
    }
}
