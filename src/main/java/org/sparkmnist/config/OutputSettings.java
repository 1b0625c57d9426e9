package org.sparkmnist.config;

import java.util.List;
import java.util.Locale;

/** Where run directories are written, how much detail they keep, and what a rerun of a run.id does. */
public record OutputSettings(String dir, int misclassified, Mode mode) {

    /** What a run does about an earlier run, or an interrupted attempt, of the same run.id. */
    public enum Mode {
        /** Start over; replace an existing run atomically at the end. */
        OVERWRITE,
        /** Refuse, before training, when the run already exists. */
        FAIL_IF_EXISTS,
        /** Continue each model from the last epoch checkpointed under this run.id; replace at the end like overwrite. */
        RESUME;

        public String key() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    public static final List<String> MODES = List.of(Mode.values()).stream().map(Mode::key).toList();

    static OutputSettings from(ConfigReader output) {
        String mode = output.oneOf("mode", MODES);
        OutputSettings settings = new OutputSettings(output.string("dir"), output.nonNegativeInt("misclassified"),
                Mode.valueOf(mode.toUpperCase(Locale.ROOT).replace('-', '_')));
        output.check(!settings.dir.isBlank(), "dir", "must name a directory");
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
