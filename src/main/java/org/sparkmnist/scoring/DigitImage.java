package org.sparkmnist.scoring;

import java.io.Serializable;
import java.util.Arrays;
import org.sparkmnist.config.Inversion;

/**
 * Turns an image file of any size and colour into a 28x28 MNIST digit: white (255) ink on black
 * (0), the digit fitted into 20x20 and centred by its centre of mass ({@link MnistFraming}).
 *
 * <ol>
 *   <li>Decode ({@link ImageFileDecoder}); a 28x28 single-channel grey image is taken to be in
 *       MNIST's form already and kept byte for byte (inverted if it is dark on light).</li>
 *   <li>Polarity: {@link Inversion#TRUE} or {@link Inversion#FALSE} as configured, or, with
 *       {@link Inversion#AUTO}, from the border, which shows the background: a border whose opaque
 *       pixels have a median luminance above mid-grey is light paper, so the digit is dark and is
 *       inverted. A mostly transparent border says nothing about the paper; then the digit's own
 *       visible pixels decide (dark ones are dark ink).</li>
 *   <li>Ink: luminance (or its inverse) times opacity, so a transparent pixel is no ink whatever its
 *       colour.</li>
 *   <li>Background removal: the border's median ink becomes 0 and the darkest ink 255, so that grey
 *       paper and a faint pencil look like MNIST's black background and full strokes. An image with
 *       less than {@link #MIN_CONTRAST} between the two holds no digit and is rejected.</li>
 * </ol>
 */
public final class DigitImage implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Pixels of a digit: 28x28. */
    public static final int PIXELS = MnistFraming.SIZE * MnistFraming.SIZE;

    /** Least difference, of 255, between a digit's strongest ink and its background. */
    static final float MIN_CONTRAST = 32;

    /** The most bytes a Java array holds, and so an image file read whole. */
    static final long LARGEST_FILE_BYTES = Integer.MAX_VALUE - 8;

    private final Inversion inversion;
    private final long maxPixels;
    private final long maxFileBytes;

    /** With no limit on a file's size but what a byte array holds: for bytes that are in memory already. */
    public DigitImage(Inversion inversion, long maxPixels) {
        this(inversion, maxPixels, LARGEST_FILE_BYTES);
    }

    public DigitImage(Inversion inversion, long maxPixels, long maxFileBytes) {
        this.inversion = inversion;
        this.maxPixels = maxPixels;
        this.maxFileBytes = maxFileBytes;
    }

    /**
     * Rejects a file of {@code length} bytes that is larger than an image file may be, before any of
     * it is read: the file is held whole while it is decoded.
     */
    public void checkFileSize(long length) throws RejectedImage {
        checkFileSize(length, maxFileBytes);
    }

    static void checkFileSize(long length, long maxFileBytes) throws RejectedImage {
        if (length > maxFileBytes) {
            throw new RejectedImage("file of " + length + " bytes is larger than " + maxFileBytes + " bytes (score.images.max-file-bytes)");
        }
    }

    /** The 28x28 digit of an image file, row-major, one unsigned byte per pixel. */
    public byte[] convert(byte[] file) throws RejectedImage {
        checkFileSize(file.length);
        return convert(new ImageFileDecoder(maxPixels).decode(file));
    }

    byte[] convert(Picture picture) throws RejectedImage {
        boolean invert = switch (inversion) {
            case TRUE -> true;
            case FALSE -> false;
            case AUTO -> darkOnLight(picture);
        };
        if (picture.grey() && picture.width() == MnistFraming.SIZE && picture.height() == MnistFraming.SIZE) {
            return asIs(picture, invert);
        }
        float[] ink = ink(picture, invert);
        float background = median(ink, picture.border());
        float strongest = 0;
        for (float v : ink) {
            strongest = Math.max(strongest, v);
        }
        if (strongest - background < MIN_CONTRAST) {
            throw new RejectedImage("no digit: the image is blank (its strongest ink is within " + (int) MIN_CONTRAST
                    + "/255 of its background" + (inversion == Inversion.AUTO ? "" : "; check score.images.invert") + ")");
        }
        float stretch = 255f / (strongest - background);
        for (int i = 0; i < ink.length; i++) {
            ink[i] = Math.max(0f, (ink[i] - background) * stretch);
        }
        byte[] digit = MnistFraming.frame(ink, picture.width(), picture.height());
        if (digit == null) {
            throw new RejectedImage("no digit: no pixel stands out from the background");
        }
        return digit;
    }

    private static byte[] asIs(Picture picture, boolean invert) {
        byte[] digit = new byte[PIXELS];
        float[] luminance = picture.luminance();
        for (int i = 0; i < digit.length; i++) {
            int v = Math.round(luminance[i]);
            digit[i] = (byte) (invert ? 255 - v : v);
        }
        return digit;
    }

    /** Whether the picture is a dark digit on a light background, judged from its border. */
    static boolean darkOnLight(Picture picture) {
        float[] luminance = picture.luminance();
        float[] alpha = picture.alpha();
        int[] border = picture.border();
        int[] opaqueBorder = Arrays.stream(border).filter(i -> alpha[i] >= 0.5f).toArray();
        if (opaqueBorder.length * 2 >= border.length) {
            return median(luminance, opaqueBorder) > 127.5f;
        }
        // Transparent paper: the ink is whatever is visible; dark visible pixels are dark ink.
        double sum = 0;
        int visible = 0;
        for (int i = 0; i < luminance.length; i++) {
            if (alpha[i] >= 0.5f) {
                sum += luminance[i];
                visible++;
            }
        }
        return visible > 0 && sum / visible < 127.5;
    }

    private static float[] ink(Picture picture, boolean invert) {
        float[] luminance = picture.luminance();
        float[] alpha = picture.alpha();
        float[] ink = new float[luminance.length];
        for (int i = 0; i < ink.length; i++) {
            ink[i] = alpha[i] * (invert ? 255f - luminance[i] : luminance[i]);
        }
        return ink;
    }

    private static float median(float[] values, int[] indices) {
        float[] picked = new float[indices.length];
        for (int i = 0; i < indices.length; i++) {
            picked[i] = values[indices[i]];
        }
        Arrays.sort(picked);
        return picked[picked.length / 2];
    }
}
