package org.sparkmnist.training;

import java.util.Locale;

/** The tutorial's per-epoch line, plus how long the rest of this model's training should take. */
public final class EpochLog {

    private EpochLog() {
    }

    public static String line(String model, EpochMetrics m, int epochs, double secondsSoFar) {
        double remaining = (epochs - m.epoch()) * (secondsSoFar / m.epoch());
        return String.format(Locale.ROOT,
                "%s epoch %d/%d - %.1fs - loss: %.4f - accuracy: %.4f - val_loss: %.4f - val_accuracy: %.4f - ETA %s",
                model, m.epoch(), epochs, m.seconds(), m.loss(), m.accuracy(), m.valLoss(), m.valAccuracy(), duration(remaining));
    }

    /** Seconds as 42s, 3m07s or 1h05m. */
    public static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
    }
}
