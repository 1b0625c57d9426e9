package org.sparkmnist.job;

import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkUserAppException;
import org.apache.spark.api.java.JavaSparkContext;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkmnist.config.JobSettings;
import org.sparkmnist.data.DataFingerprint;
import org.sparkmnist.model.ModelSpec;
import org.sparkmnist.model.NetworkFactory;
import org.sparkmnist.config.SettingsLoader;
import org.sparkmnist.config.TutorialRecipe;
import org.sparkmnist.data.Encoding;
import org.sparkmnist.data.MnistData;
import org.sparkmnist.data.MnistLoader;
import org.sparkmnist.data.MnistSplit;
import org.sparkmnist.output.HtmlReport;
import org.sparkmnist.output.ModelOutputs;
import org.sparkmnist.output.ModelReport;
import org.sparkmnist.output.SummaryJson;
import org.sparkmnist.runtime.JobExit;
import org.sparkmnist.runtime.JobMain;
import org.sparkmnist.runtime.RunEnvironment;
import org.sparkmnist.runtime.SparkContexts;
import org.sparkmnist.staging.SplitStager;
import org.sparkmnist.staging.StagedSplit;
import org.sparkmnist.store.RunAttempt;
import org.sparkmnist.store.RunKind;
import org.sparkmnist.store.RunManifest;
import org.sparkmnist.store.RunStore;
import org.sparkmnist.training.DistributedTrainer;
import org.sparkmnist.training.RoundTransport;
import org.sparkmnist.training.TestEvaluator;
import org.sparkmnist.training.TestResult;
import org.sparkmnist.training.TrainingRun;
import org.sparkmnist.training.TrainingWarmup;

/**
 * The Keras MNIST tutorial as a Spark job: load the idx files, split 50k/10k/10k, train every
 * configured model with DL4J parameter averaging, evaluate on the test set, and write the run.
 *
 * <p>Usage: {@code MnistTrainingJob [FILE.conf ...] [key=value ...]}; see reference.conf for the keys.
 */
public final class MnistTrainingJob {

    private static final Logger LOG = LoggerFactory.getLogger(MnistTrainingJob.class);

    private final JobSettings settings;
    /** What the reports compare each model with: the tutorial's recipe as the jar carries it, read before Spark starts. */
    private final TutorialRecipe tutorial;

    MnistTrainingJob(JobSettings settings) {
        this.settings = settings;
        this.tutorial = TutorialRecipe.fromJar();
    }

    public static void main(String[] args) throws SparkUserAppException {
        JobMain.run(args, MnistTrainingJob::execute);
    }

    /** Runs the job and returns its exit code: 0 done, 1 failed, 2 bad input or config. */
    public static int execute(List<String> args) {
        return JobExit.run(() -> {
            JobSettings settings = SettingsLoader.load(args);
            JobMain.settingsRead(settings.effective(), settings.spark());
            // A model too large for the JVMs that would train it should cost a second, not a cluster slot and an OutOfMemoryError.
            MemoryBudget.check(settings, new SparkConf(), Runtime.getRuntime().maxMemory());
            new MnistTrainingJob(settings).run();
        });
    }

    void run() throws Exception {
        // Read and check every input before Spark starts: a bad file should cost seconds, not a cluster slot.
        Configuration hadoop = new Configuration();
        MnistData data = MnistLoader.load(settings.data(), hadoop);
        MnistSplit split = MnistSplit.of(data.trainImages().count(), settings.split());
        LOG.info("split (seed {}): {} train, {} validation, {} test examples", settings.split().seed(),
                split.train().length, split.validation().length, data.testImages().count());

        // One driver per run.id; the store also finishes or rolls back a commit an earlier driver was stopped in.
        try (RunStore store = RunStore.open(settings.output().dir(), settings.runId(), RunKind.TRAINING, settings.output().lockLease(), hadoop)) {
            // Only a run this job committed may be replaced: anything else at the run's path stops the job here.
            RunManifest.Existing existing = store.checkReplaceable(settings.output().overwrite());
            ResumableTraining training = new ResumableTraining(settings, store.checkpoints(), DataFingerprint.of(data, hadoop));
            if (settings.output().resume() && existing.manifest().map(m -> m.identity().equals(training.runIdentity())).orElse(false)) {
                LOG.info("run {} is already committed at {} with the same config and data: output.mode=resume has nothing to do",
                        settings.runId(), existing.path());
                return;
            }
            training.prepare();
            RunAttempt attempt = store.startAttempt(settings.output().overwrite());
            try {
                trainAndWrite(data, split, attempt, training);
                attempt.commit(training.runIdentity());
            } catch (Throwable failure) {
                attempt.abandon();
                throw failure;
            }
        }
    }

    private void trainAndWrite(MnistData data, MnistSplit split, RunAttempt run, ResumableTraining training) throws Exception {
        try (JavaSparkContext spark = SparkContexts.start(settings.spark(),
                // Averaging rounds move the parameters and updater state: ND4J arrays in one bulk copy, results in the task's message.
                RoundTransport::configure)) {
            DistributedTrainer trainer = new DistributedTrainer(spark, settings.train());
            Encoding encoding = Encoding.of(settings.data());
            // The JVMs compile the training path on throwaway networks while the split is staged, not in epoch 1.
            TrainingWarmup warmup = TrainingWarmup.start(trainer, settings.models().stream()
                            .map(spec -> NetworkFactory.configuration(spec, settings.data().pixels(), settings.data().classes())).toList(),
                    encoding, settings.data().pixels(), settings.train().batchSize(), settings.train().warmUpMinibatches(),
                    run.scratch("warm-up"), spark.hadoopConfiguration());
            // Minibatch files are written once per run; every epoch and every model reads the same ones.
            StagedSplit staged = new SplitStager(spark, encoding, settings.train().batchSize()).stage(data, split,
                    run.scratch("train"), run.scratch("validation"));
            DataSet test = encoding.encodeAll(data.testImages(), data.testLabels());
            warmup.await();

            List<ModelReport> reports = new ArrayList<>();
            for (ModelSpec spec : settings.models()) {
                TrainingRun trained = training.train(trainer, staged, spec);
                TestResult result = TestEvaluator.evaluate(trained.network(), test, settings.output().misclassified());
                LOG.info("{}: test loss {} - test accuracy {}", spec.name(), String.format("%.4f", result.loss()),
                        String.format("%.4f", result.accuracy()));

                ModelOutputs.write(run, spec.name(), trained, result, data.testImages(), settings.data().classNames());
                reports.add(new ModelReport(spec.name(), trained.history(), result, trained.network().numParams(),
                        tutorial.comparedWith(settings.data(), spec)));
            }
            run.writeText("summary.json", SummaryJson.render(settings.runId(), reports, settings.effectiveJson(),
                    RunEnvironment.describe(spark)));
            run.writeText("report.html", HtmlReport.render(settings.runId(), reports, settings.data().classNames(), settings.effectiveJson()));
        }
    }
}
