package org.sparkmnist.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class MaskedConsoleTest {

    private final ByteArrayOutputStream sink = new ByteArrayOutputStream();
    private final AtomicReference<KnownSecrets> secrets = new AtomicReference<>(KnownSecrets.of(Set.of("t0p/s@cret", "s@cret")));
    private final PrintStream out = new PrintStream(new MaskedConsole.MaskingStream(sink, secrets::get), true, StandardCharsets.UTF_8);

    private String written() {
        return sink.toString(StandardCharsets.UTF_8);
    }

    @Test
    void knownSecretsAndUriUserInfoAreMaskedInEveryLine() {
        out.println("using t0p/s@cret and s@cret");
        out.println("java.io.IOException: cannot open hdfs://alice:pa/ss@w@nn:8020/x");
        assertEquals("using **** and ****\njava.io.IOException: cannot open hdfs://****@nn:8020/x\n", written());
    }

    @Test
    void aSecretSplitAcrossWritesAndFlushesIsStillMasked() {
        out.print("key t0p/");
        out.flush();
        assertEquals("", written(), "a partial line is held, even when flushed");
        out.print("s@cret\r");
        out.print("next\n");
        assertEquals("key ****\rnext\n", written());
    }

    @Test
    void secretsLearntLaterAreMaskedFromThenOn() {
        secrets.set(secrets.get().with(Set.of("from-a-conf-file")));
        out.println("value from-a-conf-file");
        assertEquals("value ****\n", written());
    }

    /** Spark prints a setting's value as it is, a private key over several lines. */
    @Test
    void aSecretOfSeveralLinesIsMaskedOnEveryLineItSpans() {
        secrets.set(secrets.get().with(Set.of("-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0B\nAQEFAASCBKcwggSjAgEA\n-----END PRIVATE KEY-----")));
        out.println("spark.ssl.privateKey=-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0B\nAQEFAASCBKcwggSjAgEA\n"
                + "-----END PRIVATE KEY-----\nspark.ui.enabled=false");
        assertEquals("spark.ssl.privateKey=****\n****\n****\n****\nspark.ui.enabled=false\n", written());
    }

    @Test
    void whatIsLeftAtCloseIsMaskedToo() {
        out.print("last words t0p/s@cret");
        out.close();
        assertEquals("last words ****", written());
    }
}
