package org.sparkmnist.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class SpreadTest {

    @Test
    void anOddCountHasItsMiddleValueAsMedianWhateverTheOrder() {
        assertEquals(new Spread(2.0, 1.0, 9.0), Spread.of(List.of(9.0, 1.0, 2.0)));
    }

    @Test
    void anEvenCountHasTheMeanOfItsMiddleTwo() {
        assertEquals(new Spread(2.5, 1.0, 4.0), Spread.of(List.of(4.0, 1.0, 3.0, 2.0)));
    }

    @Test
    void anInfiniteValueSortsLastSoItSetsTheMedianOnlyWhenHalfOrMoreAreInfinite() {
        assertEquals(2.0, Spread.of(List.of(Double.POSITIVE_INFINITY, 1.0, 2.0)).median());
        assertEquals(Double.POSITIVE_INFINITY, Spread.of(List.of(Double.POSITIVE_INFINITY, 1.0)).median());
    }

    @Test
    void nothingToSummariseIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> Spread.of(List.of()));
    }

    @Test
    void theRangeIsShownOnlyWhenTheRoundsDifferAtThePrecisionShown() {
        assertEquals("1.03 (0.98-1.10)", Spread.of(List.of(1.10, 0.98, 1.03)).format(2));
        assertEquals("1.03", Spread.of(List.of(1.031, 1.029, 1.03)).format(2));
        assertEquals("98.23% (98.10-98.30)", Spread.of(List.of(0.9810, 0.9823, 0.9830)).times(100).format(2, "%"));
    }
}
