package org.sparkmnist.scoring;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.sparkmnist.BadInputException;
import org.sparkmnist.output.RunDirectory;

/**
 * What may already be at {@code <output.dir>/<run.id>} for a scoring run to go there. A rerun
 * replaces its own earlier scoring run whole (output.mode=overwrite), but output.dir is shared with
 * training runs and anything else: a directory that is not a committed scoring run (a training run,
 * a user's files, a half-written directory) is never replaced, and the job stops with exit code 2
 * before it touches the output.
 */
final class ScoringRunTarget {

    /** What marks a committed scoring run, beside _SUCCESS. */
    static final String RECORD = "scoring.json";

    private ScoringRunTarget() {
    }

    static void check(String outputDir, String runId, boolean overwrite, Configuration hadoop) {
        Path root = new Path(outputDir);
        try {
            FileSystem fs = root.getFileSystem(hadoop);
            Path target = new Path(fs.makeQualified(root), runId);
            if (!fs.exists(target)) {
                return;
            }
            if (!overwrite) {
                throw new BadInputException("run directory " + target + " already exists and config key output.mode is fail-if-exists;"
                        + " choose another run.id or set output.mode=overwrite");
            }
            if (!fs.isFile(new Path(target, RECORD)) || !fs.isFile(new Path(target, RunDirectory.SUCCESS))) {
                throw new BadInputException("run directory " + target + " already exists and is not a committed scoring run (it has no "
                        + RECORD + " and " + RunDirectory.SUCCESS + "; a training run of that id?); scoring replaces only its own"
                        + " runs: choose another run.id or output.dir");
            }
        } catch (IOException e) {
            throw new BadInputException("output directory " + outputDir + " (output.dir) cannot be read: " + e.getMessage(), e);
        }
    }
}
