package org.sparkmnist.config;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A name from config that becomes one path segment under output.dir: run.id, and every model name
 * (a model's files go to {@code <run>/<model>/}, its checkpoints to a directory of that name). A
 * plain name cannot climb out of the directory it is put in, cannot be hidden or look like
 * Hadoop's own bookkeeping, and cannot be mistaken for a file the run writes.
 *
 * <p>The rule: 1 to 128 letters, digits, '.', '_' or '-'; starting with a letter or digit (so no
 * leading '.' or '_'); no "..", and none of {@link #RESERVED}, in any case.
 */
public record PlainName(String value) {

    /** Names the run itself uses next to run directories and model directories (the run store checks it uses no others). */
    public static final Set<String> RESERVED = Set.of("_SUCCESS", "_spark-mnist", "_temporary", "summary.json", "report.html");

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    public PlainName {
        problem(value).ifPresent(problem -> {
            throw new IllegalArgumentException("not a plain name: \"" + value + "\": " + problem);
        });
    }

    /** What is wrong with {@code value} as a plain name, if anything. */
    public static Optional<String> problem(String value) {
        if (value.isEmpty()) {
            return Optional.of("it is empty");
        }
        if (value.contains("/") || value.contains("\\")) {
            return Optional.of("it contains a path separator");
        }
        if (value.contains("..")) {
            return Optional.of("it contains \"..\"");
        }
        if (value.startsWith(".") || value.startsWith("_")) {
            return Optional.of("it starts with '" + value.charAt(0) + "'");
        }
        if (RESERVED.stream().anyMatch(r -> r.toLowerCase(Locale.ROOT).equals(value.toLowerCase(Locale.ROOT)))) {
            return Optional.of("the run writes a file of that name");
        }
        if (!PLAIN.matcher(value).matches()) {
            return Optional.of("only letters, digits, '.', '_' and '-' are allowed, at most 128");
        }
        return Optional.empty();
    }

    /** {@code value} of config key {@code key}, refused with exit code 2 naming the key when it is not plain. */
    static PlainName of(ConfigReader reader, String key, String value) {
        Optional<String> problem = problem(value);
        reader.check(problem.isEmpty(), key, "must be a plain name (it becomes a directory under output.dir): \""
                + value + "\" is not, as " + problem.orElse("") + "; use 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit");
        return new PlainName(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
