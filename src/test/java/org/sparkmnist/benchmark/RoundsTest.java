package org.sparkmnist.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class RoundsTest {

    private static final List<String> CONFIGURATIONS = List.of("a", "b", "c", "d");

    @Test
    void theFirstRoundRunsTheConfigurationsInTheGivenOrder() {
        assertEquals(CONFIGURATIONS, Rounds.order(CONFIGURATIONS, 0));
    }

    @Test
    void eachRoundStartsOneConfigurationLater() {
        assertEquals(List.of("b", "c", "d", "a"), Rounds.order(CONFIGURATIONS, 1));
        assertEquals(List.of("c", "d", "a", "b"), Rounds.order(CONFIGURATIONS, 2));
    }

    @Test
    void afterAsManyRoundsAsConfigurationsTheOrderComesRound() {
        assertEquals(CONFIGURATIONS, Rounds.order(CONFIGURATIONS, 4));
        assertEquals(List.of("d", "a", "b", "c"), Rounds.order(CONFIGURATIONS, 7));
    }

    @Test
    void overAsManyRoundsAsConfigurationsEachRunsFirstOnce() {
        List<String> first = java.util.stream.IntStream.range(0, 4).mapToObj(round -> Rounds.order(CONFIGURATIONS, round).get(0)).toList();
        assertEquals(CONFIGURATIONS, first);
    }
}
