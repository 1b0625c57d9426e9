package org.sparkmnist.benchmark;

import java.util.ArrayList;
import java.util.List;

/**
 * The order of a round of the comparison. Every round runs each configuration once, interleaved with
 * the others, so that a slow stretch of a shared machine falls on several configurations rather than
 * on all rounds of one; and each round starts one configuration later than the one before, so that
 * no configuration always runs first (on a machine still settling after the build) or always right
 * after the same neighbour.
 */
final class Rounds {

    private Rounds() {
    }

    /** {@code configurations} rotated left by {@code round} (0-based): round 0 is the given order, round 1 starts with the second. */
    static <T> List<T> order(List<T> configurations, int round) {
        if (round < 0) {
            throw new IllegalArgumentException("round " + round);
        }
        List<T> order = new ArrayList<>(configurations.size());
        for (int i = 0; i < configurations.size(); i++) {
            order.add(configurations.get((round + i) % configurations.size()));
        }
        return order;
    }
}
