package org.sparkmnist.runtime;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.management.JMException;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps HotSpot's optimizing compiler (C2) off the bytecode reader Spark's closure cleaner parses
 * every closure with, in the driver. Each averaging round hands Spark new closures; while the first
 * rounds run, C2 compiles that reader's very large methods again and again, on the cores the
 * workers train on, for code the driver runs only briefly per round. The quick compiler (C1) still
 * compiles them, which is all they need. docs/BENCHMARKS.md ("The first epochs") has the profile.
 *
 * <p>The directive goes in through the JVM's own diagnostic command ({@code jcmd Compiler.directives_add}),
 * so it holds wherever the driver runs, however it was launched. A JVM without that command trains
 * the same, only with the first epochs' extra compilation.
 */
public final class ClosureCleanerCompilation {

    private static final Logger LOG = LoggerFactory.getLogger(ClosureCleanerCompilation.class);

    /** The shaded ASM that Spark 3.5's {@code ClosureCleaner} reads classes with. */
    static final String READER_CLASS = "org.apache.xbean.asm9.ClassReader";

    /** A compiler directive: every method of the reader, never compiled by C2. */
    static final String DIRECTIVE = "[ { match: \"" + READER_CLASS.replace('.', '/') + ".*\", c2: { Exclude: true } } ]\n";

    private static final String DIAGNOSTIC_COMMAND = "com.sun.management:type=DiagnosticCommand";

    private ClosureCleanerCompilation() {
    }

    /** Adds the directive to this JVM's compiler directives; logs and goes on when the JVM cannot take it. */
    public static void keepOffOptimizingCompiler() {
        try {
            Path file = Files.createTempFile("spark-mnist-compiler-directive", ".json");
            try {
                Files.writeString(file, DIRECTIVE, StandardCharsets.UTF_8);
                Object answer = diagnosticCommand("compilerDirectivesAdd", file.toString());
                LOG.debug("compiler directive for {}: {}", READER_CLASS, answer);
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (Exception | LinkageError e) {
            LOG.info("compiler directive for {} not added ({}): the first epochs pay for its C2 compilation", READER_CLASS, e.toString());
        }
    }

    /** The output of the JVM's diagnostic command {@code operation} (as jcmd would print it). */
    static Object diagnosticCommand(String operation, String... arguments) throws JMException {
        // The MBean declares a command without arguments as an operation without parameters.
        boolean none = arguments.length == 0;
        return ManagementFactory.getPlatformMBeanServer().invoke(new ObjectName(DIAGNOSTIC_COMMAND), operation,
                none ? new Object[0] : new Object[] {arguments}, none ? new String[0] : new String[] {String[].class.getName()});
    }
}
