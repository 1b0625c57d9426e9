package org.sparkmnist.scoring;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes an image file's bytes with javax.imageio (PNG, JPEG, GIF, BMP, TIFF, WBMP) into a
 * {@link Picture}. Whatever makes a file unusable becomes a {@link RejectedImage} whose message says
 * what is wrong with it: empty, not an image, too large, or broken inside.
 */
final class ImageFileDecoder {

    /** The reason an empty file is rejected. */
    static final String EMPTY = "empty file";

    /**
     * Most pixels an image is decoded into; a larger one is decoded subsampled. About 2048x2048: what
     * a task can hold as a raster and its float planes on a default executor, with other tasks
     * beside it, and still a hundred times finer than the 20x20 box a digit is fitted into.
     */
    static final long DECODED_PIXELS = 1L << 22;

    /**
     * Most bytes a decoder may hold at once beyond the decoded image (a TIFF strip, a progressive
     * JPEG's coefficients): with the decoded planes, what a task can take of a default executor's
     * heap beside other tasks, and enough for a single-strip 600 dpi A4 colour scan.
     */
    static final long DECODE_BUFFER_BYTES = 1L << 27;

    private final long maxPixels;

    ImageFileDecoder(long maxPixels) {
        this.maxPixels = maxPixels;
    }

    Picture decode(byte[] file) throws RejectedImage {
        if (file.length == 0) {
            throw new RejectedImage(EMPTY);
        }
        // In memory: ImageIO's default stream would cache every file in a temporary file on disk.
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(file))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                Optional<String> unread = UnreadFormats.recognise(file);
                if (unread.isPresent()) {
                    throw new RejectedImage(unread.get());
                }
                throw new RejectedImage("not an image: no decoder recognises its " + file.length + " bytes (PNG, JPEG, GIF, BMP, TIFF and WBMP are read)");
            }
            return read(readers.next(), in, file);
        } catch (IOException e) {
            throw new RejectedImage("cannot be read: " + causes(e));
        }
    }

    private Picture read(ImageReader reader, ImageInputStream in, byte[] file) throws RejectedImage {
        String format = reader.getOriginatingProvider().getFormatNames()[0].toUpperCase(java.util.Locale.ROOT);
        Set<String> warnings = new LinkedHashSet<>();
        try {
            // Metadata ignored: a file's text chunks and colour profiles may be large, and the digit needs none of them.
            reader.setInput(in, true, true);
            // A truncated JPEG decodes with a grey remainder and only a warning: that is not the image either.
            reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
            int width = reader.getWidth(0);
            int height = reader.getHeight(0);
            if ((long) width * height > maxPixels) {
                throw new RejectedImage(format + " image of " + width + "x" + height + " pixels is larger than "
                        + maxPixels + " pixels (score.images.max-pixels)");
            }
            checkBuffers(reader, format, file, width, height);
            // Only index 0: an animated GIF or PNG (APNG) is scored by its first frame, which a PNG reader takes as the image.
            ImageReadParam param = reader.getDefaultReadParam();
            int step = subsampling(width, height);
            param.setSourceSubsampling(step, step, 0, 0);
            BufferedImage image = readFirst(reader, param, format);
            if (format.equals("PNG")) {
                String truncated = PngChunks.truncation(file);
                if (truncated != null) {
                    throw new RejectedImage("PNG file is truncated: " + truncated);
                }
            }
            if (!warnings.isEmpty()) {
                throw new RejectedImage(format + " data is damaged: " + String.join("; ", warnings));
            }
            return ExifOrientation.apply(ExifOrientation.of(format, file), picture(image));
        } catch (IOException | RuntimeException e) {
            // Decoders throw runtime exceptions too (array bounds, bad Huffman tables) on hostile input.
            throw new RejectedImage(format + " data cannot be decoded: " + causes(e));
        } finally {
            reader.dispose();
        }
    }

    private static BufferedImage readFirst(ImageReader reader, ImageReadParam param, String format) throws IOException, RejectedImage {
        if (format.equals("JPEG") && !reader.getImageTypes(0).hasNext()) {
            // The JDK's JPEG reader offers no image type for channels it cannot convert, e.g. four channels marked as YCbCr.
            throw new RejectedImage("JPEG of a colour coding the JDK's JPEG reader cannot convert (it reads grey, YCbCr, RGB, CMYK "
                    + "and YCCK JPEGs); save it as an RGB or grey JPEG, or as PNG");
        }
        return reader.read(0, param);
    }

    /**
     * Rejects a file whose decoder would hold more than {@link #DECODE_BUFFER_BYTES} at once besides
     * the (subsampled) image, whatever the subsampling: the JDK's TIFF reader inflates a whole strip
     * or tile before it picks pixels from it, and a progressive JPEG is decoded from all its
     * coefficients, two bytes per sample, held by the native decoder outside the heap.
     */
    private static void checkBuffers(ImageReader reader, String format, byte[] file, int width, int height)
            throws IOException, RejectedImage {
        if (format.equals("TIF") || format.equals("TIFF")) {
            long tilePixels = (long) reader.getTileWidth(0) * reader.getTileHeight(0);
            long bytes = tilePixels * bitsPerPixel(reader) / 8;
            if (bytes > DECODE_BUFFER_BYTES) {
                throw new RejectedImage("TIFF image stored in strips or tiles of " + reader.getTileWidth(0) + "x" + reader.getTileHeight(0)
                        + " pixels (" + bytes + " bytes each) cannot be decoded within " + DECODE_BUFFER_BYTES
                        + " bytes; save it with smaller strips (fewer rows per strip) or as PNG");
            }
        }
        if (format.equals("JPEG")) {
            JpegSegments.Frame frame = JpegSegments.frame(file);
            long bytes = frame == null ? 0 : 2L * width * height * frame.components();
            if (frame != null && frame.progressive() && bytes > DECODE_BUFFER_BYTES) {
                throw new RejectedImage("progressive JPEG of " + width + "x" + height + " pixels needs " + bytes
                        + " bytes of coefficients to decode, more than " + DECODE_BUFFER_BYTES + "; save it as a baseline JPEG or as PNG");
            }
        }
    }

    private static long bitsPerPixel(ImageReader reader) throws IOException {
        ImageTypeSpecifier raw = reader.getRawImageType(0);
        if (raw == null) {
            return 64; // the most a pixel of the formats read here takes: 16-bit RGBA
        }
        long bits = 0;
        for (int size : raw.getSampleModel().getSampleSize()) {
            bits += size;
        }
        return bits;
    }

    /**
     * The smallest whole step, across and down, that brings a {@code width x height} image within
     * {@link #DECODED_PIXELS}: the decoder then keeps every step-th pixel of every step-th row, and
     * the whole image is never in memory. A digit needs far fewer pixels than that budget.
     */
    static int subsampling(int width, int height) {
        int step = Math.max(1, (int) Math.sqrt((double) width * height / DECODED_PIXELS));
        while (decoded(width, step) * decoded(height, step) > DECODED_PIXELS) {
            step++;
        }
        return step;
    }

    private static long decoded(int side, int step) {
        return (side + step - 1) / step;
    }

    /**
     * Luminance and opacity per pixel. A single grey channel is taken as its samples (scaled to 8
     * bits): getRGB would pass it through a colour-space conversion and change the values. Colour
     * and palette images go through getRGB to sRGB, then luminance by ITU-R BT.601 weights (what
     * Java's and PIL's own grey conversions use).
     */
    static Picture picture(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        float[] luminance = new float[width * height];
        float[] alpha = new float[width * height];
        ColorModel model = image.getColorModel();
        if (model.getNumColorComponents() == 1 && !(model instanceof IndexColorModel)) {
            Raster raster = image.getRaster();
            float greyScale = 255f * fullScale(model, 0);
            int alphaBand = model.hasAlpha() ? model.getNumComponents() - 1 : -1;
            float alphaScale = model.hasAlpha() ? fullScale(model, alphaBand) : 0f;
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int i = y * width + x;
                    luminance[i] = raster.getSampleFloat(x, y, 0) * greyScale;
                    alpha[i] = alphaBand < 0 ? 1f : raster.getSampleFloat(x, y, alphaBand) * alphaScale;
                }
            }
            return new Picture(width, height, luminance, alpha, !model.hasAlpha());
        }
        int[] argb = image.getRGB(0, 0, width, height, null, 0, width);
        for (int i = 0; i < argb.length; i++) {
            int p = argb[i];
            luminance[i] = 0.299f * ((p >> 16) & 0xFF) + 0.587f * ((p >> 8) & 0xFF) + 0.114f * (p & 0xFF);
            alpha[i] = ((p >>> 24) & 0xFF) / 255f;
        }
        return new Picture(width, height, luminance, alpha, false);
    }

    /** What turns a sample of {@code band} into 0..1: floating-point samples are 0..1 already, whole ones 0..2^bits-1. */
    private static float fullScale(ColorModel model, int band) {
        int type = model.getTransferType();
        if (type == DataBuffer.TYPE_FLOAT || type == DataBuffer.TYPE_DOUBLE) {
            return 1f;
        }
        // In long: a 32-bit sample's range would overflow an int shift.
        return (float) (1.0 / ((1L << model.getComponentSize(band)) - 1));
    }

    /** "message (cause's message)", so that "Error reading PNG image data" says what the error was. */
    private static String causes(Throwable e) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null && text.length() < 300; t = t.getCause()) {
            String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            if (text.indexOf(message) < 0) {
                text.append(text.length() == 0 ? message : " (" + message + ")");
            }
        }
        return text.toString().replaceAll("\\s+", " ");
    }
}
