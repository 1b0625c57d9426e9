package org.sparkmnist.config;

import java.time.Duration;
import org.sparkmnist.ConfigName;

/** Where run directories are written, how much detail they keep, and what a rerun of a run.id does. */
public record OutputSettings(String dir, int misclassified, Mode mode, Duration lockLease) {

    /** What a run does about an earlier run, or an interrupted attempt, of the same run.id. */
    public enum Mode implements ConfigName {
        /** Start over; replace an existing run atomically at the end. */
        OVERWRITE,
        /** Refuse, before training, when the run already exists. */
        FAIL_IF_EXISTS,
        /** Continue each model from the last epoch checkpointed under this run.id; replace at the end like overwrite. */
        RESUME
    }

    static OutputSettings from(ConfigReader output) {
        OutputSettings settings = new OutputSettings(output.string("dir"), output.nonNegativeInt("misclassified"),
                output.oneOf("mode", Mode.class), output.positiveDuration("lock-lease"));
        output.check(!settings.dir.isBlank(), "dir", "must name a directory");
        // A bare number is milliseconds in HOCON: "lock-lease = 60" would be a lease no driver could keep renewed.
        output.check(settings.lockLease.toMillis() >= 1000, "lock-lease", "must be at least 1s (a bare number is milliseconds), got "
                + settings.lockLease.toMillis() + "ms");
        return settings;
    }

    /** Whether an existing complete run of this id may be replaced at commit. */
    public boolean overwrite() {
        return mode != Mode.FAIL_IF_EXISTS;
    }

    public boolean resume() {
        return mode == Mode.RESUME;
    }
}
