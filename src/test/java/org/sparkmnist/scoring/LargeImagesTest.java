package org.sparkmnist.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.plugins.tiff.BaselineTIFFTagSet;
import javax.imageio.plugins.tiff.TIFFDirectory;
import javax.imageio.plugins.tiff.TIFFField;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkmnist.config.Inversion;
import org.sparkmnist.testing.ImageBytes;
import org.sparkmnist.testing.Images;

/**
 * Images larger than a digit needs are decoded subsampled, never whole; larger than
 * score.images.max-pixels, or needing more than the decoder's buffer whatever the subsampling,
 * rejected from their header; files larger than score.images.max-file-bytes, rejected by their size.
 */
class LargeImagesTest {

    private static final DigitImage AUTO = new DigitImage(Inversion.AUTO, 50_000_000);

    @TempDir
    Path tmp;

    @Test
    void theSubsamplingStepIsTheSmallestThatKeepsTheDecodedPixelsWithinTheBudget() {
        int[][] sizes = {{100, 100}, {2048, 2048}, {2049, 2048}, {5000, 4000}, {7000, 7000}, {20000, 20000}, {1, 50_000_000},
                {50_000_000, 1}, {3, 16_000_000}};
        for (int[] size : sizes) {
            int step = ImageFileDecoder.subsampling(size[0], size[1]);
            assertTrue(decoded(size, step) <= ImageFileDecoder.DECODED_PIXELS, size[0] + "x" + size[1] + " by " + step);
            assertTrue(step == 1 || decoded(size, step - 1) > ImageFileDecoder.DECODED_PIXELS,
                    size[0] + "x" + size[1] + ": a step of " + (step - 1) + " would do");
        }
    }

    private static long decoded(int[] size, int step) {
        return (long) ((size[0] + step - 1) / step) * ((size[1] + step - 1) / step);
    }

    @Test
    void anImageLargerThanTheBudgetIsDecodedSubsampledAndStillTheDigitDrawn() throws RejectedImage {
        // 5000x4000: five times the budget; a "7" of strokes 300 pixels wide.
        BufferedImage large = Images.drawn(5000, 4000, BufferedImage.TYPE_BYTE_GRAY, Color.WHITE, Color.BLACK, g -> {
            g.fillRect(1500, 500, 2000, 400);
            g.fillPolygon(new int[] {3100, 3500, 2400, 2000}, new int[] {500, 900, 3600, 3600}, 4);
        });
        byte[] png = Images.encode(large, "png");
        Picture picture = new ImageFileDecoder(50_000_000).decode(png);
        int step = ImageFileDecoder.subsampling(5000, 4000);
        assertTrue(step > 1);
        assertEquals((5000 + step - 1) / step, picture.width());
        assertEquals((4000 + step - 1) / step, picture.height());

        BufferedImage small = Images.drawn(50, 40, BufferedImage.TYPE_BYTE_GRAY, Color.WHITE, Color.BLACK, g -> {
            g.fillRect(15, 5, 20, 4);
            g.fillPolygon(new int[] {31, 35, 24, 20}, new int[] {5, 9, 36, 36}, 4);
        });
        ImageColourModelsTest.assertClose(AUTO.convert(Images.encode(small, "png")), AUTO.convert(png));
    }

    /** A TIFF of {@code image}, deflated, in strips of {@code rowsPerStrip} rows (0: the writer's own choice). */
    private static byte[] tiff(BufferedImage image, int rowsPerStrip) {
        return Images.encode(image, "tiff", param -> {
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionType("Deflate");
        }, (writer, param) -> {
            TIFFDirectory directory = TIFFDirectory.createFromMetadata(writer.getDefaultImageMetadata(new ImageTypeSpecifier(image), param));
            if (rowsPerStrip > 0) {
                directory.addTIFFField(new TIFFField(BaselineTIFFTagSet.getInstance().getTag(BaselineTIFFTagSet.TAG_ROWS_PER_STRIP), rowsPerStrip));
            }
            return directory.getAsMetadata();
        });
    }

    @Test
    void aTiffWhoseOneStripInflatesBeyondTheBufferIsRejectedAndTheSameInSmallStripsDecoded() throws IOException, RejectedImage {
        // 6000x6000 RGBA: 144 MB in one strip, more than the decoder may hold beside the image.
        BufferedImage image = Images.drawn(6000, 6000, BufferedImage.TYPE_4BYTE_ABGR, Color.WHITE, Color.BLACK,
                g -> g.fillRect(2700, 600, 600, 4800));
        String reason = assertThrows(RejectedImage.class, () -> AUTO.convert(tiff(image, 6000))).getMessage();
        assertTrue(reason.startsWith("TIFF image stored in strips or tiles of 6000x6000 pixels (144000000 bytes each) cannot be decoded within"),
                reason);
        Picture picture = new ImageFileDecoder(50_000_000).decode(tiff(image, 0));
        assertEquals((6000 + ImageFileDecoder.subsampling(6000, 6000) - 1) / ImageFileDecoder.subsampling(6000, 6000), picture.width());
    }

    @Test
    void aProgressiveJpegTooLargeForItsCoefficientsIsRejectedFromItsHeader() throws IOException, RejectedImage {
        BufferedImage small = Images.drawn(60, 80, BufferedImage.TYPE_INT_RGB, Color.WHITE, Color.BLACK, g -> g.fillRect(25, 10, 9, 60));
        byte[] progressive = Images.encode(small, "jpeg", param -> param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT),
                (writer, param) -> null);
        ImageColourModelsTest.assertClose(AUTO.convert(Images.encode(small, "png")), AUTO.convert(progressive));
        // The same file, its frame header claiming 6000x6000: 216 MB of coefficients before a pixel comes out.
        byte[] claimed = progressive.clone();
        int sof = indexOf(claimed, (byte) 0xFF, (byte) 0xC2);
        claimed[sof + 5] = (byte) (6000 >> 8);
        claimed[sof + 6] = (byte) (6000 & 0xFF);
        claimed[sof + 7] = (byte) (6000 >> 8);
        claimed[sof + 8] = (byte) (6000 & 0xFF);
        String reason = assertThrows(RejectedImage.class, () -> AUTO.convert(claimed)).getMessage();
        assertTrue(reason.startsWith("progressive JPEG of 6000x6000 pixels needs 216000000 bytes of coefficients"), reason);
    }

    private static int indexOf(byte[] bytes, byte first, byte second) {
        for (int i = 0; i + 1 < bytes.length; i++) {
            if (bytes[i] == first && bytes[i + 1] == second) {
                return i;
            }
        }
        throw new AssertionError("no marker");
    }

    @Test
    void anImageOfMorePixelsThanAllowedIsRejectedFromItsHeader() throws IOException {
        // 20,000 x 20,000 grey pixels: 400 MB decoded, a few hundred KB as a file.
        Path huge = ImageBytes.uniformGreyPng(tmp.resolve("huge.png"), 20_000, 20_000, 255);
        byte[] file = Files.readAllBytes(huge);
        assertTrue(file.length < 1 << 20, file.length + " bytes");
        String reason = assertThrows(RejectedImage.class, () -> AUTO.convert(file)).getMessage();
        assertEquals("PNG image of 20000x20000 pixels is larger than 50000000 pixels (score.images.max-pixels)", reason);
    }

    @Test
    void aFileLargerThanAllowedIsRejectedByItsSize() {
        DigitImage small = new DigitImage(Inversion.AUTO, 50_000_000, 100);
        String reason = assertThrows(RejectedImage.class, () -> small.checkFileSize(101)).getMessage();
        assertEquals("file of 101 bytes is larger than 100 bytes (score.images.max-file-bytes)", reason);
        byte[] png = Images.encode(Images.drawn(60, 80, BufferedImage.TYPE_INT_RGB, Color.WHITE, Color.BLACK, g -> g.fillRect(20, 10, 9, 60)),
                "png");
        assertTrue(png.length > 100, png.length + " bytes");
        assertEquals(reason.replace("101", String.valueOf(png.length)),
                assertThrows(RejectedImage.class, () -> small.convert(png)).getMessage(), "bytes in memory are held to it too");
    }
}
