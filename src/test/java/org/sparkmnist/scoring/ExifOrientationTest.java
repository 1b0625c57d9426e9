package org.sparkmnist.scoring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.geom.AffineTransform;
import java.awt.image.AffineTransformOp;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.plugins.tiff.BaselineTIFFTagSet;
import javax.imageio.plugins.tiff.TIFFDirectory;
import javax.imageio.plugins.tiff.TIFFField;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sparkmnist.config.Inversion;
import org.sparkmnist.testing.ImageBytes;
import org.sparkmnist.testing.Images;

/**
 * A "7" as a phone stores it, turned or mirrored, with the EXIF orientation that tells a viewer how
 * to show it upright: scored as the upright "7" it shows. The stored pixels are made from the
 * upright picture with Java2D's own affine transforms, the inverse of what each orientation means.
 */
class ExifOrientationTest {

    private static final DigitImage AUTO = new DigitImage(Inversion.AUTO, 50_000_000);

    private static BufferedImage upright;
    private static byte[] expected;

    @BeforeAll
    static void anUprightSeven() throws RejectedImage {
        upright = Images.drawn(60, 80, BufferedImage.TYPE_INT_RGB, Color.WHITE, Color.BLACK, g -> {
            g.fillRect(10, 10, 40, 8);
            g.fillPolygon(new int[] {42, 50, 28, 20}, new int[] {10, 18, 72, 72}, 4);
        });
        expected = AUTO.convert(Images.encode(upright, "png"));
    }

    /**
     * What orientation {@code tag} means, as EXIF defines it: the transform from the stored pixels
     * ({@code storedWidth x storedHeight}) to the picture as it is shown (6: turn a quarter clockwise).
     */
    private static AffineTransform shown(int tag, int storedWidth, int storedHeight) {
        int w = storedWidth;
        int h = storedHeight;
        return switch (tag) {
            case 1 -> new AffineTransform();
            case 2 -> new AffineTransform(-1, 0, 0, 1, w, 0);
            case 3 -> new AffineTransform(-1, 0, 0, -1, w, h);
            case 4 -> new AffineTransform(1, 0, 0, -1, 0, h);
            case 5 -> new AffineTransform(0, 1, 1, 0, 0, 0);
            case 6 -> new AffineTransform(0, 1, -1, 0, h, 0);
            case 7 -> new AffineTransform(0, -1, -1, 0, h, w);
            case 8 -> new AffineTransform(0, -1, 1, 0, 0, w);
            default -> throw new IllegalArgumentException("orientation " + tag);
        };
    }

    /** The pixels a camera stores for the upright picture under orientation {@code tag}. */
    private static BufferedImage stored(int tag) throws Exception {
        boolean swapped = tag >= 5;
        int w = swapped ? upright.getHeight() : upright.getWidth();
        int h = swapped ? upright.getWidth() : upright.getHeight();
        BufferedImage stored = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        new AffineTransformOp(shown(tag, w, h).createInverse(), AffineTransformOp.TYPE_NEAREST_NEIGHBOR).filter(upright, stored);
        return stored;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void aPngWithAnExifChunkIsScoredAsItIsShown(int tag) throws Exception {
        byte[] png = Images.encode(stored(tag), "png");
        assertArrayEquals(expected, AUTO.convert(ImageBytes.pngWithOrientation(png, tag)), "orientation " + tag);
        if (tag > 1) {
            assertFalse(Arrays.equals(expected, AUTO.convert(png)), "without its tag the stored picture is another shape");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 6, 8})
    void aJpegWithAnExifSegmentIsScoredAsItIsShown(int tag) throws Exception {
        byte[] jpeg = Images.encode(stored(tag), "jpg");
        ImageColourModelsTest.assertClose(expected, AUTO.convert(ImageBytes.jpegWithOrientation(jpeg, tag)));
    }

    @Test
    void aTiffWithAnOrientationTagIsScoredAsItIsShown() throws Exception {
        BufferedImage stored = stored(8);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("tiff").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            TIFFDirectory directory = TIFFDirectory.createFromMetadata(writer.getDefaultImageMetadata(new ImageTypeSpecifier(stored), param));
            directory.addTIFFField(new TIFFField(BaselineTIFFTagSet.getInstance().getTag(BaselineTIFFTagSet.TAG_ORIENTATION), 8));
            writer.write(null, new IIOImage(stored, null, directory.getAsMetadata()), param);
        } finally {
            writer.dispose();
        }
        assertArrayEquals(expected, AUTO.convert(out.toByteArray()));
    }

    @Test
    void aBrokenOrOutOfRangeTagLeavesThePictureAsStored() throws Exception {
        byte[] png = Images.encode(upright, "png");
        assertArrayEquals(expected, AUTO.convert(ImageBytes.pngWithOrientation(png, 9)), "9 is no orientation");
        byte[] jpeg = Images.encode(upright, "jpg");
        byte[] brokenExif = ImageBytes.jpegWithSegment(jpeg, 0xE1, "Exif\0\0MM\0*\u007f\u007f\u007f\u007f".getBytes("ISO-8859-1"));
        ImageColourModelsTest.assertClose(expected, AUTO.convert(brokenExif));
    }

    @Test
    void aJpegWithItsTagStillNeedsIt() throws Exception {
        // The check above is worth something only if a turned "7" scores differently when its tag is ignored.
        byte[] jpeg = Images.encode(stored(6), "jpg");
        byte[] asStored = AUTO.convert(jpeg);
        double difference = 0;
        for (int i = 0; i < expected.length; i++) {
            difference += Math.abs((expected[i] & 0xFF) - (asStored[i] & 0xFF));
        }
        assertTrue(difference / expected.length > 20, "mean difference " + difference / expected.length);
    }
}
