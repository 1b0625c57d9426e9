package org.sparkmnist.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.sparkmnist.config.SettingsLoader;

class EncodingTest {

    @Test
    void isTheDataSectionsClassesAndNormalisation() {
        assertEquals(new Encoding(7, false),
                Encoding.of(SettingsLoader.load(List.of("data.classes=7", "data.normalize=false")).data()));
        assertEquals(new Encoding(10, true), Encoding.of(SettingsLoader.load(List.of()).data()));
    }

    @Test
    void encodesPixelsAndOneHotLabelsAsTheTutorialDoes() {
        DataSet raw = new Encoding(3, false).encode(new byte[] {0, (byte) 255, 51, 102}, new byte[] {2, 0}, 2, 2);
        assertArrayEquals(new float[] {0, 255, 51, 102}, raw.getFeatures().reshape(4).toFloatVector());
        assertArrayEquals(new float[] {0, 0, 1, 1, 0, 0}, raw.getLabels().reshape(6).toFloatVector());
        DataSet scaled = new Encoding(3, true).encode(new byte[] {0, (byte) 255, 51, 102}, new byte[] {2, 0}, 2, 2);
        assertArrayEquals(new float[] {0, 1, 0.2f, 0.4f}, scaled.getFeatures().reshape(4).toFloatVector(), 1e-6f);
    }

    @Test
    void aLabelByteHoldsAtMost256Classes() {
        assertThrows(IllegalArgumentException.class, () -> new Encoding(257, true));
        assertThrows(IllegalArgumentException.class, () -> new Encoding(1, true));
    }
}
