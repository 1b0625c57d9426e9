package org.sparkmnist.testing;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Random;
import java.util.function.Consumer;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageOutputStream;

/** Image files for scoring tests, and the measures a 28x28 digit is checked by. */
public final class Images {

    private Images() {
    }

    /** A {@code width} x {@code height} picture of image {@code type}: {@code paper} all over, then {@code strokes} drawn in {@code ink}. */
    public static BufferedImage drawn(int width, int height, int type, Color paper, Color ink, Consumer<Graphics2D> strokes) {
        BufferedImage image = new BufferedImage(width, height, type);
        Graphics2D g = image.createGraphics();
        g.setBackground(paper);
        g.clearRect(0, 0, width, height);
        g.setColor(ink);
        strokes.accept(g);
        g.dispose();
        return image;
    }

    /** {@code image} as the bytes of a file in {@code format} ("png", "jpg", ...). */
    public static byte[] encode(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalArgumentException("no ImageIO writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * {@code image} as a file in {@code format}, written with the parameters {@code settings} sets
     * (compression, progressive mode...) and the metadata {@code metadata} makes of them (or null).
     */
    public static byte[] encode(BufferedImage image, String format, Consumer<ImageWriteParam> settings,
            WriterMetadata metadata) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            settings.accept(param);
            writer.write(null, new IIOImage(image, null, metadata.of(writer, param)), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    /** The metadata a file is written with, made from its writer's defaults. */
    @FunctionalInterface
    public interface WriterMetadata {
        IIOMetadata of(ImageWriter writer, ImageWriteParam param) throws IOException;
    }

    /** A 28x28 single-channel grey image of {@code pixels} (row-major, 0..255). */
    public static BufferedImage grey28(byte[] pixels) {
        BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setDataElements(0, 0, 28, 28, pixels);
        return image;
    }

    /** 28x28 pixels shaped like an MNIST digit: a black frame of four pixels around grey-level strokes. */
    public static byte[] mnistLikeDigit(Random random) {
        byte[] pixels = new byte[28 * 28];
        for (int y = 4; y < 24; y++) {
            for (int x = 8; x < 20; x++) {
                pixels[y * 28 + x] = (byte) (random.nextInt(3) == 0 ? 0 : random.nextInt(256));
            }
        }
        return pixels;
    }

    /** {left, top, right, bottom} of the pixels above 0 of a 28x28 digit. */
    public static int[] boundingBox(byte[] digit) {
        int left = 28, top = 28, right = -1, bottom = -1;
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                if (digit[y * 28 + x] != 0) {
                    left = Math.min(left, x);
                    right = Math.max(right, x);
                    top = Math.min(top, y);
                    bottom = Math.max(bottom, y);
                }
            }
        }
        return new int[] {left, top, right, bottom};
    }

    /** {x, y} of the centre of mass of a 28x28 digit, in pixel-index coordinates. */
    public static double[] centreOfMass(byte[] digit) {
        double mass = 0, x = 0, y = 0;
        for (int i = 0; i < digit.length; i++) {
            int v = digit[i] & 0xFF;
            mass += v;
            x += v * (i % 28);
            y += v * (i / 28);
        }
        return new double[] {x / mass, y / mass};
    }
}
