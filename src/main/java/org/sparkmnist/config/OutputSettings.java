package org.sparkmnist.config;

import java.util.List;

/** Where run directories are written and how much detail they keep. */
public record OutputSettings(String dir, int misclassified, boolean overwrite) {

    public static final List<String> MODES = List.of("overwrite", "fail-if-exists");

    static OutputSettings from(ConfigReader output) {
        OutputSettings settings = new OutputSettings(output.string("dir"), output.nonNegativeInt("misclassified"),
                output.oneOf("mode", MODES).equals("overwrite"));
        output.check(!settings.dir.isBlank(), "dir", "must name a directory");
        return settings;
    }
}
