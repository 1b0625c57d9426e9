package org.sparkmnist.runtime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;

/**
 * Masks secrets in everything the driver prints: its own lines, every library's log lines, stack
 * traces and anything written straight to stdout or stderr. {@link #install} replaces both streams,
 * first thing in main, with streams that hold each line until it ends and write it masked by this
 * JVM's {@link KnownSecrets}: every known secret in each of its forms (a secret of several lines,
 * such as a PEM key, line by line) replaced by {@code ****}, and the whole user-info of every URI.
 * Secrets are learned from the arguments, the JVM's system properties (spark-submit's {@code --conf}
 * lands there) and environment variables whose names are secret by {@link SecretMasking#isSecret}
 * here, and from the merged config once it is read ({@link JobMain#settingsRead}). Log4j's console
 * appenders write through the replaced streams ({@code follow = true} in log4j2.properties; a config
 * of one's own is reloaded after the streams are replaced, so its console appenders pick them up too).
 */
public final class MaskedConsole {

    /** Environment variables whose names read as secret but are not. */
    private static final Set<String> NOT_SECRET_ENV = Set.of("PWD", "OLDPWD");

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
        KnownSecrets.learn(secrets);
        System.setOut(new PrintStream(new MaskingStream(System.out, KnownSecrets::thisJvm), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new MaskingStream(System.err, KnownSecrets::thisJvm), true, StandardCharsets.UTF_8));
        if (LogManager.getContext(false) instanceof LoggerContext log4j) {
            log4j.reconfigure();
        }
    }

    /** Holds bytes until a line ends ('\n' or '\r'), then writes the line masked; a flush does not split a line. */
    static final class MaskingStream extends OutputStream {
        private final OutputStream out;
        /** The secrets as they are when a line ends: more are learned as the job goes. */
        private final Supplier<KnownSecrets> secrets;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        MaskingStream(OutputStream out, Supplier<KnownSecrets> secrets) {
            this.out = out;
            this.secrets = secrets;
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
                out.write(secrets.get().mask(line.toString(StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
                line.reset();
                out.flush();
            }
        }
    }
}
