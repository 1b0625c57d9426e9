package org.sparkmnist.runtime;

import java.util.List;
import org.apache.spark.launcher.SparkLauncher;

/**
 * Where spark-submit's own options end in the arguments submit/spark-submit.sh was given: the script
 * puts the jar there, between them and the job's arguments as spark-submit defines, and hands every
 * argument on untouched. Which options take a value is decided by Spark's launcher library (the one
 * spark-submit parses its arguments with), so the script keeps no list of its own and a Spark that adds
 * an option brings that knowledge along. The script runs it on the jar being submitted and the launcher
 * jar of the Spark that will run it:
 *
 * <pre>java -cp JAR:$SPARK_HOME/jars/spark-launcher_2.12-*.jar org.sparkmnist.runtime.SparkSubmitOptions ARG...</pre>
 *
 * It prints how many leading arguments are spark-submit's options; an option whose value is missing is
 * exit code 2 with one line naming it.
 */
public final class SparkSubmitOptions {

    private SparkSubmitOptions() {
    }

    public static void main(String[] args) {
        try {
            System.out.println(count(List.of(args)));
        } catch (IllegalArgumentException missing) {
            System.err.println("spark-submit.sh: error: " + missing.getMessage());
            System.exit(JobExit.BAD_INPUT);
        }
    }

    /**
     * How many of {@code args} are spark-submit's options and their values: all before the first argument
     * that is neither. An option Spark does not know counts as one argument and stays among the options,
     * so that spark-submit itself reports it.
     */
    static int count(List<String> args) {
        int end = 0;
        while (end < args.size() && args.get(end).startsWith("-")) {
            if (!takesValue(args.get(end))) {
                end++;
            } else if (end + 1 < args.size()) {
                end += 2;
            } else {
                throw new IllegalArgumentException("option " + args.get(end) + " needs a value");
            }
        }
        return end;
    }

    /** True for an option given apart from its value ({@code --master yarn}; {@code --master=yarn} is one argument). */
    static boolean takesValue(String option) {
        try {
            // The launcher refuses such an option without its value; switches, --option=value and unknown options pass.
            new SparkLauncher().addSparkArg(option);
            return false;
        } catch (IllegalArgumentException missingValue) {
            return true;
        }
    }
}
