package org.sparkmnist.config;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** reference.conf is the source of truth; the README's table must not drift from it. */
class ReadmeConfigTableTest {

    @Test
    void readmeDocumentsEveryKeyOfReferenceConf() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        List<String> undocumented = ConfigFactory.parseResources("reference.conf").entrySet().stream()
                .map(Map.Entry::getKey)
                .filter(key -> !readme.contains("`" + key + "`") && !readme.contains("`" + key + " = "))
                .sorted()
                .toList();
        assertTrue(undocumented.isEmpty(), "keys missing from README.md's config table: " + undocumented);
    }

    /** A row of the table: `key` | `default` | ... */
    private static final java.util.regex.Pattern ROW = java.util.regex.Pattern.compile("^\\| `([a-z0-9.-]+)` \\| `([^`]*)`");

    @Test
    void readmeShowsTheDefaultsReferenceConfSets() throws IOException {
        com.typesafe.config.Config reference = ConfigFactory.parseResources("reference.conf");
        List<String> drifted = new java.util.ArrayList<>();
        int checked = 0;
        for (String line : Files.readAllLines(Path.of("README.md"))) {
            java.util.regex.Matcher row = ROW.matcher(line);
            if (!row.find() || !reference.hasPath(row.group(1))) {
                continue;
            }
            checked++;
            String key = row.group(1);
            String shown = row.group(2).replaceAll("^\"|\"$", "");
            String actual = String.valueOf(reference.getValue(key).unwrapped());
            if (!sameValue(shown, actual)) {
                drifted.add(key + ": README says " + shown + ", reference.conf " + actual);
            }
        }
        assertTrue(checked > 20, "only " + checked + " rows of the config table found");
        assertTrue(drifted.isEmpty(), "defaults in README.md's config table that differ from reference.conf: " + drifted);
    }

    private static boolean sameValue(String shown, String actual) {
        if (shown.equals(actual)) {
            return true;
        }
        try {
            return Double.parseDouble(shown) == Double.parseDouble(actual);
        } catch (NumberFormatException notNumbers) {
            return shown.replace(" ", "").equals(actual.replace(" ", ""));
        }
    }
}
