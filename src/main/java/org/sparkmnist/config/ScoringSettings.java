package org.sparkmnist.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValueFactory;
import java.util.List;
import java.util.Optional;
import org.sparkmnist.runtime.SecretMasking;
import org.sparkmnist.runtime.SparkSettings;

/**
 * Everything the scoring job was told, validated once at start-up: which trained model, which
 * images, how to read them, and where the predictions go ({@code output.dir}/{@code run.id}, as a
 * training run). Keys of the training sections are accepted (a shared config file may hold them)
 * but not read.
 */
public record ScoringSettings(
        ModelSource model,
        InputSource input,
        Inversion invert,
        long maxPixels,
        long maxFileBytes,
        int batchSize,
        double maxRejectShare,
        PredictionFormat format,
        OutputSettings output,
        String runId,
        SparkSettings spark,
        Config effective) {

    /** The sections of the config the scoring job reads, which are what its output records. */
    private static final List<String> SECTIONS = List.of("score", "output", "run", "spark");

    /**
     * The trained model: a model in a committed training run ({@code run} and {@code name}), or a
     * model.zip ({@code file}). {@code normalize} is how the model was trained to see pixels, when
     * the config says so: required for a bare model.zip, which does not record it.
     */
    public record ModelSource(String run, String name, String file, Optional<Boolean> normalize) {

        public boolean fromRun() {
            return !run.isEmpty();
        }
    }

    /** What to score: an idx image file or a directory of image files, and optionally their labels. */
    public record InputSource(String path, Optional<String> labels) {
    }

    static ScoringSettings from(ConfigReader root, Config merged, String runId) {
        ConfigReader score = root.at("score");
        OutputSettings output = OutputSettings.from(root.at("output"));
        root.at("output").check(!output.resume(), "mode",
                "must be overwrite or fail-if-exists for scoring, got \"resume\": a scoring run has no checkpoints; a rerun replaces its predictions whole");
        Config effective = ConfigFactory.empty();
        for (String section : SECTIONS) {
            effective = effective.withValue(section, merged.getValue(section));
        }
        return new ScoringSettings(
                model(score.at("model")),
                input(score.at("input")),
                score.oneOf("images.invert", Inversion.class),
                positiveLong(score, "images.max-pixels"),
                positiveBytes(score, "images.max-file-bytes"),
                score.positiveInt("batch-size"),
                share(score, "max-reject-share"),
                score.oneOf("format", PredictionFormat.class),
                output,
                runId,
                SettingsLoader.spark(root.at("spark")),
                effective.withValue("run.id", ConfigValueFactory.fromAnyRef(runId)));
    }

    private static ModelSource model(ConfigReader model) {
        String run = model.string("run").trim();
        String file = model.string("file").trim();
        String name = model.string("name").trim();
        model.check(!(run.isEmpty() && file.isEmpty()), "run",
                "is empty and so is score.model.file: set score.model.run to a training run directory (with score.model.name), "
                        + "or score.model.file to a model.zip");
        model.check(run.isEmpty() || file.isEmpty(), "file",
                "and score.model.run are both set; give one: a training run directory or a model.zip");
        if (!run.isEmpty()) {
            // Before it is looked up: it names a directory inside the run.
            Optional<String> problem = PlainName.problem(name);
            model.check(problem.isEmpty(), "name", "must be the name of a model directory in the run (a plain name: 1-128 letters,"
                    + " digits, '.', '_' or '-', starting with a letter or digit), got \"" + name + "\", as " + problem.orElse(""));
        }
        String normalizeText = model.string("normalize").trim();
        Optional<Boolean> normalize = normalizeText.isEmpty() ? Optional.empty()
                : Optional.of(Boolean.parseBoolean(model.oneOf("normalize", List.of("true", "false"))));
        model.check(file.isEmpty() || normalize.isPresent(), "normalize",
                "must be true or false with score.model.file: a bare model.zip does not record whether it was trained on pixels "
                        + "scaled to 0..1 (true, the default recipe's data.normalize) or raw 0..255 (false, the tutorial's)");
        return new ModelSource(run, name, file, normalize);
    }

    private static InputSource input(ConfigReader input) {
        String path = input.string("path").trim();
        input.check(!path.isEmpty(), "path", "must name what to score: an idx image file (raw or .gz) or a directory of image files");
        String labels = input.string("labels").trim();
        return new InputSource(path, labels.isEmpty() ? Optional.empty() : Optional.of(labels));
    }

    private static long positiveLong(ConfigReader reader, String key) {
        long value = reader.longInteger(key);
        reader.check(value > 0, key, "must be > 0, got " + value);
        return value;
    }

    private static long positiveBytes(ConfigReader reader, String key) {
        long value = reader.bytes(key);
        reader.check(value > 0, key, "must be > 0 bytes, got " + value);
        return value;
    }

    /** A share in [0, 1]. */
    private static double share(ConfigReader reader, String key) {
        double value = reader.number(key);
        reader.check(value >= 0 && value <= 1, key, "must be in [0, 1], got " + value);
        return value;
    }

    /** The scoring sections of the config as JSON, secrets masked, for the scoring run's record. */
    public String effectiveJson() {
        return SecretMasking.mask(effective).root().render(ConfigRenderOptions.concise().setFormatted(true));
    }
}
