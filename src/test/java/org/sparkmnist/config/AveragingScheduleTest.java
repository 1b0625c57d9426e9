package org.sparkmnist.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sparkmnist.BadInputException;

/** train.averaging-frequency as a number or a per-epoch list, read from config and applied epoch by epoch. */
class AveragingScheduleTest {

    private static AveragingSchedule read(String value) {
        return SettingsLoader.load(List.of("train.averaging-frequency=" + value)).train().averaging();
    }

    @Test
    void aNumberHoldsForEveryEpoch() {
        AveragingSchedule schedule = read("20");
        assertEquals(AveragingSchedule.every(20), schedule);
        assertEquals(20, schedule.at(1));
        assertEquals(20, schedule.at(50));
        assertTrue(schedule.isConstant());
        assertEquals("every 20 minibatches", schedule.describe());
    }

    @Test
    void aListGivesEachEpochItsEntryAndTheLastEntryToEveryLaterEpoch() {
        AveragingSchedule schedule = read("[20, 20, 40, 80]");
        assertEquals(List.of(20, 20, 40, 80, 80, 80), List.of(schedule.at(1), schedule.at(2), schedule.at(3), schedule.at(4),
                schedule.at(5), schedule.at(12)));
        assertFalse(schedule.isConstant());
        assertEquals("every 20 minibatches in epochs 1-2, every 40 in epoch 3, then every 80", schedule.describe());
        assertEquals("every 20 rounds in epochs 1-2, every 40 in epoch 3, then every 80", schedule.describe("rounds"));
        assertTrue(read("[5, 5]").isConstant());
    }

    @Test
    void badValuesNameTheKeyAndWhatItTakes() {
        for (String bad : List.of("0", "[20, 0]", "[]", "\"often\"", "[20, x]")) {
            BadInputException e = assertThrows(BadInputException.class, () -> read(bad), bad);
            assertTrue(e.getMessage().startsWith("config key train.averaging-frequency must be a whole number > 0 or a list of them"),
                    bad + ": " + e.getMessage());
        }
    }

    @Test
    void epochsCountFromOne() {
        assertThrows(IllegalArgumentException.class, () -> AveragingSchedule.every(20).at(0));
        assertThrows(IllegalArgumentException.class, () -> new AveragingSchedule(List.of()));
    }
}
