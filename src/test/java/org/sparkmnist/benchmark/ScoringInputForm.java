package org.sparkmnist.benchmark;

import java.nio.file.Path;

/** How the scoring table's images are given to every configuration: as the idx file, or as the directory of PNG files. */
enum ScoringInputForm {

    IDX("idx", "") {
        @Override
        Path path(Path dir) {
            return dir.resolve(ScoringImages.IMAGES);
        }

        @Override
        Path labels(Path dir) {
            return dir.resolve(ScoringImages.LABELS);
        }
    },
    PNG_DIRECTORY("png directory", "-png") {
        @Override
        Path path(Path dir) {
            return dir.resolve(PngDigits.DIRECTORY);
        }

        @Override
        Path labels(Path dir) {
            return dir.resolve(PngDigits.LABELS);
        }
    };

    private final String label;
    private final String suffix;

    ScoringInputForm(String label, String suffix) {
        this.label = label;
        this.suffix = suffix;
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
    abstract Path path(Path dir);

    /** score.input.labels in a directory {@link ScoringImages} wrote. */
    abstract Path labels(Path dir);
}
