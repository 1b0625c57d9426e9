package org.sparkmnist.scoring;

import java.util.List;
import java.util.Locale;
import org.sparkmnist.BadInputException;

/**
 * A few bad images do not sink a nightly batch, but a batch that is mostly bad is not a batch to
 * publish predictions for: when the rejected share of the inputs exceeds score.max-reject-share,
 * the run stops with exit code 2, writes nothing, and the message shows what the rejects were.
 */
final class RejectBudget {

    private RejectBudget() {
    }

    /** Whether {@code counts} stays within a share of {@code maxShare} rejects. */
    static boolean allows(ScoringCounts counts, double maxShare) {
        // Compared as counts, not as a rounded share: 1 reject of 100 is within 1%, 2 are not.
        return counts.rejects() <= Math.floor(maxShare * counts.inputs() + 1e-9);
    }

    static void check(ScoringCounts counts, double maxShare, List<String> examples) {
        if (!allows(counts, maxShare)) {
            throw new BadInputException(String.format(Locale.ROOT,
                    "%d of %d inputs (%.2f%%) were rejected, more than score.max-reject-share = %s allows; nothing was written; e.g. %s",
                    counts.rejects(), counts.inputs(), 100 * counts.rejectShare(), maxShare, String.join("; ", examples)));
        }
    }
}
