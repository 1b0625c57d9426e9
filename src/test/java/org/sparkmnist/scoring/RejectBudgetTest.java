package org.sparkmnist.scoring;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sparkmnist.BadInputException;

/** A few rejects are tolerated; more than score.max-reject-share of the inputs stop the run. */
class RejectBudgetTest {

    @Test
    void aShareUpToTheLimitIsAllowedAndOneMoreIsNot() {
        assertTrue(RejectBudget.allows(new ScoringCounts(100, 1, 0), 0.01));
        assertFalse(RejectBudget.allows(new ScoringCounts(100, 2, 0), 0.01));
        assertTrue(RejectBudget.allows(new ScoringCounts(303, 3, 0), 0.01), "3 of 303 is 0.99%");
        assertFalse(RejectBudget.allows(new ScoringCounts(299, 3, 0), 0.01), "3 of 299 is 1.003%");
        assertTrue(RejectBudget.allows(new ScoringCounts(10_000_000, 100_000, 0), 0.01));
        assertFalse(RejectBudget.allows(new ScoringCounts(10_000_000, 100_001, 0), 0.01));
    }

    @Test
    void noneAndAllAreTheLimitsExtremes() {
        assertTrue(RejectBudget.allows(new ScoringCounts(5, 0, 0), 0));
        assertFalse(RejectBudget.allows(new ScoringCounts(5, 1, 0), 0), "0 tolerates no reject");
        assertTrue(RejectBudget.allows(new ScoringCounts(5, 5, 0), 1), "1 tolerates all");
        assertTrue(RejectBudget.allows(new ScoringCounts(99, 0, 0), 0.01), "no reject is always within");
    }

    @Test
    void tooManyRejectsAreBadInputThatShowsSomeOfThem() {
        assertDoesNotThrow(() -> RejectBudget.check(new ScoringCounts(200, 2, 0), 0.01, List.of()));
        String message = assertThrows(BadInputException.class, () -> RejectBudget.check(new ScoringCounts(200, 3, 0), 0.01,
                List.of("file:/in/a.png: empty file", "file:/in/b.png: not an image"))).getMessage();
        assertEquals("3 of 200 inputs (1.50%) were rejected, more than score.max-reject-share = 0.01 allows; nothing was written;"
                + " e.g. file:/in/a.png: empty file; file:/in/b.png: not an image", message);
    }
}
