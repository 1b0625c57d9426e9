package org.sparkmnist.staging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sparkmnist.config.SplitSettings;
import org.sparkmnist.data.IdxLabels;
import org.sparkmnist.data.MnistSplit;

class BatchLayoutTest {

    private final BatchLayout layout = new BatchLayout(10, 5, 4);

    @Test
    void eachPartEndsWithItsOwnShortBatch() {
        assertEquals(3, layout.trainBatches());
        assertEquals(5, layout.batches());
        assertEquals(2, layout.size(2));
        assertEquals(4, layout.size(3));
        assertEquals(1, layout.size(4));
    }

    @Test
    void positionsMapToBatchesAndBack() {
        for (int position = 0; position < layout.positions(); position++) {
            int batch = layout.batchOf(position);
            int first = layout.firstPosition(batch);
            assertTrue(position >= first && position < first + layout.size(batch), "position " + position);
        }
        assertEquals(3, layout.batchOf(10));
        assertEquals(14, layout.firstPosition(4));
    }

    @Test
    void validationFilesAreNumberedFromZeroAsBefore() {
        assertEquals("batch-000002.bin", layout.fileName(2));
        assertEquals("batch-000000.bin", layout.fileName(3));
        assertFalse(layout.isTrain(3));
    }

    @Test
    void planIsTheInverseOfTheSplit() {
        MnistSplit split = MnistSplit.of(20, new SplitSettings(3, 10, 5));
        byte[] labels = new byte[20];
        labels[split.validation()[2]] = 7;
        StagingPlan plan = StagingPlan.of(split, new IdxLabels("l", labels), 4);
        for (int i = 0; i < 10; i++) {
            assertEquals(i, plan.positions()[split.train()[i]]);
        }
        assertEquals(12, plan.positions()[split.validation()[2]]);
        assertEquals(7, plan.labels()[split.validation()[2]]);
        long unused = java.util.stream.IntStream.range(0, 20).filter(e -> plan.positions()[e] == StagingPlan.UNUSED).count();
        assertEquals(5, unused);
    }
}
