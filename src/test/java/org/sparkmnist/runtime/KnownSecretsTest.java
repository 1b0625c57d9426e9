package org.sparkmnist.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KnownSecretsTest {

    /** A password with every character JSON, HTML or CSV would escape. */
    private static final String AWKWARD = "p&<w>\"o'r\\d";
    private static final String KEY = """
            -----BEGIN PRIVATE KEY-----
            MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDf3kTnP7mXkQ2v
            q8Zr1YcH4s9LwTnBdE0uF6gJxK2pV7mR3tA5yN8oC1iW4eS9hD2fG6jU0bL7kMzQ
            -----END PRIVATE KEY-----""";

    private final KnownSecrets secrets = KnownSecrets.of(Set.of(AWKWARD, KEY, "t0p/s@cret", "s@cret"));

    @Test
    void aSecretIsMaskedAsItIsAndInsideALongerOne() {
        assertEquals("using **** and ****", secrets.mask("using t0p/s@cret and s@cret"));
    }

    @Test
    void aSecretIsMaskedInEveryFormTheRunsFilesGiveIt() throws IOException {
        String json = new ObjectMapper().writeValueAsString(List.of(AWKWARD, KEY));
        assertEquals("[\"****\",\"****\"]", secrets.mask(json));
        assertEquals("<pre>****</pre>", secrets.mask("<pre>" + AWKWARD.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\"", "&quot;").replace("'", "&#39;") + "</pre>"));
        assertEquals("name,\"****\"", secrets.mask("name,\"" + AWKWARD.replace("\"", "\"\"") + "\""));
    }

    /** A console prints line by line, so each line of a secret of several lines is a secret too. */
    @Test
    void aSecretOfSeveralLinesIsMaskedLineByLine() {
        for (String line : KEY.split("\n")) {
            assertEquals("spark.ssl.privateKey=****", secrets.mask("spark.ssl.privateKey=" + line));
        }
        assertEquals("key ****.", secrets.mask("key " + KEY + "."));
    }

    @Test
    void uriUserInfoIsMaskedWhetherKnownOrNot() {
        assertEquals("hdfs://****@nn:8020/digits/7.png", KnownSecrets.NONE.mask("hdfs://alice:unknown-pw@nn:8020/digits/7.png"));
    }

    @Test
    void partsTooShortToSearchForAreLeftAlone() {
        KnownSecrets shortLines = KnownSecrets.of(Set.of("line-one-secret\nab\n"));
        assertEquals("ab and **** and the", shortLines.mask("ab and line-one-secret and the"));
    }

    @Test
    void learningSomethingKnownChangesNothing() {
        assertSame(secrets, secrets.with(Set.of("s@cret")));
        assertTrue(secrets.with(Set.of("another-secret")).mask("another-secret").equals("****"));
    }

    /** Executors mask the rows they make with the driver's secrets, which travel with the task. */
    @Test
    void theSecretsSurviveSerialisation() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(secrets);
        }
        KnownSecrets copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (KnownSecrets) in.readObject();
        }
        String text = "a " + KEY + " b t0p/s@cret hdfs://u:p@nn/x";
        assertEquals(secrets.mask(text), copy.mask(text));
        assertFalse(copy.mask(text).contains("s@cret"));
    }
}
