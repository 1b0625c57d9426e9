package org.sparkmnist.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkmnist.BadInputException;
import org.sparkmnist.config.DataSettings;
import org.sparkmnist.testing.IdxFiles;
import org.sparkmnist.testing.LabelCounts;

class MnistLoaderTest {

    @TempDir
    Path dir;

    private DataSettings settings() {
        return new DataSettings("mnist", dir.toString(), "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                "t10k-labels-idx1-ubyte", 28, 28, 10, DataSettings.labelsAsNames(10), true);
    }

    @Test
    void loadsAllFourFiles() {
        IdxFiles.dataset(dir, 30, 12);
        MnistData data = MnistLoader.load(settings(), new Configuration());
        assertEquals(30, data.trainImages().count());
        assertEquals(12, data.testLabels().count());
        assertEquals(3, LabelCounts.of(data.trainLabels(), 10)[0]);
    }

    @Test
    void imageAndLabelCountsMustAgree() {
        IdxFiles.dataset(dir, 30, 12);
        IdxFiles.write(dir.resolve("train-labels-idx1-ubyte"), IdxFiles.cyclicLabels(29, 10));
        String message = assertThrows(BadInputException.class, () -> MnistLoader.load(settings(), new Configuration())).getMessage();
        assertTrue(message.contains("29 labels") && message.contains("30 images"), message);
    }
}
