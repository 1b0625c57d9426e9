package org.sparkmnist.config;

import java.util.HashSet;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Where the idx files are, what shape they must have, and which dataset they are.
 *
 * @param classNames what each label stands for, one name per class; the labels themselves ("0",
 *                   "1", ...) when data.class-names is empty
 */
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
        List<String> classNames,
        boolean normalize) {

    public DataSettings {
        classNames = List.copyOf(classNames);
    }

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
                data.strings("class-names", "[\"T-shirt/top\", Trouser]"),
                data.bool("normalize"));
        data.check(!settings.name.isBlank(), "name", "must name the dataset, e.g. mnist");
        data.check(!settings.dir.isBlank(), "dir", "must name a directory");
        data.check(settings.classes >= 2 && settings.classes <= 256, "classes", "must be in 2..256, got " + settings.classes);
        List<String> names = settings.classNames;
        data.check(names.isEmpty() || names.size() == settings.classes, "class-names",
                "must be empty or name each of the " + settings.classes + " classes (data.classes), got " + names.size() + " names");
        data.check(names.stream().noneMatch(String::isBlank), "class-names", "must not hold an empty name");
        data.check(new HashSet<>(names).size() == names.size(), "class-names", "must not name two classes alike");
        return names.isEmpty() ? settings.withClassNames(labelsAsNames(settings.classes)) : settings;
    }

    private DataSettings withClassNames(List<String> names) {
        return new DataSettings(name, dir, trainImages, trainLabels, testImages, testLabels, rows, cols, classes, names, normalize);
    }

    /** "0", "1", ...: the labels themselves, for data whose labels need no names (MNIST's digits). */
    public static List<String> labelsAsNames(int classes) {
        return IntStream.range(0, classes).mapToObj(Integer::toString).toList();
    }

    public int pixels() {
        return rows * cols;
    }
}
