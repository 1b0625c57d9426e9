package org.sparkmnist.scoring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.sparkmnist.config.Inversion;
import org.sparkmnist.testing.ImageBytes;
import org.sparkmnist.testing.Images;

/**
 * The same "7", saved in every colour model and bit depth the JDK's decoders read, and as the first
 * frame of animations, becomes the digit of the same "7" saved as a plain black-on-white RGB PNG.
 * Each file's pixels are set sample by sample, so that each file holds exactly the colour model it
 * is named after.
 */
class ImageColourModelsTest {

    private static final DigitImage AUTO = new DigitImage(Inversion.AUTO, 50_000_000);
    private static final int WIDTH = 60;
    private static final int HEIGHT = 80;

    /** Where the "7" has ink. */
    private static boolean[] seven;
    /** Where a "1" has ink: a different digit, for the frames after the first. */
    private static boolean[] one;
    /** The digit of the "7" as a black-on-white RGB PNG. */
    private static byte[] expected;

    @BeforeAll
    static void theDigitsDrawnOnce() throws RejectedImage {
        seven = mask(Images.drawn(WIDTH, HEIGHT, BufferedImage.TYPE_BYTE_GRAY, Color.BLACK, Color.WHITE, g -> {
            g.fillRect(10, 10, 40, 8);
            g.fillPolygon(new int[] {42, 50, 28, 20}, new int[] {10, 18, 72, 72}, 4);
        }));
        one = mask(Images.drawn(WIDTH, HEIGHT, BufferedImage.TYPE_BYTE_GRAY, Color.BLACK, Color.WHITE, g -> g.fillRect(26, 8, 9, 66)));
        expected = AUTO.convert(Images.encode(Images.drawn(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB, Color.WHITE, Color.BLACK, g -> {
            g.fillRect(10, 10, 40, 8);
            g.fillPolygon(new int[] {42, 50, 28, 20}, new int[] {10, 18, 72, 72}, 4);
        }), "png"));
    }

    private static boolean[] mask(BufferedImage drawn) {
        boolean[] ink = new boolean[WIDTH * HEIGHT];
        for (int i = 0; i < ink.length; i++) {
            ink[i] = drawn.getRaster().getSample(i % WIDTH, i / WIDTH, 0) > 127;
        }
        return ink;
    }

    /** An image of {@code model} whose pixels are {@code paper} where {@code ink} is false and {@code inkSamples} where it is true. */
    private static BufferedImage painted(ColorModel model, boolean[] ink, int[] paper, int[] inkSamples) {
        WritableRaster raster = model.createCompatibleWritableRaster(WIDTH, HEIGHT);
        for (int i = 0; i < ink.length; i++) {
            raster.setPixel(i % WIDTH, i / WIDTH, ink[i] ? inkSamples : paper);
        }
        return new BufferedImage(model, raster, false, null);
    }

    private static ColorModel components(int space, boolean alpha, int dataType) {
        return new ComponentColorModel(ColorSpace.getInstance(space), alpha, false, alpha ? Transparency.TRANSLUCENT : Transparency.OPAQUE,
                dataType);
    }

    /** A grey ramp of 2^bits entries: what a PNG writer stores as grey of that depth. */
    private static IndexColorModel greyRamp(int bits) {
        int size = 1 << bits;
        byte[] levels = new byte[size];
        for (int i = 0; i < size; i++) {
            levels[i] = (byte) (i * 255 / (size - 1));
        }
        return new IndexColorModel(bits, size, levels, levels, levels);
    }

    /** A palette of 2^bits colours: 0 transparent yellow paper, 1 opaque dark blue ink, the rest opaque reds. */
    private static IndexColorModel palette(int bits, boolean transparentPaper) {
        int size = 1 << bits;
        byte[] r = new byte[size];
        byte[] g = new byte[size];
        byte[] b = new byte[size];
        byte[] a = new byte[size];
        for (int i = 0; i < size; i++) {
            r[i] = (byte) (255 - i % 200);
            a[i] = (byte) 255;
        }
        r[0] = (byte) 250;
        g[0] = (byte) 230;
        b[0] = (byte) 120;
        a[0] = (byte) (transparentPaper ? 0 : 255);
        r[1] = 20;
        g[1] = 40;
        b[1] = (byte) 160;
        return new IndexColorModel(bits, size, r, g, b, a);
    }

    /** A file format and colour model, with the PNG header's bit depth and colour type where it is a PNG. */
    enum Saved {
        PNG_GREY_1("png", 1, 0), PNG_GREY_2("png", 2, 0), PNG_GREY_4("png", 4, 0), PNG_GREY_8("png", 8, 0), PNG_GREY_16("png", 16, 0),
        PNG_GREY_ALPHA_8("png", 8, 4), PNG_GREY_ALPHA_16("png", 16, 4), PNG_RGB_8("png", 8, 2), PNG_RGB_16("png", 16, 2),
        PNG_RGBA_8("png", 8, 6), PNG_RGBA_16("png", 16, 6), PNG_PALETTE_1_TRNS("png", 1, 3), PNG_PALETTE_2_TRNS("png", 2, 3),
        PNG_PALETTE_4_TRNS("png", 4, 3), PNG_PALETTE_8_TRNS("png", 8, 3), TIFF_GREY_16("tiff", 0, 0), TIFF_GREY_FLOAT_32("tiff", 0, 0), TIFF_RGB_8("tiff", 0, 0),
        TIFF_CMYK_8("tiff", 0, 0), BMP_RGB_8("bmp", 0, 0), BMP_PALETTE_1("bmp", 0, 0), BMP_PALETTE_8("bmp", 0, 0),
        GIF_PALETTE_8_TRANSPARENT("gif", 0, 0);

        final String format;
        final int pngBitDepth;
        final int pngColourType;

        Saved(String format, int pngBitDepth, int pngColourType) {
            this.format = format;
            this.pngBitDepth = pngBitDepth;
            this.pngColourType = pngColourType;
        }

        BufferedImage image(boolean[] ink) {
            int[] black8 = {0, 0, 0};
            int[] white8 = {255, 255, 255};
            return switch (this) {
                case PNG_GREY_1, PNG_GREY_2, PNG_GREY_4 -> painted(greyRamp(pngBitDepth), ink, new int[] {(1 << pngBitDepth) - 1}, new int[] {0});
                case PNG_GREY_8 -> painted(components(ColorSpace.CS_GRAY, false, DataBuffer.TYPE_BYTE), ink, new int[] {255}, new int[] {0});
                case PNG_GREY_16, TIFF_GREY_16 -> painted(components(ColorSpace.CS_GRAY, false, DataBuffer.TYPE_USHORT), ink,
                        new int[] {65535}, new int[] {0});
                // Floating-point samples run from 0 to 1.
                case TIFF_GREY_FLOAT_32 -> painted(components(ColorSpace.CS_GRAY, false, DataBuffer.TYPE_FLOAT), ink, new int[] {1},
                        new int[] {0});
                // Transparent paper of any grey; dark ink.
                case PNG_GREY_ALPHA_8 -> painted(components(ColorSpace.CS_GRAY, true, DataBuffer.TYPE_BYTE), ink, new int[] {200, 0},
                        new int[] {10, 255});
                case PNG_GREY_ALPHA_16 -> painted(components(ColorSpace.CS_GRAY, true, DataBuffer.TYPE_USHORT), ink,
                        new int[] {50000, 0}, new int[] {2000, 65535});
                // Dark blue on yellow paper.
                case PNG_RGB_8, TIFF_RGB_8, BMP_RGB_8 -> painted(components(ColorSpace.CS_sRGB, false, DataBuffer.TYPE_BYTE), ink,
                        new int[] {250, 230, 120}, new int[] {20, 40, 160});
                case PNG_RGB_16 -> painted(components(ColorSpace.CS_sRGB, false, DataBuffer.TYPE_USHORT), ink,
                        new int[] {64250, 59110, 30840}, new int[] {5140, 10280, 41120});
                case PNG_RGBA_8 -> painted(components(ColorSpace.CS_sRGB, true, DataBuffer.TYPE_BYTE), ink, new int[] {250, 230, 120, 0},
                        new int[] {20, 40, 160, 255});
                case PNG_RGBA_16 -> painted(components(ColorSpace.CS_sRGB, true, DataBuffer.TYPE_USHORT), ink,
                        new int[] {64250, 59110, 30840, 0}, new int[] {5140, 10280, 41120, 65535});
                case PNG_PALETTE_1_TRNS, PNG_PALETTE_2_TRNS, PNG_PALETTE_4_TRNS, PNG_PALETTE_8_TRNS, GIF_PALETTE_8_TRANSPARENT ->
                        painted(palette(pngBitDepth == 0 ? 8 : pngBitDepth, true), ink, new int[] {0}, new int[] {1});
                case BMP_PALETTE_1 -> painted(palette(1, false), ink, new int[] {0}, new int[] {1});
                case BMP_PALETTE_8 -> painted(palette(8, false), ink, new int[] {0}, new int[] {1});
                // White paper is no ink at all; the digit is black ink alone.
                case TIFF_CMYK_8 -> painted(new ComponentColorModel(new NaiveCmyk(), false, false, Transparency.OPAQUE, DataBuffer.TYPE_BYTE),
                        ink, new int[] {0, 0, 0, 0}, new int[] {0, 0, 0, 255});
            };
        }
    }

    @ParameterizedTest
    @EnumSource(Saved.class)
    void eachColourModelAndBitDepthBecomesTheDigitDrawn(Saved saved) throws RejectedImage {
        byte[] file = Images.encode(saved.image(seven), saved.format);
        if (saved.pngBitDepth > 0) {
            assertEquals(saved.pngBitDepth, file[24], "the PNG's bit depth: the file holds what the test names");
            assertEquals(saved.pngColourType, file[25], "the PNG's colour type");
        }
        assertArrayEquals(expected, AUTO.convert(file), saved.name());
    }

    /** The compressions scanners save TIFFs with; CCITT fax codings are for one-bit images only. */
    @ParameterizedTest
    @ValueSource(strings = {"CCITT RLE", "CCITT T.4", "CCITT T.6", "LZW", "PackBits", "Deflate", "JPEG"})
    void aScannersTiffInEachCompressionBecomesTheDigitDrawn(String compression) throws IOException, RejectedImage {
        boolean fax = compression.startsWith("CCITT");
        BufferedImage image = fax ? painted(greyRamp(1), seven, new int[] {1}, new int[] {0}) : Saved.PNG_RGB_8.image(seven);
        byte[] tiff = Images.encode(image, "tiff", param -> {
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionType(compression);
        }, (writer, param) -> null);
        if (compression.equals("JPEG")) {
            assertClose(expected, AUTO.convert(tiff));
        } else {
            assertArrayEquals(expected, AUTO.convert(tiff), compression);
        }
    }

    /**
     * Grey and RGB PNGs can name one colour transparent (tRNS). Here the paper is that colour and
     * nearly as dark as the ink: seen opaque, nothing stands out and the image would be rejected as blank.
     */
    @Test
    void aGreyOrRgbPngWithATransparentColourHasTransparentPaper() throws RejectedImage {
        byte[] grey = Images.encode(painted(components(ColorSpace.CS_GRAY, false, DataBuffer.TYPE_BYTE), seven, new int[] {10},
                new int[] {0}), "png");
        assertArrayEquals(expected, AUTO.convert(ImageBytes.pngWithChunk(grey, "tRNS", new byte[] {0, 10})));
        byte[] rgb = Images.encode(painted(components(ColorSpace.CS_sRGB, false, DataBuffer.TYPE_BYTE), seven, new int[] {10, 12, 14},
                new int[] {0, 0, 0}), "png");
        assertArrayEquals(expected, AUTO.convert(ImageBytes.pngWithChunk(rgb, "tRNS", new byte[] {0, 10, 0, 12, 0, 14})));
    }

    @Test
    void aCmykTiffIsReadAsCmyk() throws IOException {
        BufferedImage read = ImageIO.read(new ByteArrayInputStream(Images.encode(Saved.TIFF_CMYK_8.image(seven), "tiff")));
        assertEquals(ColorSpace.TYPE_CMYK, read.getColorModel().getColorSpace().getType(), "so the test above decoded CMYK");
    }

    /** A JPEG's four channels, written as a raster (no colour conversion), marked by Adobe's APP14 as {@code transform} codes them. */
    private static byte[] fourChannelJpeg(int transform, int[] paper, int[] ink) {
        WritableRaster raster = new ComponentColorModel(new NaiveCmyk(), false, false, Transparency.OPAQUE, DataBuffer.TYPE_BYTE)
                .createCompatibleWritableRaster(WIDTH, HEIGHT);
        for (int i = 0; i < seven.length; i++) {
            raster.setPixel(i % WIDTH, i / WIDTH, seven[i] ? ink : paper);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.write(null, new IIOImage(raster, null, null), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return ImageBytes.jpegWithAdobeTransform(out.toByteArray(), transform);
    }

    @Test
    void anAdobeCmykJpegBecomesTheDigitDrawn() throws RejectedImage {
        // Adobe's CMYK JPEGs store each channel inverted: 255 is no ink.
        byte[] jpeg = fourChannelJpeg(0, new int[] {255, 255, 255, 255}, new int[] {255, 255, 255, 0});
        assertClose(expected, AUTO.convert(jpeg));
    }

    @Test
    void anAdobeYcckJpegBecomesTheDigitDrawn() throws RejectedImage {
        // YCCK: the inverted C, M and Y as the luma and chroma of an RGB (none: luma 0, chroma neutral), K inverted as in CMYK.
        byte[] jpeg = fourChannelJpeg(2, new int[] {0, 128, 128, 255}, new int[] {0, 128, 128, 0});
        assertClose(expected, AUTO.convert(jpeg));
    }

    @Test
    void aJpegWhoseColourCodingTheReaderCannotConvertIsRejectedSayingSo() {
        // Four channels marked by Adobe's transform 1 as YCbCr: no colour the JDK's reader converts.
        byte[] jpeg = fourChannelJpeg(1, new int[] {255, 255, 255, 255}, new int[] {255, 255, 255, 0});
        String reason = assertThrows(RejectedImage.class, () -> AUTO.convert(jpeg)).getMessage();
        assertTrue(reason.startsWith("JPEG of a colour coding the JDK's JPEG reader cannot convert"), reason);
    }

    @Test
    void anAnimatedGifIsScoredByItsFirstFrame() throws IOException, RejectedImage {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.prepareWriteSequence(null);
            writer.writeToSequence(new IIOImage(Saved.GIF_PALETTE_8_TRANSPARENT.image(seven), null, null), null);
            writer.writeToSequence(new IIOImage(Saved.GIF_PALETTE_8_TRANSPARENT.image(one), null, null), null);
            writer.endWriteSequence();
        } finally {
            writer.dispose();
        }
        assertFramesAre(2, "gif", out.toByteArray());
        assertArrayEquals(expected, AUTO.convert(out.toByteArray()));
    }

    @Test
    void anAnimatedPngIsScoredByItsFirstFrame() throws IOException, RejectedImage {
        byte[] first = Images.encode(Saved.PNG_RGB_8.image(seven), "png");
        byte[] second = Images.encode(Saved.PNG_RGB_8.image(one), "png");
        byte[] apng = ImageBytes.animatedPng(first, second);
        assertArrayEquals(expected, AUTO.convert(apng));
        // The second frame is a different digit: scoring it would have shown.
        assertTrue(!java.util.Arrays.equals(expected, AUTO.convert(second)));
    }

    private static void assertFramesAre(int frames, String format, byte[] file) throws IOException {
        var reader = ImageIO.getImageReadersByFormatName(format).next();
        try (var in = ImageIO.createImageInputStream(new ByteArrayInputStream(file))) {
            reader.setInput(in);
            assertEquals(frames, reader.getNumImages(true), "the file is an animation");
        } finally {
            reader.dispose();
        }
    }

    /** A lossy JPEG's digit: each pixel within a few levels of the lossless one's on average, and the same strokes. */
    static void assertClose(byte[] expected, byte[] actual) {
        double difference = 0;
        for (int i = 0; i < expected.length; i++) {
            difference += Math.abs((expected[i] & 0xFF) - (actual[i] & 0xFF));
        }
        difference /= expected.length;
        assertTrue(difference < 8, "mean difference per pixel " + difference + " of 255");
    }

    /** CMYK as printers' naive formula has it, for writing a CMYK TIFF: the JDK has no CMYK colour space of its own. */
    static final class NaiveCmyk extends ColorSpace {

        private static final long serialVersionUID = 1L;
        private static final ColorSpace SRGB = ColorSpace.getInstance(ColorSpace.CS_sRGB);

        NaiveCmyk() {
            super(ColorSpace.TYPE_CMYK, 4);
        }

        @Override
        public float[] toRGB(float[] cmyk) {
            float k = 1 - cmyk[3];
            return new float[] {(1 - cmyk[0]) * k, (1 - cmyk[1]) * k, (1 - cmyk[2]) * k};
        }

        @Override
        public float[] fromRGB(float[] rgb) {
            float k = 1 - Math.max(rgb[0], Math.max(rgb[1], rgb[2]));
            if (k >= 1) {
                return new float[] {0, 0, 0, 1};
            }
            return new float[] {(1 - rgb[0] - k) / (1 - k), (1 - rgb[1] - k) / (1 - k), (1 - rgb[2] - k) / (1 - k), k};
        }

        @Override
        public float[] toCIEXYZ(float[] cmyk) {
            return SRGB.toCIEXYZ(toRGB(cmyk));
        }

        @Override
        public float[] fromCIEXYZ(float[] xyz) {
            return fromRGB(SRGB.fromCIEXYZ(xyz));
        }
    }
}
