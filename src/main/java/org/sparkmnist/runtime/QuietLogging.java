package org.sparkmnist.runtime;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * Keeps the console readable: the job's own lines at INFO, everything else (Spark, Hadoop, ND4J's
 * banners) at the configured level, WARN by default.
 */
public final class QuietLogging {

    private QuietLogging() {
    }

    public static void apply(String libraryLevel) {
        Configurator.setRootLevel(Level.toLevel(libraryLevel, Level.WARN));
        Configurator.setLevel("org.sparkmnist", Level.INFO);
    }
}
