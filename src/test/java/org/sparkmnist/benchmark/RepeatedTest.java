package org.sparkmnist.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RepeatedTest {

    @Test
    void timeToTargetIsReadFromEachRoundsValidationAccuraciesAndCumulativeEpochTimes() {
        // Round 1 gets there at the end of epoch 3 (5 + 2 + 2 s), round 2 at the end of epoch 2 (6 + 3 s), round 3 at epoch 4.
        Repeated r = new Repeated("x", List.of(
                run(List.of(5.0, 2.0, 2.0, 2.0), List.of(0.96, 0.975, 0.98, 0.985)),
                run(List.of(6.0, 3.0, 2.0, 2.0), List.of(0.97, 0.981, 0.979, 0.985)),
                run(List.of(5.0, 2.0, 2.0, 2.0), List.of(0.96, 0.97, 0.979, 0.98))));
        assertEquals(List.of(new Measurement.Reached(3, 9.0), new Measurement.Reached(2, 9.0), new Measurement.Reached(4, 11.0)),
                r.reached(0.98));
        assertEquals(Optional.of(9.0), r.medianSecondsTo(0.98));
    }

    @Test
    void noRoundReachingTheTargetLeavesNoMedian() {
        Repeated r = new Repeated("x", List.of(run(List.of(5.0, 2.0), List.of(0.96, 0.979)), run(List.of(5.0, 2.0), List.of(0.96, 0.97))));
        assertTrue(r.reached(0.98).isEmpty());
        assertEquals(Optional.empty(), r.medianSecondsTo(0.98));
    }

    @Test
    void theMedianRunIsTheRoundWithTheMedianEpochTime() {
        Measurement slow = run(List.of(5.0, 4.0), List.of(0.9, 0.9));
        Measurement middle = run(List.of(5.0, 3.0), List.of(0.9, 0.9));
        Measurement fast = run(List.of(5.0, 2.0), List.of(0.9, 0.9));
        assertEquals(middle, new Repeated("x", List.of(slow, fast, middle)).medianRun());
        assertEquals(fast, new Repeated("x", List.of(slow, fast)).medianRun(), "the faster of the middle two");
    }

    private static Measurement run(List<Double> seconds, List<Double> validation) {
        return new Measurement("x", 50_000, seconds, validation, 0.98, 1024, 0);
    }
}
