package org.sparkmnist.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkmnist.testing.IdxFiles;
import org.sparkmnist.testing.Scripts;

/**
 * submit/fetch-mnist.sh must never put a file that fails its checksum where the job reads data.
 * MNIST_SOURCE points it at local files, so this runs offline.
 */
class FetchMnistScriptTest {

    private static final String TRAIN_IMAGES_SUM = "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db";
    private static final List<String> NAMES = List.of(
            "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");

    @TempDir
    Path tmp;

    private Scripts.Result fetch(Path target, String source) {
        return Scripts.run(List.of("submit/fetch-mnist.sh", target.toString()), Map.of("MNIST_SOURCE", source),
                tmp.resolve("fetch.log"), Duration.ofMinutes(2));
    }

    @Test
    void aSourceFileWithTheWrongChecksumStopsItAndIsNotPutInPlace() throws IOException {
        Path source = tmp.resolve("source");
        byte[] wrong = IdxFiles.randomImages(5, 28, 28, 1);
        for (String name : NAMES) {
            IdxFiles.write(source.resolve(name), wrong);
        }
        Path target = tmp.resolve("mnist");
        Scripts.Result result = fetch(target, source.toString());

        assertEquals(2, result.exitCode(), result.output());
        String line = result.tail(1);
        assertEquals("fetch-mnist: error: train-images-idx3-ubyte from " + source + " has SHA-256 " + sha256(wrong)
                + "; expected " + TRAIN_IMAGES_SUM + " for train-images-idx3-ubyte; nothing was put into " + target, line);
        try (Stream<Path> left = Files.list(target)) {
            assertEquals(List.of(), left.toList(), "neither the bad file nor the scratch directory may stay in " + target);
        }
    }

    @Test
    void anExistingFileWithTheWrongChecksumIsNamedAndLeftAlone() throws IOException {
        Path target = tmp.resolve("mnist");
        byte[] wrong = IdxFiles.randomImages(5, 28, 28, 1);
        IdxFiles.write(target.resolve("train-images-idx3-ubyte"), wrong);
        Scripts.Result result = fetch(target, tmp.resolve("unused").toString());

        assertEquals(2, result.exitCode(), result.output());
        assertTrue(result.tail(1).contains(target.resolve("train-images-idx3-ubyte") + " has SHA-256 " + sha256(wrong)
                + "; expected " + TRAIN_IMAGES_SUM), result.tail(1));
        try (Stream<Path> left = Files.list(target)) {
            assertEquals(List.of(target.resolve("train-images-idx3-ubyte")), left.toList(), "the script deletes nothing of the user's");
        }
    }

    @Test
    void theRealFilesFromALocalSourceAreVerifiedAndPutInPlace() throws IOException {
        Path real = Scripts.REPO.resolve("data/mnist");
        assumeTrue(NAMES.stream().allMatch(n -> Files.isRegularFile(real.resolve(n))), "needs the raw MNIST files in data/mnist");
        Path target = tmp.resolve("mnist");
        Scripts.Result result = fetch(target, real.toString());

        assertEquals(0, result.exitCode(), result.output());
        for (String name : NAMES) {
            assertEquals(Files.size(real.resolve(name)), Files.size(target.resolve(name)), name);
        }
        try (Stream<Path> left = Files.list(target)) {
            assertFalse(left.anyMatch(p -> p.getFileName().toString().startsWith(".fetch")), "scratch removed");
        }
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
