package org.sparkmnist.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import java.io.File;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.apache.commons.text.similarity.LevenshteinDistance;
import org.sparkmnist.BadInputException;
import org.sparkmnist.model.ModelSpec;
import org.sparkmnist.runtime.SecretMasking;
import org.sparkmnist.runtime.SparkSettings;

/**
 * Turns a job's arguments into its settings ({@link JobSettings} for training, {@link ScoringSettings}
 * for scoring): {@code *.conf} files are layered in order over the jar's reference.conf, then
 * {@code key=value} arguments override them. Deliberately no system properties and no
 * application.conf from the classpath: spark-submit puts its own {@code spark.*} properties there,
 * and a job's behaviour should depend only on what it was given.
 */
public final class SettingsLoader {

    static final String COMMAND_LINE = "command line";
    /** What a recipe's source reports its models reaching: facts about a recipe, not settings of a run. */
    static final String REPORTED = "reported";
    private static final DateTimeFormatter RUN_ID_CLOCK = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private SettingsLoader() {
    }

    /** The training job's settings. */
    public static JobSettings load(List<String> args) {
        return load(args, SettingsLoader::settingsFrom);
    }

    /** The scoring job's settings: the same layers and checks, read into the sections scoring uses. */
    public static ScoringSettings loadScoring(List<String> args) {
        return load(args, merged -> ScoringSettings.from(new ConfigReader(merged), merged, runId(new ConfigReader(merged))));
    }

    /** The settings of a recipe that is one HOCON file on the classpath, as if it were the job's only argument. */
    static JobSettings loadResource(String resource) {
        return load(reference -> ConfigFactory.parseResources(SettingsLoader.class.getClassLoader(), resource,
                ConfigParseOptions.defaults().setAllowMissing(false)), SettingsLoader::settingsFrom);
    }

    private static <T> T load(List<String> args, Function<Config, T> settings) {
        return load(reference -> userConfig(args, reference), settings);
    }

    private static <T> T load(Function<Config, Config> userConfig, Function<Config, T> settings) {
        Config reference = ConfigFactory.parseResources(SettingsLoader.class.getClassLoader(), "reference.conf");
        // A recipe file's reported figures change nothing a run does (TutorialRecipe reads the jar's own),
        // so they are no part of its settings or of the config it records.
        Config user = userConfig.apply(reference).withoutPath(REPORTED);
        rejectUnknownKeys(user, reference);
        try {
            Config merged = user.withFallback(reference.withoutPath(REPORTED)).resolve();
            return settings.apply(merged);
        } catch (ConfigException e) {
            throw new BadInputException("bad config: " + e.getMessage(), e);
        }
    }

    /** Files in argument order, later ones winning, then all key=value overrides on top. */
    private static Config userConfig(List<String> args, Config reference) {
        Config files = ConfigFactory.empty();
        Config overrides = ConfigFactory.empty();
        for (String arg : args) {
            if (arg.endsWith(".conf") && !arg.contains("=")) {
                files = parseFile(arg).withFallback(files);
            } else if (arg.contains("=")) {
                int eq = arg.indexOf('=');
                String key = arg.substring(0, eq).trim();
                // A later key=value wins over an earlier one, as later files win over earlier files.
                overrides = override(key, arg.substring(eq + 1).trim(), reference).withFallback(overrides);
            } else {
                throw new BadInputException("unexpected argument \"" + arg + "\": expected a FILE.conf or key=value");
            }
        }
        return overrides.withFallback(files);
    }

    private static Config parseFile(String path) {
        File file = new File(path);
        if (!file.isFile()) {
            throw new BadInputException("config file " + path + " does not exist or is not a file");
        }
        try {
            return ConfigFactory.parseFile(file, ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF).setAllowMissing(false));
        } catch (ConfigException e) {
            throw new BadInputException("config file " + path + " cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * A command-line override. String-typed keys take the text verbatim, so that URIs such as
     * hdfs://nn/x survive (HOCON would read "//" as a comment); other keys are parsed as HOCON
     * values so that lists like [mlp] and numbers like 1e-4 mean what they say.
     */
    private static Config override(String key, String value, Config reference) {
        if (key.isEmpty()) {
            throw new BadInputException("argument \"=" + value + "\" has no key: expected key=value");
        }
        try {
            ConfigValueType type = referenceType(key, reference);
            if (type == ConfigValueType.STRING) {
                return ConfigFactory.empty().withValue(key, ConfigValueFactory.fromAnyRef(value, COMMAND_LINE));
            }
            Config parsed = ConfigFactory.parseString("v = " + value, ConfigParseOptions.defaults().setOriginDescription(COMMAND_LINE));
            return ConfigFactory.empty().withValue(key, parsed.getValue("v"));
        } catch (ConfigException e) {
            // The parser's own message quotes the value, so a secret's is left out entirely.
            String shown = SecretMasking.value(key, value);
            throw new BadInputException("argument " + key + "=" + shown + " cannot be parsed"
                    + (shown.equals(value) ? ": " + e.getMessage() : ""), e);
        }
    }

    private static ConfigValueType referenceType(String key, Config reference) {
        String path = templatePath(key);
        return path != null && reference.hasPath(path) ? reference.getValue(path).valueType() : null;
    }

    /**
     * The reference key that describes {@code key}: itself, or for a model the user defines
     * ({@code model.cnn.dropout}) the same key under model.defaults. Null when the key cannot exist.
     */
    private static String templatePath(String key) {
        if (key.startsWith("model.") && !key.startsWith("model.defaults.")) {
            String rest = key.substring("model.".length());
            int dot = rest.indexOf('.');
            return dot < 0 ? "model.defaults" : "model.defaults." + rest.substring(dot + 1);
        }
        return key;
    }

    private static void rejectUnknownKeys(Config user, Config reference) {
        for (Map.Entry<String, ConfigValue> entry : user.entrySet()) {
            String key = entry.getKey();
            boolean known = reference.hasPathOrNull(key) || reference.hasPathOrNull(templatePath(key));
            if (!known) {
                throw new BadInputException("unknown config key " + key + ConfigReader.origin(entry.getValue().origin())
                        + suggestion(key, reference));
            }
        }
    }

    private static String suggestion(String key, Config reference) {
        LevenshteinDistance distance = LevenshteinDistance.getDefaultInstance();
        return reference.entrySet().stream()
                .map(Map.Entry::getKey)
                .min(Comparator.comparingInt(known -> distance.apply(known, key)))
                .filter(best -> distance.apply(best, key) <= Math.max(2, key.length() / 4))
                .map(best -> "; did you mean " + best + "?")
                .orElse("; see reference.conf for the keys");
    }

    private static JobSettings settingsFrom(Config merged) {
        ConfigReader root = new ConfigReader(merged);
        DataSettings data = DataSettings.from(root.at("data"));
        List<ModelSpec> models = new ArrayList<>();
        List<String> names = root.strings("models", "[softmax, mlp]");
        root.check(!names.isEmpty(), "models", "must name at least one model");
        for (String name : names) {
            // Before anything looks the name up: it becomes a directory of the run and of its checkpoints.
            PlainName.of(root, "models", name);
            root.check(!name.equals("defaults") && merged.hasPath("model." + name), "models",
                    "names unknown model \"" + name + "\"; defined models: " + String.join(", ", definedModels(merged)));
            root.check(models.stream().noneMatch(m -> m.name().equals(name)), "models", "names model \"" + name + "\" twice");
            // Filesystems that ignore case (macOS, Windows shares) would give both one directory.
            models.stream().filter(m -> m.name().equalsIgnoreCase(name)).findFirst().ifPresent(m -> root.check(false, "models",
                    "names models \"" + m.name() + "\" and \"" + name + "\", which differ only in case; a filesystem that ignores case"
                    + " would write both into one directory"));
            models.add(ModelSpecs.from(name, root.atWithFallback("model." + name, "model.defaults")));
        }
        SplitSettings split = SplitSettings.from(root.at("split"));
        TrainSettings train = TrainSettings.from(root.at("train"));
        // Staging would quietly cut the training set into one short minibatch: more likely a mistaken key than a wish.
        root.check(train.batchSize() <= split.train(), "train.batch-size",
                "must be at most split.train (" + split.train() + "): a minibatch cannot hold more examples than there are to train on; got "
                        + train.batchSize());
        String runId = runId(root);
        return new JobSettings(
                data,
                split,
                List.copyOf(models),
                train,
                OutputSettings.from(root.at("output")),
                runId,
                spark(root.at("spark")),
                // What a training run records as its config: the scoring job's section is not part of it.
                merged.withoutPath("score").withValue("run.id", ConfigValueFactory.fromAnyRef(runId)));
    }

    /** run.id, or a timestamp when it is empty; a plain name, since it becomes a directory under output.dir. */
    private static String runId(ConfigReader root) {
        String runId = root.string("run.id");
        if (runId.isEmpty()) {
            runId = LocalDateTime.now().format(RUN_ID_CLOCK);
        }
        PlainName.of(root, "run.id", runId);
        return runId;
    }

    private static List<String> definedModels(Config merged) {
        return merged.getObject("model").keySet().stream().filter(n -> !n.equals("defaults")).sorted().toList();
    }

    /** The spark section, read by this package so that the record it fills stays free of config reading. */
    static SparkSettings spark(ConfigReader spark) {
        SparkSettings settings = new SparkSettings(
                spark.string("master"),
                spark.string("app-name"),
                spark.bool("ui"),
                spark.oneOf("log-level", List.of("error", "warn", "info", "debug")).toUpperCase(Locale.ROOT));
        spark.check(!settings.master().isBlank(), "master", "must be a Spark master URL such as local[*]");
        return settings;
    }
}
