package org.sparkmnist.runtime;

import org.apache.spark.SparkConf;
import org.apache.spark.SparkUserAppException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkmnist.BadInputException;

/**
 * The one place failures become exit codes: 2 for bad input or config, 1 for everything else.
 * The last line on stderr is always a one-line reason, which is what schedulers such as Airflow
 * show first.
 */
public final class JobExit {

    private static final Logger LOG = LoggerFactory.getLogger(JobExit.class);

    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int BAD_INPUT = 2;

    private JobExit() {
    }

    @FunctionalInterface
    public interface Body {
        void run() throws Exception;
    }

    /**
     * Ends the job with {@code code} the way its launcher reads an outcome. YARN's ApplicationMaster
     * calls a cluster-mode driver's main in a thread of its own: it reports the application
     * SUCCEEDED only when main returns (System.exit, even with 0, makes it FAILED, and YARN retries
     * it), and takes a failure's code from a SparkUserAppException. Every other launcher (java,
     * spark-submit in client mode, a Kubernetes driver pod, a standalone Worker) reads the JVM's exit
     * code. {@code conf} is the configuration spark-submit or the ApplicationMaster gave this JVM.
     */
    public static void exit(int code, SparkConf conf) throws SparkUserAppException {
        if (!returnsToYarn(conf)) {
            System.exit(code);
        }
        if (code != OK) {
            throw new SparkUserAppException(code);
        }
    }

    /** True for a driver that YARN's ApplicationMaster runs (cluster deploy mode on YARN). */
    static boolean returnsToYarn(SparkConf conf) {
        return conf.get("spark.master", "").startsWith("yarn") && "cluster".equals(conf.get("spark.submit.deployMode", "client"));
    }

    public static int run(Body body) {
        try {
            body.run();
            return OK;
        } catch (Throwable failure) {
            BadInputException bad = badInputIn(failure);
            if (bad != null) {
                System.err.flush();
                // Messages name data and output URIs, which may carry a password.
                System.err.println("spark-mnist: error: " + SecretMasking.maskUriUserInfo(bad.getMessage()));
                return BAD_INPUT;
            }
            LOG.error("the job failed", failure);
            System.err.flush();
            System.err.println("spark-mnist: failed: " + SecretMasking.maskUriUserInfo(oneLine(failure)));
            return FAILED;
        }
    }

    /** Bad input may surface wrapped by Spark or a thread pool; the user still deserves the plain message. */
    private static BadInputException badInputIn(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof BadInputException bad) {
                return bad;
            }
        }
        return null;
    }

    private static String oneLine(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getClass().getSimpleName() + ": " + root.getMessage();
        return message.replaceAll("\\s+", " ").trim();
    }
}
