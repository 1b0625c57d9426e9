package org.sparkmnist.staging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.sparkmnist.data.Encoding;
import org.sparkmnist.data.IdxImages;
import org.sparkmnist.data.IdxLabels;

class MinibatchFormatTest {

    private static final IdxImages IMAGES = new IdxImages("t", 3, 1, 2, new byte[] {0, 10, (byte) 255, 20, 30, 40});
    private static final IdxLabels LABELS = new IdxLabels("t", new byte[] {4, 0, 9});

    private static DataSet roundTrip(boolean normalize) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int[] chosen = {2, 1};
        MinibatchFormat.write(IMAGES.gather(chosen, 0, 2), LABELS.gather(chosen, 0, 2), 2, IMAGES.pixelsPerImage(),
                new Encoding(10, normalize), out);
        return MinibatchFormat.read(new ByteArrayInputStream(out.toByteArray()), "test");
    }

    @Test
    void keepsTheChosenExamplesInOrderWithRawPixels() throws IOException {
        DataSet batch = roundTrip(false);
        assertArrayEquals(new float[] {30, 40}, batch.getFeatures().getRow(0).toFloatVector());
        assertArrayEquals(new float[] {255, 20}, batch.getFeatures().getRow(1).toFloatVector());
    }

    @Test
    void scalesPixelsToUnitRangeWhenNormalizing() throws IOException {
        DataSet batch = roundTrip(true);
        assertArrayEquals(new float[] {1f, 20f / 255f}, batch.getFeatures().getRow(1).toFloatVector(), 1e-6f);
    }

    @Test
    void labelsAreOneHot() throws IOException {
        DataSet batch = roundTrip(true);
        assertEquals(2, batch.getLabels().rows());
        assertEquals(10, batch.getLabels().columns());
        assertEquals(9, batch.getLabels().getRow(0).argMax().getInt(0));
        assertEquals(0, batch.getLabels().getRow(1).argMax().getInt(0));
        assertEquals(2.0, batch.getLabels().sumNumber().doubleValue(), 1e-9);
    }

    @Test
    void rejectsOtherFiles() {
        assertThrows(IOException.class, () -> MinibatchFormat.read(new ByteArrayInputStream(new byte[64]), "junk"));
    }
}
