package org.sparkmnist.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MaskedConsoleTest {

    private final ByteArrayOutputStream sink = new ByteArrayOutputStream();
    private final MaskedConsole.Masker masker = new MaskedConsole.Masker(Set.of("t0p/s@cret", "s@cret"));
    private final PrintStream out = new PrintStream(new MaskedConsole.MaskingStream(sink, masker), true, StandardCharsets.UTF_8);

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
        masker.add(Set.of("from-a-conf-file"));
        out.println("value from-a-conf-file");
        assertEquals("value ****\n", written());
    }

    @Test
    void whatIsLeftAtCloseIsMaskedToo() {
        out.print("last words t0p/s@cret");
        out.close();
        assertEquals("last words ****", written());
    }
}
