package org.sparkmnist.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class EpochLogTest {

    @Test
    void lineHasTheTutorialsFieldsAndAnEstimateOfTheRest() {
        EpochMetrics metrics = new EpochMetrics(2, 3.0, 0.25, 0.9, 0.3, 0.88);
        String line = EpochLog.line("mlp", metrics, 10, 8.0);
        assertTrue(line.startsWith("mlp epoch 2/10 - 3.0s - loss: 0.2500 - accuracy: 0.9000 - val_loss: 0.3000 - val_accuracy: 0.8800"), line);
        // 8 s for 2 epochs, 8 epochs to go.
        assertTrue(line.endsWith("ETA 32s"), line);
    }

    @Test
    void durationsReadNaturally() {
        assertEquals("59s", EpochLog.duration(59.4));
        assertEquals("3m07s", EpochLog.duration(187));
        assertEquals("1h05m", EpochLog.duration(3900));
    }

    @Test
    void crossEntropyMatchesKerasDefinition() {
        var probabilities = Nd4j.createFromArray(new float[][] {{0.7f, 0.2f, 0.1f}, {0.0f, 0.4f, 0.6f}});
        var labels = Nd4j.createFromArray(new float[][] {{1, 0, 0}, {1, 0, 0}});
        Tally tally = CrossEntropy.tally(probabilities, labels);
        // -ln(0.7) and -ln(1e-7): Keras clips the zero probability at its epsilon.
        assertEquals(-Math.log(0.7) - Math.log(1e-7), tally.lossSum(), 1e-4);
        assertEquals(1, tally.correct());
        assertEquals(0.5, tally.accuracy(), 1e-12);
    }
}
