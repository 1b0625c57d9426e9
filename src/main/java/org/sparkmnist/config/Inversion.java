package org.sparkmnist.config;

import org.sparkmnist.ConfigName;

/**
 * Whether an image's digit is dark on a light background (as scans, photos and drawings usually
 * are) and must be inverted into MNIST's white digit on black, or is already light on dark.
 */
public enum Inversion implements ConfigName {
    /** Decide for each image from its border, which shows the background (the scoring job's {@code DigitImage}). */
    AUTO,
    /** Every image is a dark digit on a light background. */
    TRUE,
    /** Every image is a light digit on a dark background, as MNIST's are. */
    FALSE
}
