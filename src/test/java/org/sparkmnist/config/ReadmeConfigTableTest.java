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
}
