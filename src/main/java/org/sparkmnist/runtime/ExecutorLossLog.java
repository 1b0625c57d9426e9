package org.sparkmnist.runtime;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorAdded;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says in the job's words what an executor's death means for the run. Spark's own lines ("ERROR
 * TaskSchedulerImpl: Lost executor 1 on 127.0.0.1: Command exited with code 137", amid "Connection
 * reset" stack traces, and "Lost task ... caused by one of the running tasks") read like the end of
 * the job, yet the run goes on: Spark reruns the lost tasks from the same broadcast parameters, DL4J
 * averages only the results of tasks that finished, and a standalone Worker starts a replacement
 * executor. A user watching the log, or an operator paged by the ERROR, should learn that at once,
 * and see the replacement arrive.
 */
final class ExecutorLossLog extends SparkListener {

    private static final Logger LOG = LoggerFactory.getLogger(ExecutorLossLog.class);

    private final AtomicInteger lost = new AtomicInteger();

    @Override
    public void onExecutorRemoved(SparkListenerExecutorRemoved removed) {
        lost.incrementAndGet();
        LOG.warn("executor {} lost ({}); Spark reruns the tasks it was running on the other executors and the job goes on",
                removed.executorId(), removed.reason());
    }

    @Override
    public void onExecutorAdded(SparkListenerExecutorAdded added) {
        // The executors arriving at start-up are no news; one arriving after a loss is.
        if (lost.get() > 0) {
            LOG.info("executor {} joined on {} after an executor loss", added.executorId(), added.executorInfo().executorHost());
        }
    }
}
