package org.sparkmnist.config;

/** Where the idx files are and what shape they must have. */
public record DataSettings(
        String dir,
        String trainImages,
        String trainLabels,
        String testImages,
        String testLabels,
        int rows,
        int cols,
        int classes,
        boolean normalize) {

    static DataSettings from(ConfigReader data) {
        DataSettings settings = new DataSettings(
                data.string("dir"),
                data.string("train-images"),
                data.string("train-labels"),
                data.string("test-images"),
                data.string("test-labels"),
                data.positiveInt("rows"),
                data.positiveInt("cols"),
                data.positiveInt("classes"),
                data.bool("normalize"));
        data.check(!settings.dir.isBlank(), "dir", "must name a directory");
        data.check(settings.classes >= 2 && settings.classes <= 256, "classes", "must be in 2..256, got " + settings.classes);
        return settings;
    }

    public int pixels() {
        return rows * cols;
    }
}
