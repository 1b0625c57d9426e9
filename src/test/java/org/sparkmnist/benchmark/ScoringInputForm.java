package org.sparkmnist.benchmark;

import java.nio.file.Path;

/** How the scoring table's images are given to every configuration: as the idx file, or as the directory of PNG files. */
enum ScoringInputForm {

    IDX("idx", "", ScoringImages.IMAGES, ScoringImages.LABELS),
    PNG_DIRECTORY("png directory", "-png", PngDigits.DIRECTORY, PngDigits.LABELS);

    private final String label;
    private final String suffix;
    private final String input;
    private final String labels;

    ScoringInputForm(String label, String suffix, String input, String labels) {
        this.label = label;
        this.suffix = suffix;
        this.input = input;
        this.labels = labels;
    }

    /** The table's {@code input} column. */
    String label() {
        return label;
    }

    /** A run id or log name for {@code kind} ("local", "single", ...) at {@code images}: the idx ones as before PNG rows existed. */
    String name(String kind, int images) {
        return "scoring-" + kind + "-" + images + suffix;
    }

    /** score.input.path in a directory {@link ScoringImages} wrote. */
    Path path(Path dir) {
        return dir.resolve(input);
    }

    /** score.input.labels in a directory {@link ScoringImages} wrote. */
    Path labels(Path dir) {
        return dir.resolve(labels);
    }
}
