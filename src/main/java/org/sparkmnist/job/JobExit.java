package org.sparkmnist.job;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkmnist.BadInputException;
import org.sparkmnist.config.SecretMasking;

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
