package org.sparkmnist.scoring;

/**
 * A decoded image reduced to what a digit needs: the luminance (0 black .. 255 white) and opacity
 * (0 transparent .. 1 opaque) of each pixel, row-major.
 *
 * @param grey whether the file held one grey channel and no alpha, so {@code luminance} is its own
 *             sample values, untouched by any colour conversion
 */
record Picture(int width, int height, float[] luminance, float[] alpha, boolean grey) {

    int pixels() {
        return width * height;
    }

    /** Indices of the outermost rows and columns, each pixel once: where an image shows its background. */
    int[] border() {
        if (width <= 2 || height <= 2) {
            int[] all = new int[pixels()];
            for (int i = 0; i < all.length; i++) {
                all[i] = i;
            }
            return all;
        }
        int[] ring = new int[2 * width + 2 * (height - 2)];
        int n = 0;
        for (int x = 0; x < width; x++) {
            ring[n++] = x;
            ring[n++] = (height - 1) * width + x;
        }
        for (int y = 1; y < height - 1; y++) {
            ring[n++] = y * width;
            ring[n++] = y * width + width - 1;
        }
        return ring;
    }
}
