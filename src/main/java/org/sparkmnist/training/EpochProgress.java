package org.sparkmnist.training;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;

/**
 * A live progress line within an epoch, for a person watching a terminal: the share of the
 * epoch done, examples per second and the time left, redrawn in place. DL4J runs each averaging
 * round as Spark jobs in the training job group, so a listener counting those jobs knows how far
 * the epoch is. Off when stderr is not a terminal (Airflow, CI, log files),
 * where the per-epoch lines are all that should appear.
 */
public final class EpochProgress extends SparkListener {

    static final String JOB_GROUP = "spark-mnist-training";

    private final PrintStream out;
    private final AtomicInteger jobsDone = new AtomicInteger();
    private volatile String label = "";
    private volatile int expectedJobs = 1;
    private volatile long examples;
    private volatile long startNanos;
    /**
     * DL4J runs a few Spark jobs per averaging round (count, rebalance, aggregate); how many is
     * learnt from the first epoch, which is then the yardstick for the next ones.
     */
    private volatile int jobsLastEpoch;
    /** Whether the job now running is an averaging round; Spark's listener bus calls us from one thread. */
    private boolean training;

    private EpochProgress(PrintStream out) {
        this.out = out;
    }

    /** A progress line on stderr when a terminal is attached, otherwise null. */
    public static EpochProgress attachIfInteractive(JavaSparkContext spark) {
        if (System.console() == null || System.getenv("CI") != null) {
            return null;
        }
        EpochProgress progress = new EpochProgress(System.err);
        spark.sc().addSparkListener(progress);
        return progress;
    }

    void startEpoch(String label, int averagingRounds, long examples) {
        this.label = label;
        this.expectedJobs = jobsLastEpoch > 0 ? jobsLastEpoch : Math.max(1, 2 * averagingRounds + 1);
        this.examples = examples;
        this.jobsDone.set(0);
        this.startNanos = System.nanoTime();
        draw();
    }

    /** Clears the line so the epoch's summary line replaces it. */
    void endEpoch() {
        jobsLastEpoch = jobsDone.get();
        out.print("\r\033[K");
        out.flush();
    }

    @Override
    public void onJobStart(SparkListenerJobStart start) {
        String group = start.properties() == null ? null : start.properties().getProperty("spark.jobGroup.id");
        training = JOB_GROUP.equals(group);
    }

    @Override
    public void onJobEnd(SparkListenerJobEnd end) {
        if (training) {
            jobsDone.incrementAndGet();
            draw();
        }
    }

    private void draw() {
        double done = Math.min(0.99, (double) jobsDone.get() / expectedJobs);
        double seconds = Math.max(1e-3, (System.nanoTime() - startNanos) / 1e9);
        double perSecond = done * examples / seconds;
        String left = done > 0 ? EpochLog.duration(seconds * (1 - done) / done) : "?";
        int width = 30;
        int filled = (int) Math.round(done * width);
        out.print(String.format(Locale.ROOT, "\r\033[K%s [%s%s] %3.0f%% - %,.0f examples/s - ETA %s",
                label, "=".repeat(filled), " ".repeat(width - filled), done * 100, perSecond, left));
        out.flush();
    }
}
