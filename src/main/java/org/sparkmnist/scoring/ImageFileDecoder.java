package org.sparkmnist.scoring;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;
import javax.imageio.ImageIO;
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
            reader.setInput(in, true, true);
            // A truncated JPEG decodes with a grey remainder and only a warning: that is not the image either.
            reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
            long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
            if (pixels > maxPixels) {
                throw new RejectedImage(format + " image of " + reader.getWidth(0) + "x" + reader.getHeight(0) + " pixels is larger than "
                        + maxPixels + " pixels (score.images.max-pixels)");
            }
            BufferedImage image = reader.read(0);
            if (format.equals("PNG")) {
                String truncated = PngChunks.truncation(file);
                if (truncated != null) {
                    throw new RejectedImage("PNG file is truncated: " + truncated);
                }
            }
            if (!warnings.isEmpty()) {
                throw new RejectedImage(format + " data is damaged: " + String.join("; ", warnings));
            }
            return picture(image);
        } catch (IOException | RuntimeException e) {
            // Decoders throw runtime exceptions too (array bounds, bad Huffman tables) on hostile input.
            throw new RejectedImage(format + " data cannot be decoded: " + causes(e));
        } finally {
            reader.dispose();
        }
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
            float greyScale = 255f / ((1 << model.getComponentSize(0)) - 1);
            int alphaBand = model.hasAlpha() ? model.getNumComponents() - 1 : -1;
            float alphaScale = model.hasAlpha() ? 1f / ((1 << model.getComponentSize(alphaBand)) - 1) : 0f;
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int i = y * width + x;
                    luminance[i] = raster.getSample(x, y, 0) * greyScale;
                    alpha[i] = alphaBand < 0 ? 1f : raster.getSample(x, y, alphaBand) * alphaScale;
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
