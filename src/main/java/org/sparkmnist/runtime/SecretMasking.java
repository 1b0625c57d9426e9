package org.sparkmnist.runtime;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules of what is secret, for anything that shows config to people: summary.json, report.html,
 * logs and error messages ({@link KnownSecrets} applies them to any text). Run directories get
 * shared and logs get pasted into tickets, so a credential that reaches the config (an {@code fs.s3a.secret.key}, a password in an {@code hdfs://} URI) must not
 * travel with them.
 *
 * <p>The rule: a key is secret when any word of any segment of its path is one of {@link #SECRET_WORDS}.
 * Words are split at '.', '-', '_' and lower-to-upper camelCase changes, so {@code spark.authenticate.secret},
 * {@code fs.s3a.secret.key}, {@code db.password}, {@code ssl.keyPassword} and {@code api-token} are secret
 * but {@code train.batch-size}, {@code keys} and {@code tokenizer} are not. A secret key's value is
 * replaced by {@code "****"} whatever its type. In every other string value, the whole user-info of a
 * URI ({@code scheme://user:password@host}) is replaced the same way, even when an unencoded password
 * holds '/' or '@'.
 */
public final class SecretMasking {

    public static final String MASK = "****";
    static final Set<String> SECRET_WORDS = Set.of(
            "password", "passwd", "pwd", "passphrase", "secret", "token", "credential", "credentials", "key", "apikey");
    private static final Pattern WORD_BREAK = Pattern.compile("[._-]+|(?<=[a-z0-9])(?=[A-Z])");
    /**
     * {@code scheme://userinfo@}: the user-info runs to the last '@' before a space or quote, so that an
     * unencoded password holding '/' or '@' is masked whole (at worst a little more than the user-info).
     */
    private static final Pattern URI_USER_INFO = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://)([^\\s\"'<>`]*)@");
    /** Spark's RPC addresses (spark://CoarseGrainedScheduler@host:port) carry an endpoint name there, not a credential. */
    private static final Pattern SPARK_ENDPOINT = Pattern.compile("[A-Za-z]+");
    /** Shorter values of secret keys are not searched for in free text: they would mask ordinary words and numbers. */
    static final int SHORTEST_SEARCHED = 4;

    private SecretMasking() {
    }

    /** Whether {@code path} (a config path such as {@code fs.s3a.secret.key}) names a secret. */
    public static boolean isSecret(String path) {
        for (String word : WORD_BREAK.split(path)) {
            if (SECRET_WORDS.contains(word.replace("\"", "").toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    /** {@code config} with every secret value replaced by {@link #MASK}. */
    public static Config mask(Config config) {
        Config masked = config;
        for (Map.Entry<String, ConfigValue> entry : config.entrySet()) {
            String path = entry.getKey();
            ConfigValue value = entry.getValue();
            if (isSecret(String.join(".", ConfigUtil.splitPath(path)))) {
                masked = masked.withValue(path, ConfigValueFactory.fromAnyRef(MASK, "masked secret"));
            } else if (value.valueType() == ConfigValueType.STRING) {
                String text = (String) value.unwrapped();
                String clean = maskUriUserInfo(text);
                if (!clean.equals(text)) {
                    masked = masked.withValue(path, ConfigValueFactory.fromAnyRef(clean, "masked URI password"));
                }
            }
        }
        return masked;
    }

    /** The text of {@code value} of {@code key} as it may be shown in a message. */
    public static String value(String key, String value) {
        return isSecret(key) ? MASK : maskUriUserInfo(value);
    }

    /** {@code text} with the whole user-info of every {@code scheme://user:password@host} URI in it masked. */
    public static String maskUriUserInfo(String text) {
        Matcher m = URI_USER_INFO.matcher(text);
        StringBuilder masked = new StringBuilder();
        while (m.find()) {
            boolean sparkEndpoint = m.group(1).equalsIgnoreCase("spark://") && SPARK_ENDPOINT.matcher(m.group(2)).matches();
            m.appendReplacement(masked, Matcher.quoteReplacement(sparkEndpoint ? m.group() : m.group(1) + MASK + "@"));
        }
        m.appendTail(masked);
        return masked.toString();
    }

    /**
     * The secrets in {@code key = value}, as they may show up in free text: the value itself when the
     * key names a secret, and the user-info of a URI in it (whole, its password part, and both
     * percent-decoded). Values shorter than {@link #SHORTEST_SEARCHED} are left out, and so are
     * {@code true} and {@code false}: a secret-sounding switch ({@code ...credentials.enabled}) is a
     * setting, and masking every "true" would mask the job's own records. {@link KnownSecrets} masks
     * text with what this finds.
     */
    public static Set<String> secretsIn(String key, String value) {
        Set<String> secrets = new HashSet<>();
        if (isSecret(key) && !value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            secrets.add(value);
        }
        Matcher m = URI_USER_INFO.matcher(value);
        while (m.find()) {
            String info = m.group(2);
            secrets.add(info);
            if (info.indexOf(':') >= 0) {
                secrets.add(info.substring(info.indexOf(':') + 1));
            }
        }
        for (String secret : List.copyOf(secrets)) {
            try {
                secrets.add(URLDecoder.decode(secret, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException notEncoded) {
                // A '%' that starts no escape: the raw form is all there is.
            }
        }
        secrets.removeIf(secret -> secret.length() < SHORTEST_SEARCHED);
        return secrets;
    }

    /** Every secret {@link #secretsIn} finds in {@code config}'s values. */
    public static Set<String> secretsIn(Config config) {
        Set<String> secrets = new HashSet<>();
        for (Map.Entry<String, ConfigValue> entry : config.entrySet()) {
            Object value = entry.getValue().unwrapped();
            if (value instanceof String || value instanceof Number || value instanceof Boolean) {
                secrets.addAll(secretsIn(String.join(".", ConfigUtil.splitPath(entry.getKey())), value.toString()));
            }
        }
        return secrets;
    }
}
