package org.sparkmnist.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.sparkmnist.BadInputException;
import org.sparkmnist.config.SplitSettings;

class MnistSplitTest {

    @Test
    void splitHasTheRequestedSizesAndIsDisjoint() {
        MnistSplit split = MnistSplit.of(600, new SplitSettings(42, 500, 100));
        assertEquals(500, split.train().length);
        assertEquals(100, split.validation().length);
        Set<Integer> seen = new HashSet<>();
        Arrays.stream(split.train()).forEach(seen::add);
        Arrays.stream(split.validation()).forEach(i -> assertTrue(seen.add(i), "index " + i + " is in both parts"));
        assertEquals(600, seen.size());
    }

    @Test
    void sameSeedGivesTheSameSplit() {
        MnistSplit a = MnistSplit.of(1000, new SplitSettings(7, 800, 200));
        MnistSplit b = MnistSplit.of(1000, new SplitSettings(7, 800, 200));
        assertArrayEquals(a.train(), b.train());
        assertArrayEquals(a.validation(), b.validation());
    }

    @Test
    void otherSeedGivesAnotherSplit() {
        MnistSplit a = MnistSplit.of(1000, new SplitSettings(7, 800, 200));
        MnistSplit b = MnistSplit.of(1000, new SplitSettings(8, 800, 200));
        assertFalse(Arrays.equals(a.validation(), b.validation()));
    }

    @Test
    void splitIsShuffledNotTheFileOrder() {
        MnistSplit split = MnistSplit.of(1000, new SplitSettings(1, 900, 100));
        assertFalse(Arrays.stream(split.validation()).allMatch(i -> i >= 900));
    }

    @Test
    void subsetsSmallerThanTheFileAreAllowed() {
        MnistSplit split = MnistSplit.of(1000, new SplitSettings(1, 100, 50));
        assertEquals(150, split.train().length + split.validation().length);
    }

    @Test
    void askingForMoreThanTheFileHoldsNamesBothKeys() {
        String message = assertThrows(BadInputException.class, () -> MnistSplit.of(100, new SplitSettings(1, 90, 20))).getMessage();
        assertTrue(message.contains("split.train") && message.contains("split.validation") && message.contains("100"), message);
    }
}
