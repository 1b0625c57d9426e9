package org.sparkmnist.runtime;

import com.typesafe.config.Config;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToIntFunction;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkUserAppException;

/**
 * What each of the jar's entry points (training, scoring) does around its own work, in the order it
 * must: mask the console before anything prints, set JavaCPP's limits before anything loads ND4J,
 * and end the way the launcher reads an outcome.
 */
public final class JobMain {

    private JobMain() {
    }

    /** The whole of a job's {@code main}: {@code execute} gets the arguments and returns the exit code. */
    public static void run(String[] args, ToIntFunction<List<String>> execute) throws SparkUserAppException {
        // Before anything is printed: every line of this JVM, a library's stack trace too, goes out masked.
        MaskedConsole.install(Arrays.asList(args), System.getenv());
        // JavaCPP reads its limits once, when ND4J first loads: before anything touches ND4J.
        int exit = JobExit.run(NativeRuntime::configureThisJvm);
        JobExit.exit(exit != JobExit.OK ? exit : execute.applyAsInt(Arrays.asList(args)), new SparkConf());
    }

    /**
     * Once the settings are read: their secrets are masked in every later line, file and row,
     * libraries log at spark.log-level, and this JVM loads the ND4J native build that fits its CPU
     * (before anything else loads ND4J, and after the log level is set, so ND4J's start-up stays quiet).
     */
    public static void settingsRead(Config effective, SparkSettings spark) {
        KnownSecrets.learn(SecretMasking.secretsIn(effective));
        QuietLogging.apply(spark.logLevel());
        NativeBuild.prepareThisJvm();
    }
}
