package org.sparkmnist.scoring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sparkmnist.config.Inversion;
import org.sparkmnist.testing.Images;

/** Image files of any size and colour into MNIST's 28x28 white-on-black digits, the way MNIST made them. */
class DigitImageTest {

    private static final DigitImage AUTO = new DigitImage(Inversion.AUTO, 50_000_000);

    private static byte[] convert(DigitImage conversion, BufferedImage image, String format) throws RejectedImage {
        return conversion.convert(Images.encode(image, format));
    }

    /** An "L" drawn off-centre on a large canvas: a 10x60 stem and a 30x10 foot, so its bounding box is 30x60. */
    private static BufferedImage offCentreL(int type, Color paper, Color ink) {
        return Images.drawn(160, 100, type, paper, ink, g -> {
            g.fillRect(100, 20, 10, 60);
            g.fillRect(100, 70, 30, 10);
        });
    }

    @Test
    void an28x28GreyImageIsKeptByteForByte() throws RejectedImage {
        byte[] digit = Images.mnistLikeDigit(new Random(3));
        BufferedImage image = Images.grey28(digit);
        assertArrayEquals(digit, convert(AUTO, image, "png"));
        assertArrayEquals(digit, convert(new DigitImage(Inversion.FALSE, 50_000_000), image, "png"));
        // The same picture dark on light: taken as it is, only inverted.
        byte[] inverted = new byte[digit.length];
        for (int i = 0; i < digit.length; i++) {
            inverted[i] = (byte) (255 - (digit[i] & 0xFF));
        }
        assertArrayEquals(digit, convert(AUTO, Images.grey28(inverted), "png"));
        assertArrayEquals(digit, convert(new DigitImage(Inversion.TRUE, 50_000_000), Images.grey28(inverted), "png"));
    }

    @Test
    void anOffCentreDigitIsFittedInto20x20KeepingItsShapeAndCentredByItsMass() throws RejectedImage {
        byte[] digit = convert(AUTO, offCentreL(BufferedImage.TYPE_INT_RGB, Color.WHITE, Color.BLACK), "png");
        int[] box = Images.boundingBox(digit);
        assertEquals(20, box[3] - box[1] + 1, "height: the longer side becomes 20 " + Arrays.toString(box));
        assertEquals(10, box[2] - box[0] + 1, "width: 30x60 keeps its 1:2 aspect " + Arrays.toString(box));
        double[] mass = Images.centreOfMass(digit);
        assertEquals(14, mass[0], 0.5, "x centre of mass");
        assertEquals(14, mass[1], 0.5, "y centre of mass");
        // The L's mass sits low and left in its box, so centring by mass is not centring the box.
        assertTrue((box[1] + box[3]) / 2.0 < 14 - 1, "the box is moved up, its centre " + (box[1] + box[3]) / 2.0);
        // White ink on black, as MNIST: the scaling is by exactly 3, so the strokes stay solid.
        assertEquals(255, digit[(box[3]) * 28 + box[0]] & 0xFF);
        assertEquals(0, digit[0]);
    }

    @Test
    void aSmallDigitIsScaledUpTo20() throws RejectedImage {
        BufferedImage image = Images.drawn(12, 9, BufferedImage.TYPE_BYTE_GRAY, Color.WHITE, Color.BLACK, g -> g.fillRect(4, 1, 3, 5));
        int[] box = Images.boundingBox(convert(AUTO, image, "png"));
        assertEquals(20, box[3] - box[1] + 1);
        assertEquals(12, box[2] - box[0] + 1, "3x5 scaled by 4 is 12x20");
    }

    @Test
    void aColouredDigitOnColouredPaperBecomesTheSameDigit() throws RejectedImage {
        byte[] blackOnWhite = convert(AUTO, offCentreL(BufferedImage.TYPE_INT_RGB, Color.WHITE, Color.BLACK), "png");
        byte[] blueOnYellow = convert(AUTO, offCentreL(BufferedImage.TYPE_INT_RGB, new Color(250, 230, 120), new Color(20, 40, 160)), "png");
        byte[] yellowOnBlue = convert(AUTO, offCentreL(BufferedImage.TYPE_INT_RGB, new Color(20, 40, 160), new Color(250, 230, 120)), "png");
        assertArrayEquals(blackOnWhite, blueOnYellow, "the paper's colour is the background, whatever it is");
        assertArrayEquals(blackOnWhite, yellowOnBlue);
    }

    @Test
    void greyPaperAndAFaintPencilAreStretchedToMnistsContrast() throws RejectedImage {
        byte[] blackOnWhite = convert(AUTO, offCentreL(BufferedImage.TYPE_INT_RGB, Color.WHITE, Color.BLACK), "png");
        byte[] pencil = convert(AUTO, offCentreL(BufferedImage.TYPE_INT_RGB, new Color(205, 205, 205), new Color(120, 120, 120)), "png");
        assertArrayEquals(blackOnWhite, pencil);
    }

    @Test
    void transparentPaperIsNoInkWhateverTheInksColour() throws RejectedImage {
        byte[] blackOnWhite = convert(AUTO, offCentreL(BufferedImage.TYPE_INT_RGB, Color.WHITE, Color.BLACK), "png");
        Color clear = new Color(255, 255, 255, 0);
        Color clearBlack = new Color(0, 0, 0, 0);
        assertArrayEquals(blackOnWhite, convert(AUTO, offCentreL(BufferedImage.TYPE_INT_ARGB, clear, Color.BLACK), "png"));
        assertArrayEquals(blackOnWhite, convert(AUTO, offCentreL(BufferedImage.TYPE_INT_ARGB, clearBlack, Color.WHITE), "png"));
        assertArrayEquals(blackOnWhite, convert(AUTO, offCentreL(BufferedImage.TYPE_INT_ARGB, clear, Color.WHITE), "png"),
                "white ink on transparent white paper is still ink");
    }

    @Test
    void inversionIsASetting() throws RejectedImage {
        BufferedImage darkOnLight = offCentreL(BufferedImage.TYPE_INT_RGB, Color.WHITE, Color.BLACK);
        BufferedImage lightOnDark = offCentreL(BufferedImage.TYPE_INT_RGB, Color.BLACK, Color.WHITE);
        DigitImage invert = new DigitImage(Inversion.TRUE, 50_000_000);
        DigitImage keep = new DigitImage(Inversion.FALSE, 50_000_000);
        byte[] expected = convert(AUTO, darkOnLight, "png");
        assertArrayEquals(expected, convert(invert, darkOnLight, "png"));
        assertArrayEquals(expected, convert(keep, lightOnDark, "png"));
        assertArrayEquals(expected, convert(AUTO, lightOnDark, "png"));
        // Told the wrong way round, the paper would be the ink: nothing stands out from it, and the reason says what to check.
        String wrong = reason(keep, Images.encode(darkOnLight, "png"));
        assertTrue(wrong.startsWith("no digit") && wrong.contains("score.images.invert"), wrong);
    }

    /** Cases auto must judge right: the truth is whether the digit is dark on light paper. */
    enum Paper {
        WHITE_PAPER(true), BLACK_PAPER(false), OFF_WHITE_NOISY(true), DARK_GREY_NOISY(false), DIGIT_TOUCHING_THE_EDGE(true),
        LIGHT_DIGIT_TOUCHING_THE_EDGE(false), JPEG_WHITE_PAPER(true), JPEG_BLACK_PAPER(false);

        final boolean darkOnLight;

        Paper(boolean darkOnLight) {
            this.darkOnLight = darkOnLight;
        }
    }

    @ParameterizedTest
    @EnumSource(Paper.class)
    void autoTellsDarkOnLightFromTheBorder(Paper paper) throws RejectedImage {
        Random random = new Random(paper.ordinal());
        int paperGrey = paper.darkOnLight ? 200 + random.nextInt(50) : random.nextInt(50);
        int inkGrey = paper.darkOnLight ? random.nextInt(90) : 170 + random.nextInt(80);
        BufferedImage image = new BufferedImage(90, 120, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(paperGrey, paperGrey, paperGrey));
        g.fillRect(0, 0, 90, 120);
        if (paper.name().contains("NOISY")) {
            for (int i = 0; i < 3000; i++) {
                int v = Math.max(0, Math.min(255, paperGrey + (int) (random.nextGaussian() * 25)));
                image.setRGB(random.nextInt(90), random.nextInt(120), new Color(v, v, v).getRGB());
            }
        }
        g.setColor(new Color(inkGrey, inkGrey, inkGrey));
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setStroke(new BasicStroke(9));
        boolean touching = paper.name().contains("EDGE");
        // A "2": an arc, a diagonal and a base; touching the edge, the base runs off the bottom-left corner.
        g.drawArc(20, 15, 50, 45, 0, 180);
        g.drawLine(70, 38, touching ? 0 : 20, touching ? 119 : 100);
        g.drawLine(touching ? 0 : 20, touching ? 119 : 100, 75, touching ? 119 : 100);
        g.dispose();
        byte[] file = Images.encode(image, paper.name().startsWith("JPEG") ? "jpg" : "png");
        Picture picture = new ImageFileDecoder(50_000_000).decode(file);
        assertEquals(paper.darkOnLight, DigitImage.darkOnLight(picture), paper.name());
        // And whichever it was, the digit comes out white on black, in the middle.
        byte[] digit = AUTO.convert(file);
        assertEquals(0, digit[0] & 0xFF, "background");
        double[] mass = Images.centreOfMass(digit);
        assertEquals(14, mass[0], 0.5);
        assertEquals(14, mass[1], 0.5);
    }

    @Test
    void badFilesAreRejectedWithTheirReason() {
        byte[] png = Images.encode(offCentreL(BufferedImage.TYPE_INT_RGB, Color.WHITE, Color.BLACK), "png");
        byte[] jpeg = Images.encode(offCentreL(BufferedImage.TYPE_INT_RGB, Color.WHITE, Color.BLACK), "jpg");
        assertEquals("empty file", reason(AUTO, new byte[0]));
        assertTrue(reason(AUTO, "this is not a picture\n".getBytes()).startsWith("not an image"));
        String truncatedPng = reason(AUTO, Arrays.copyOf(png, png.length / 2));
        assertTrue(truncatedPng.startsWith("PNG data cannot be decoded"), truncatedPng);
        // Cut after its image data: javax.imageio alone would decode it as if it were whole.
        String cutShort = reason(AUTO, Arrays.copyOf(png, png.length - 12));
        assertEquals("PNG file is truncated: it ends before its IEND chunk", cutShort);
        String cutInIend = reason(AUTO, Arrays.copyOf(png, png.length - 3));
        assertEquals("PNG file is truncated: its IEND chunk needs 3 more bytes than the file has", cutInIend);
        byte[] trailing = Arrays.copyOf(png, png.length + 5);
        assertDoesNotThrow(() -> AUTO.convert(trailing), "bytes after IEND do not make a PNG truncated");
        String truncatedJpeg = reason(AUTO, Arrays.copyOf(jpeg, jpeg.length / 2));
        assertTrue(truncatedJpeg.startsWith("JPEG data"), truncatedJpeg);
        String huge = reason(new DigitImage(Inversion.AUTO, 10_000), png);
        assertTrue(huge.contains("160x100") && huge.contains("score.images.max-pixels"), huge);
        BufferedImage blank = new BufferedImage(50, 50, BufferedImage.TYPE_INT_RGB);
        assertTrue(reason(AUTO, Images.encode(blank, "png")).startsWith("no digit"));
    }

    @Test
    void formatsPhonesAndBrowsersSaveThatTheJdkCannotDecodeAreRejectedByName() {
        // The first bytes of each: an ISO base media ftyp box, a RIFF container.
        byte[] heic = java.nio.ByteBuffer.allocate(64).putInt(24).put("ftypheic".getBytes()).putInt(0).put("mif1heic".getBytes()).array();
        byte[] avif = java.nio.ByteBuffer.allocate(64).putInt(20).put("ftypavif".getBytes()).putInt(0).put("mif1".getBytes()).array();
        byte[] webp = java.nio.ByteBuffer.allocate(64).put("RIFF".getBytes()).putInt(Integer.reverseBytes(56)).put("WEBPVP8 ".getBytes()).array();
        assertTrue(reason(AUTO, heic).startsWith("HEIC/HEIF image (brand heic), which the JDK cannot decode; save or export it as JPEG"),
                reason(AUTO, heic));
        assertTrue(reason(AUTO, avif).startsWith("AVIF image (brand avif)"), reason(AUTO, avif));
        assertTrue(reason(AUTO, webp).startsWith("WebP image, which the JDK cannot decode"), reason(AUTO, webp));
        // An MP4 video has an ftyp box too, of another brand: not an image.
        byte[] mp4 = java.nio.ByteBuffer.allocate(64).putInt(24).put("ftypisom".getBytes()).array();
        assertTrue(reason(AUTO, mp4).startsWith("not an image"), reason(AUTO, mp4));
    }

    private static String reason(DigitImage conversion, byte[] file) {
        return assertThrows(RejectedImage.class, () -> conversion.convert(file)).getMessage();
    }
}
