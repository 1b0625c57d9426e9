package org.sparkmnist.scoring;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkUserAppException;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkmnist.config.ScoringSettings;
import org.sparkmnist.config.SettingsLoader;
import org.sparkmnist.output.CsvTables;
import org.sparkmnist.runtime.JobExit;
import org.sparkmnist.runtime.JobMain;
import org.sparkmnist.runtime.RunEnvironment;
import org.sparkmnist.runtime.SparkContexts;
import org.sparkmnist.store.RunAttempt;
import org.sparkmnist.store.RunKind;
import org.sparkmnist.store.RunStore;
import org.sparkmnist.training.ArrayKryoRegistrator;

/**
 * Batch scoring: applies a trained model to new digit images on the executors and writes one
 * prediction per image, with Spark's own writer, to {@code <output.dir>/<run.id>/}.
 *
 * <p>Usage: {@code MnistScoringJob [FILE.conf ...] [key=value ...]}; the keys are reference.conf's
 * {@code score} section with output.dir, output.mode, run.id and spark. Exit codes as the training
 * job's: 0 done, 1 failed, 2 bad input or config (including more rejects than score.max-reject-share).
 */
public final class MnistScoringJob {

    private static final Logger LOG = LoggerFactory.getLogger(MnistScoringJob.class);

    private final ScoringSettings settings;

    MnistScoringJob(ScoringSettings settings) {
        this.settings = settings;
    }

    public static void main(String[] args) throws SparkUserAppException {
        JobMain.run(args, MnistScoringJob::execute);
    }

    /** Runs the job and returns its exit code: 0 done, 1 failed, 2 bad input or config. */
    public static int execute(List<String> args) {
        return JobExit.run(() -> {
            ScoringSettings settings = SettingsLoader.loadScoring(args);
            JobMain.settingsRead(settings.effective(), settings.spark());
            new MnistScoringJob(settings).run();
        });
    }

    void run() throws Exception {
        // The model, the input and the place of the output are checked before Spark starts.
        Configuration hadoop = new Configuration();
        ScoringModel model = ScoringModel.load(settings.model(), hadoop);
        ScoringInput input = ScoringInput.check(settings.input(), settings.maxFileBytes(), model, hadoop);
        LOG.info("model {} ({} parameters, pixels {}); scoring {}", model.source(), model.params(),
                model.normalize() ? "scaled to 0..1" : "raw 0..255", input.describe());

        // One driver per run.id, whether it trains or scores; the store owns every path under output.dir.
        try (RunStore store = RunStore.open(settings.output().dir(), settings.runId(), RunKind.SCORING, settings.output().lockLease(), hadoop)) {
            store.checkReplaceable(settings.output().overwrite());
            RunAttempt attempt = store.startAttempt(settings.output().overwrite());
            try {
                scoreAndWrite(model, input, attempt);
                attempt.commit(new TreeMap<>());
            } catch (Throwable failure) {
                attempt.abandon();
                throw failure;
            }
        }
    }

    private void scoreAndWrite(ScoringModel model, ScoringInput input, RunAttempt run) throws Exception {
        // The job scores as a Spark ML pipeline does: with the model as a transformer.
        MnistClassifierModel classifier = new MnistClassifierModel(Identifiable.randomUID("mnistClassifier"), model)
                .setBatchSize(settings.batchSize()).setInvert(settings.invert().configName()).setMaxPixels(settings.maxPixels());
        try (SparkSession spark = SparkContexts.startSession(settings.spark(),
                     // Kryo with the project's registrator, as the training job's and the tests' contexts run: one serializer set-up.
                     ArrayKryoRegistrator::configure);
             ScoredInputs scored = ScoredInputs.of(spark, input, classifier)) {
            long start = System.nanoTime();
            ScoringCounts counts = scored.counts();
            double seconds = (System.nanoTime() - start) / 1e9;
            LOG.info("scored {} inputs in {}s ({} images/s): {} predictions, {} rejected", counts.inputs(),
                    String.format(Locale.ROOT, "%.1f", seconds), Math.round(counts.inputs() / seconds), counts.predictions(), counts.rejects());
            OptionalLong unmatched = input.labelRows().isPresent()
                    ? OptionalLong.of(input.labelRows().getAsLong() - counts.withLabel()) : OptionalLong.empty();
            if (unmatched.orElse(0) > 0) {
                // Once, with an example: accuracy is then over fewer images than the labels file lists.
                LOG.warn("{} of the {} rows of the labels file match no image scored (e.g. \"{}\"); accuracy is over the {} images it labels",
                        unmatched.getAsLong(), input.labelRows().getAsLong(), input.unmatchedLabel(scored.labelledIdentities()).orElse("?"),
                        counts.withLabel());
            }
            RejectBudget.check(counts, settings.maxRejectShare(), counts.rejects() == 0 ? List.of() : scored.someRejects(3));

            // Spark's writer and committer put each output in place inside the run's attempt directory.
            scored.writePredictions(run.sparkOutput("predictions"), settings.format(), counts.predictions());
            scored.writeRejects(run.sparkOutput("rejects"), settings.format(), counts.rejects());
            Optional<LabelledMetrics> metrics = input.labelled() ? Optional.of(scored.metrics()) : Optional.empty();
            if (metrics.isPresent()) {
                LabelledMetrics m = metrics.get();
                LOG.info("accuracy {} ({} of {} labelled predictions)", String.format(Locale.ROOT, "%.4f", m.accuracy()), m.correct(),
                        m.labelled());
                run.writeText("confusion.csv", CsvTables.confusion(m.evaluation(), model.classes()));
                run.writeText("classes.csv", CsvTables.classes(m.evaluation(), model.classNames()));
            }
            run.writeText(ScoringJson.FILE, ScoringJson.render(settings.runId(), model, input, settings.format().configName(),
                    counts, metrics, unmatched, seconds, RunEnvironment.describe(JavaSparkContext.fromSparkContext(spark.sparkContext())), settings.effectiveJson()));
        }
    }
}
