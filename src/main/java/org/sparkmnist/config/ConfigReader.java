package org.sparkmnist.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigValueType;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import org.sparkmnist.BadInputException;
import org.sparkmnist.ConfigName;
import org.sparkmnist.runtime.SecretMasking;

/**
 * Typed reads from a merged config, where every failure becomes a {@link BadInputException} that
 * names the key, what was expected, and the file and line the bad value came from. Keeping this in
 * one place is what lets every settings record stay a plain constructor with range checks.
 */
final class ConfigReader {

    private final Config config;
    private final UnaryOperator<String> fullKey;

    ConfigReader(Config config) {
        this(config, key -> key);
    }

    private ConfigReader(Config config, UnaryOperator<String> fullKey) {
        this.config = config;
        this.fullKey = fullKey;
    }

    /** A reader of a sub-tree whose error messages still carry the full key. */
    ConfigReader at(String path) {
        return new ConfigReader(config.getConfig(path), key -> fullKey.apply(path + "." + key));
    }

    /**
     * A reader of {@code path} that falls back to {@code fallbackPath} for keys it lacks. Errors name
     * the key where the bad value was actually set, so the user is sent to the right line.
     */
    ConfigReader atWithFallback(String path, String fallbackPath) {
        Config own = config.hasPath(path) ? config.getConfig(path) : ConfigFactory.empty();
        return new ConfigReader(own.withFallback(config.getConfig(fallbackPath)),
                key -> fullKey.apply((own.hasPathOrNull(key) ? path : fallbackPath) + "." + key));
    }

    String string(String key) {
        try {
            return config.getString(key);
        } catch (ConfigException.WrongType e) {
            throw wrongType(key, "a string");
        }
    }

    boolean bool(String key) {
        try {
            return config.getBoolean(key);
        } catch (ConfigException.WrongType e) {
            throw wrongType(key, "true or false");
        }
    }

    int integer(String key) {
        try {
            return config.getInt(key);
        } catch (ConfigException.WrongType e) {
            throw wrongType(key, "a whole number");
        }
    }

    long longInteger(String key) {
        try {
            return config.getLong(key);
        } catch (ConfigException.WrongType e) {
            throw wrongType(key, "a whole number");
        }
    }

    /** A size in bytes: a whole number, or one with a unit as HOCON reads it ("64M" is 64 MiB). */
    long bytes(String key) {
        try {
            return config.getBytes(key);
        } catch (ConfigException.WrongType | ConfigException.BadValue e) {
            throw wrongType(key, "a size in bytes, such as 67108864 or 64M");
        }
    }

    double number(String key) {
        try {
            return config.getDouble(key);
        } catch (ConfigException.WrongType e) {
            throw wrongType(key, "a number");
        }
    }

    List<Integer> integers(String key) {
        try {
            return config.getIntList(key);
        } catch (ConfigException.WrongType e) {
            throw wrongType(key, "a list of whole numbers such as [500, 500]");
        }
    }

    /** A whole number > 0, or a non-empty list of them (read as a one-element list when a single number). */
    List<Integer> positiveIntOrList(String key, String example) {
        String expected = "a whole number > 0 or a list of them such as " + example;
        List<Integer> values;
        try {
            values = config.getValue(key).valueType() == ConfigValueType.LIST
                    ? config.getIntList(key) : List.of(config.getInt(key));
        } catch (ConfigException.WrongType e) {
            throw wrongType(key, expected);
        }
        check(!values.isEmpty(), key, "must be " + expected + ", got an empty list");
        values.forEach(value -> check(value > 0, key, "must be " + expected + ", got " + value));
        return values;
    }

    /** A list of strings; {@code example} shows one in the error message, e.g. {@code [softmax, mlp]}. */
    List<String> strings(String key, String example) {
        try {
            return config.getStringList(key);
        } catch (ConfigException.WrongType e) {
            throw wrongType(key, "a list of names such as " + example);
        }
    }

    /** A duration such as {@code 60s} or {@code 2 minutes}, > 0. */
    java.time.Duration positiveDuration(String key) {
        java.time.Duration value;
        try {
            value = config.getDuration(key);
        } catch (ConfigException.WrongType | ConfigException.BadValue e) {
            throw wrongType(key, "a duration such as 60s");
        }
        check(!value.isNegative() && !value.isZero(), key, "must be > 0, got " + value.toSeconds() + "s");
        return value;
    }

    int positiveInt(String key) {
        int value = integer(key);
        check(value > 0, key, "must be > 0, got " + value);
        return value;
    }

    int nonNegativeInt(String key) {
        int value = integer(key);
        check(value >= 0, key, "must be >= 0, got " + value);
        return value;
    }

    double positiveNumber(String key) {
        double value = number(key);
        check(value > 0 && Double.isFinite(value), key, "must be > 0, got " + value);
        return value;
    }

    /** A fraction in [0, 1). */
    double fraction(String key) {
        double value = number(key);
        check(value >= 0 && value < 1, key, "must be in [0, 1), got " + value);
        return value;
    }

    /** A factor in (0, 1]. */
    double shrinkFactor(String key) {
        double value = number(key);
        check(value > 0 && value <= 1, key, "must be in (0, 1], got " + value);
        return value;
    }

    /** A value from a closed set, compared without regard to case. */
    String oneOf(String key, List<String> allowed) {
        String value = string(key).toLowerCase(Locale.ROOT);
        check(allowed.contains(value), key, "must be one of " + String.join(", ", allowed) + ", got \"" + value + "\"");
        return value;
    }

    /** The member of a closed set of names that the value of {@code key} names, compared without regard to case. */
    <E extends Enum<E> & ConfigName> E oneOf(String key, Class<E> type) {
        return ConfigName.parse(type, oneOf(key, ConfigName.names(type))).orElseThrow();
    }

    void check(boolean ok, String key, String problem) {
        if (!ok) {
            throw new BadInputException("config key " + fullKey.apply(key) + " " + problem + where(key));
        }
    }

    private BadInputException wrongType(String key, String expected) {
        String got = SecretMasking.value(fullKey.apply(key), config.getValue(key).render());
        return new BadInputException("config key " + fullKey.apply(key) + " must be " + expected + ", got " + got + where(key));
    }

    private String where(String key) {
        return config.hasPathOrNull(key) ? origin(config.getValue(key).origin()) : "";
    }

    /** " (from FILE line N)" or " (from the command line)"; empty for the jar's own defaults. */
    static String origin(ConfigOrigin origin) {
        if (origin.description().startsWith(SettingsLoader.COMMAND_LINE)) {
            return " (from the command line)";
        }
        if (origin.filename() == null) {
            return origin.description().contains("reference.conf") ? "" : " (from " + origin.description() + ")";
        }
        return " (from " + origin.filename() + (origin.lineNumber() > 0 ? " line " + origin.lineNumber() : "") + ")";
    }

}
