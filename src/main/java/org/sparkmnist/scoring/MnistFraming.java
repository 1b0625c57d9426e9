package org.sparkmnist.scoring;

/**
 * Puts a digit into a 28x28 frame the way MNIST's digits were put there (LeCun et al.): the digit's
 * bounding box is scaled, keeping its aspect ratio, so that its longer side is 20 pixels, with
 * anti-aliasing (here: each output pixel is the area-weighted mean of the source pixels it covers);
 * then it is placed so that its centre of mass falls on pixel (14, 14), moved by whole pixels.
 * MNIST's own test digits bear this out, whole-pixel moves included (docs/BENCHMARKS.md, "Facts
 * measured once").
 */
final class MnistFraming {

    static final int SIZE = 28;
    static final int BOX = 20;
    static final int CENTRE = 14;

    /** Ink below this (of 255) does not count towards the bounding box: JPEG noise around a digit. */
    static final float BOX_THRESHOLD = 0.1f * 255;

    private MnistFraming() {
    }

    /**
     * The 28x28 digit of {@code ink} ({@code width x height}, 0 none .. 255 full ink, row-major), or
     * null when no pixel reaches {@link #BOX_THRESHOLD}.
     */
    static byte[] frame(float[] ink, int width, int height) {
        int left = width, right = -1, top = height, bottom = -1;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                if (ink[y * width + x] >= BOX_THRESHOLD) {
                    left = Math.min(left, x);
                    right = Math.max(right, x);
                    top = Math.min(top, y);
                    bottom = Math.max(bottom, y);
                }
            }
        }
        if (right < 0) {
            return null;
        }
        int boxWidth = right - left + 1;
        int boxHeight = bottom - top + 1;
        double scale = (double) Math.max(boxWidth, boxHeight) / BOX;
        int fittedWidth = Math.max(1, Math.min(BOX, (int) Math.round(boxWidth / scale)));
        int fittedHeight = Math.max(1, Math.min(BOX, (int) Math.round(boxHeight / scale)));
        float[] box = crop(ink, width, left, top, boxWidth, boxHeight);
        float[] fitted = resample(box, boxWidth, boxHeight, fittedWidth, fittedHeight);
        return centre(fitted, fittedWidth, fittedHeight);
    }

    private static float[] crop(float[] ink, int width, int left, int top, int boxWidth, int boxHeight) {
        float[] box = new float[boxWidth * boxHeight];
        for (int y = 0; y < boxHeight; y++) {
            System.arraycopy(ink, (top + y) * width + left, box, y * boxWidth, boxWidth);
        }
        return box;
    }

    /** Area-averaging resampling, rows then columns: each output pixel covers a rectangle of source pixels. */
    static float[] resample(float[] source, int width, int height, int newWidth, int newHeight) {
        float[] rows = new float[newWidth * height];
        for (int y = 0; y < height; y++) {
            resampleLine(source, y * width, 1, width, rows, y * newWidth, 1, newWidth);
        }
        float[] result = new float[newWidth * newHeight];
        for (int x = 0; x < newWidth; x++) {
            resampleLine(rows, x, newWidth, height, result, x, newWidth, newHeight);
        }
        return result;
    }

    /** One line of {@code n} values (from {@code offset}, {@code stride} apart) resampled to {@code m}. */
    private static void resampleLine(float[] in, int inOffset, int inStride, int n, float[] out, int outOffset, int outStride, int m) {
        double span = (double) n / m;
        for (int o = 0; o < m; o++) {
            double start = o * span;
            double end = Math.min(n, (o + 1) * span);
            double sum = 0;
            for (int i = (int) Math.floor(start); i < end; i++) {
                double covered = Math.min(end, i + 1) - Math.max(start, i);
                sum += covered * in[inOffset + i * inStride];
            }
            out[outOffset + o * outStride] = (float) (sum / span);
        }
    }

    /** The fitted digit in a 28x28 frame, moved by whole pixels so that its centre of mass is on (14, 14). */
    private static byte[] centre(float[] digit, int width, int height) {
        double mass = 0;
        double massX = 0;
        double massY = 0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                float v = digit[y * width + x];
                mass += v;
                massX += v * x;
                massY += v * y;
            }
        }
        int shiftX = (int) Math.round(CENTRE - massX / mass);
        int shiftY = (int) Math.round(CENTRE - massY / mass);
        byte[] frame = new byte[SIZE * SIZE];
        for (int y = 0; y < height; y++) {
            int fy = y + shiftY;
            for (int x = 0; x < width; x++) {
                int fx = x + shiftX;
                // A digit whose mass sits near one edge of its box can be pushed partly out of the frame, as in MNIST.
                if (fx >= 0 && fx < SIZE && fy >= 0 && fy < SIZE) {
                    frame[fy * SIZE + fx] = (byte) Math.round(Math.max(0f, Math.min(255f, digit[y * width + x])));
                }
            }
        }
        return frame;
    }
}
