package org.sparkmnist.benchmark;

import java.nio.file.Path;
import org.sparkmnist.data.IdxImages;
import org.sparkmnist.testing.IdxFiles;

/**
 * The source the benchmark's input builders ({@link ScaledMnist}, {@link ScoringImages}) are tested
 * on: three 4x5 images labelled 3, 1, 4, small enough that every shifted pixel of every copy can be
 * checked.
 */
final class SmallSource {

    static final int ROWS = 4;
    static final int COLS = 5;
    static final byte[] LABELS = {3, 1, 4};
    static final int COUNT = LABELS.length;

    private SmallSource() {
    }

    /** An idx image file of {@code count} images of this size, the same for the same {@code seed}. */
    static byte[] randomImages(int count, long seed) {
        return IdxFiles.randomImages(count, ROWS, COLS, seed);
    }

    /** The idx label file of {@link #LABELS}. */
    static byte[] labels() {
        return IdxFiles.labels(LABELS);
    }

    /** The images of an idx file of this size, gzipped or not. */
    static IdxImages readImages(Path file) {
        return IdxFiles.readImages(file, ROWS, COLS);
    }
}
