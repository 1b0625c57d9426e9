package org.sparkmnist.config;

/** Where run directories are written and how much detail they keep. */
public record OutputSettings(String dir, int misclassified) {

    static OutputSettings from(ConfigReader output) {
        OutputSettings settings = new OutputSettings(output.string("dir"), output.nonNegativeInt("misclassified"));
        output.check(!settings.dir.isBlank(), "dir", "must name a directory");
        return settings;
    }
}
