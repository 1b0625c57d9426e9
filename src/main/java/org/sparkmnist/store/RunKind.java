package org.sparkmnist.store;

import java.util.Arrays;
import java.util.Optional;

/**
 * What a committed run is. Training and scoring runs share output.dir and the run store; a run
 * replaces only a run of its own kind, so that a scoring run given a training run's run.id (or the
 * other way round) cannot take the trained models with it. The manifest records the kind; runs
 * committed before the manifest said so are training runs.
 */
public enum RunKind {
    TRAINING("training"),
    SCORING("scoring");

    private final String label;

    RunKind(String label) {
        this.label = label;
    }

    /** The kind as the manifest and summary.json write it. */
    public String label() {
        return label;
    }

    static Optional<RunKind> ofLabel(String label) {
        return Arrays.stream(values()).filter(k -> k.label.equals(label)).findFirst();
    }
}
