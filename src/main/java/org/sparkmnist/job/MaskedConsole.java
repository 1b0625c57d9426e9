package org.sparkmnist.job;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.sparkmnist.config.SecretMasking;

/**
 * Masks secrets in everything the driver prints: its own lines, every library's log lines, stack
 * traces and anything written straight to stdout or stderr. {@link #install} replaces both streams,
 * first thing in main, with streams that hold each line until it ends and write it masked: every
 * known secret value replaced by {@code ****}, and the whole user-info of every URI. Known secrets are
 * collected from the arguments, the JVM's system properties (spark-submit's {@code --conf} lands
 * there) and environment variables whose names are secret by {@link SecretMasking#isSecret}, and,
 * once config files are read, from the merged config ({@link #learn}). Log4j's console appenders
 * write through the replaced streams ({@code follow = true} in log4j2.properties; a config of one's
 * own is reloaded after the streams are replaced, so its console appenders pick them up too).
 */
public final class MaskedConsole {

    /** Environment variables whose names read as secret but are not. */
    private static final Set<String> NOT_SECRET_ENV = Set.of("PWD", "OLDPWD");
    private static volatile Masker masker;

    private MaskedConsole() {
    }

    public static synchronized void install(List<String> args, Map<String, String> env) {
        Set<String> secrets = new HashSet<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            secrets.addAll(eq < 0 ? SecretMasking.secretsIn("", arg) : SecretMasking.secretsIn(arg.substring(0, eq).trim(), arg.substring(eq + 1)));
        }
        System.getProperties().forEach((key, value) -> secrets.addAll(SecretMasking.secretsIn(key.toString(), value.toString())));
        env.forEach((name, value) -> {
            if (!NOT_SECRET_ENV.contains(name)) {
                secrets.addAll(SecretMasking.secretsIn(name, value));
            }
        });
        masker = new Masker(secrets);
        System.setOut(new PrintStream(new MaskingStream(System.out, masker), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new MaskingStream(System.err, masker), true, StandardCharsets.UTF_8));
        if (LogManager.getContext(false) instanceof LoggerContext log4j) {
            log4j.reconfigure();
        }
    }

    /** Adds the secrets of the merged config (config files can hold some); nothing when not installed. */
    public static void learn(Set<String> secrets) {
        Masker current = masker;
        if (current != null) {
            current.add(secrets);
        }
    }

    /** Masks lines: known secrets, longest first, then URI user-info. */
    static final class Masker {
        private volatile List<String> secrets;

        Masker(Set<String> secrets) {
            this.secrets = sorted(secrets);
        }

        synchronized void add(Set<String> more) {
            Set<String> all = new HashSet<>(secrets);
            all.addAll(more);
            secrets = sorted(all);
        }

        String mask(String line) {
            String masked = line;
            for (String secret : secrets) {
                masked = masked.replace(secret, SecretMasking.MASK);
            }
            return SecretMasking.maskUriUserInfo(masked);
        }

        private static List<String> sorted(Set<String> secrets) {
            return secrets.stream().filter(s -> !s.isEmpty()).sorted(Comparator.comparingInt(String::length).reversed()).toList();
        }
    }

    /** Holds bytes until a line ends ('\n' or '\r'), then writes the line masked; a flush does not split a line. */
    static final class MaskingStream extends OutputStream {
        private final OutputStream out;
        private final Masker masker;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        MaskingStream(OutputStream out, Masker masker) {
            this.out = out;
            this.masker = masker;
        }

        @Override
        public synchronized void write(int b) throws IOException {
            line.write(b);
            if (b == '\n' || b == '\r') {
                emit();
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            for (int i = off; i < off + len; i++) {
                write(b[i]);
            }
        }

        @Override
        public synchronized void flush() throws IOException {
            out.flush();
        }

        @Override
        public synchronized void close() throws IOException {
            emit();
            out.close();
        }

        private void emit() throws IOException {
            if (line.size() > 0) {
                out.write(masker.mask(line.toString(StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
                line.reset();
                out.flush();
            }
        }
    }
}
