package org.sparkmnist.data;

import java.util.Arrays;
import java.util.Random;
import org.sparkmnist.BadInputException;
import org.sparkmnist.config.SplitSettings;

/**
 * The seeded random split of the training file into disjoint training and validation indices.
 * java.util.Random is used on purpose: its sequence is fixed by the Java specification, so the
 * same split.seed gives the same split on every JVM, driver and cluster.
 */
public record MnistSplit(int[] train, int[] validation) {

    public static MnistSplit of(int available, SplitSettings settings) {
        long wanted = (long) settings.train() + settings.validation();
        if (wanted > available) {
            throw new BadInputException("config keys split.train (" + settings.train() + ") + split.validation ("
                    + settings.validation() + ") = " + wanted + " exceed the " + available + " examples in the training file");
        }
        int[] order = new int[available];
        for (int i = 0; i < available; i++) {
            order[i] = i;
        }
        Random random = new Random(settings.seed());
        for (int i = available - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return new MnistSplit(
                Arrays.copyOfRange(order, 0, settings.train()),
                Arrays.copyOfRange(order, settings.train(), settings.train() + settings.validation()));
    }
}
