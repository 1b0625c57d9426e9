package org.sparkmnist.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Hides secrets in anything that shows config to people: summary.json, report.html, logs and error
 * messages. Run directories get shared and logs get pasted into tickets, so a credential that
 * reaches the config (an {@code fs.s3a.secret.key}, a password in an {@code hdfs://} URI) must not
 * travel with them.
 *
 * <p>The rule: a key is secret when any word of any segment of its path is one of {@link #SECRET_WORDS}.
 * Words are split at '.', '-', '_' and lower-to-upper camelCase changes, so {@code spark.authenticate.secret},
 * {@code fs.s3a.secret.key}, {@code db.password}, {@code ssl.keyPassword} and {@code api-token} are secret
 * but {@code train.batch-size}, {@code keys} and {@code tokenizer} are not. A secret key's value is
 * replaced by {@code "****"} whatever its type. In every other string value, the password of a URI
 * ({@code scheme://user:password@host}) is replaced the same way.
 */
public final class SecretMasking {

    public static final String MASK = "****";
    static final Set<String> SECRET_WORDS = Set.of(
            "password", "passwd", "pwd", "passphrase", "secret", "token", "credential", "credentials", "key", "apikey");
    private static final Pattern WORD_BREAK = Pattern.compile("[._-]+|(?<=[a-z0-9])(?=[A-Z])");
    private static final Pattern URI_PASSWORD = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://[^/?#@:\\s]*):[^/?#@\\s]*@");

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
                String clean = maskUriPasswords(text);
                if (!clean.equals(text)) {
                    masked = masked.withValue(path, ConfigValueFactory.fromAnyRef(clean, "masked URI password"));
                }
            }
        }
        return masked;
    }

    /** The text of {@code value} of {@code key} as it may be shown in a message. */
    public static String value(String key, String value) {
        return isSecret(key) ? MASK : maskUriPasswords(value);
    }

    /** {@code text} with the password of every {@code scheme://user:password@} URI in it masked. */
    public static String maskUriPasswords(String text) {
        return URI_PASSWORD.matcher(text).replaceAll("$1:" + MASK + "@");
    }
}
