package org.sparkmnist.config;

/** Where the idx files are, what shape they must have, and which dataset they are. */
public record DataSettings(
        String name,
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
                data.string("name"),
                data.string("dir"),
                data.string("train-images"),
                data.string("train-labels"),
                data.string("test-images"),
                data.string("test-labels"),
                data.positiveInt("rows"),
                data.positiveInt("cols"),
                data.positiveInt("classes"),
                data.bool("normalize"));
        data.check(!settings.name.isBlank(), "name", "must name the dataset, e.g. mnist");
        data.check(!settings.dir.isBlank(), "dir", "must name a directory");
        data.check(settings.classes >= 2 && settings.classes <= 256, "classes", "must be in 2..256, got " + settings.classes);
        return settings;
    }

    /** The name of MNIST itself, the data the Keras tutorial's accuracies were measured on. */
    public static final String MNIST = "mnist";

    /** True for MNIST, whose runs are read against the Keras tutorial's accuracies. */
    public boolean isMnist() {
        return MNIST.equals(name);
    }

    public int pixels() {
        return rows * cols;
    }
}
