package org.sparkmnist.scoring;

import java.util.SortedMap;
import java.util.TreeMap;
import org.sparkmnist.BadInputException;
import org.sparkmnist.output.RunManifest;

/**
 * What may already be at {@code <output.dir>/<run.id>} for a scoring run to replace it. The run store
 * refuses anything the job did not commit; on top of that, a scoring run replaces only a scoring
 * run: output.dir is shared with training runs, and a training run's models are not to be lost to a
 * scoring run given the same run.id. A scoring run says what it is in its manifest's identity.
 */
final class ScoringRunTarget {

    static final String JOB = "job";
    static final String SCORING = "scoring";

    private ScoringRunTarget() {
    }

    /** The identity a scoring run is committed with. */
    static SortedMap<String, String> identity() {
        SortedMap<String, String> identity = new TreeMap<>();
        identity.put(JOB, SCORING);
        return identity;
    }

    /** Refuses, as bad input, a committed run at the run's path that is not a scoring run. */
    static void check(RunManifest.Existing existing) {
        boolean scoring = existing.manifest().map(m -> SCORING.equals(m.identity().get(JOB))).orElse(false);
        if (existing.present() && !scoring) {
            throw new BadInputException("run directory " + existing.path() + " already holds a training run; a scoring run replaces only"
                    + " a scoring run of its run.id: choose another run.id or output.dir");
        }
    }
}
