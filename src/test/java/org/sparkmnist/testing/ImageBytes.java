package org.sparkmnist.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * Image files put together byte by byte, as cameras, phones and editors write what the JDK's writers
 * do not: an EXIF orientation in a JPEG, PNG or TIFF, an Adobe marker in a JPEG, an animated PNG, and
 * a PNG too large to hold in memory, written row by row.
 */
public final class ImageBytes {

    private static final int PNG_SIGNATURE = 8;

    private ImageBytes() {
    }

    /** The smallest TIFF structure holding an orientation: one directory with tag 274, in {@code order}. */
    public static byte[] exifOrientation(int orientation, ByteOrder order) {
        ByteBuffer tiff = ByteBuffer.allocate(8 + 2 + 12 + 4).order(order);
        tiff.put(order == ByteOrder.LITTLE_ENDIAN ? new byte[] {'I', 'I'} : new byte[] {'M', 'M'});
        tiff.putShort((short) 42).putInt(8);
        tiff.putShort((short) 1);
        tiff.putShort((short) 274).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        tiff.putInt(0);
        return tiff.array();
    }

    /** {@code jpeg} with a segment ({@code marker}, then its data) inserted after SOI and any APP0 (JFIF) segment. */
    public static byte[] jpegWithSegment(byte[] jpeg, int marker, byte[] data) {
        int at = 2;
        if ((jpeg[2] & 0xFF) == 0xFF && (jpeg[3] & 0xFF) == 0xE0) {
            at += 2 + ((jpeg[4] & 0xFF) << 8 | (jpeg[5] & 0xFF));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, at);
        out.write(0xFF);
        out.write(marker);
        int length = data.length + 2;
        out.write(length >> 8);
        out.write(length & 0xFF);
        out.writeBytes(data);
        out.write(jpeg, at, jpeg.length - at);
        return out.toByteArray();
    }

    /** {@code jpeg} with an APP1 Exif segment recording {@code orientation}. */
    public static byte[] jpegWithOrientation(byte[] jpeg, int orientation) {
        byte[] tiff = exifOrientation(orientation, ByteOrder.BIG_ENDIAN);
        byte[] app1 = new byte[6 + tiff.length];
        System.arraycopy("Exif\0\0".getBytes(StandardCharsets.ISO_8859_1), 0, app1, 0, 6);
        System.arraycopy(tiff, 0, app1, 6, tiff.length);
        return jpegWithSegment(jpeg, 0xE1, app1);
    }

    /** {@code jpeg} with Adobe's APP14 marker saying how its four channels are coded: 0 CMYK, 2 YCCK. */
    public static byte[] jpegWithAdobeTransform(byte[] jpeg, int transform) {
        return jpegWithSegment(jpeg, 0xEE, new byte[] {'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, (byte) transform});
    }

    /** {@code png} with an eXIf chunk recording {@code orientation}, before its image data. */
    public static byte[] pngWithOrientation(byte[] png, int orientation) {
        return pngWithChunk(png, "eXIf", exifOrientation(orientation, ByteOrder.LITTLE_ENDIAN));
    }

    /** {@code png} with a chunk of {@code type} and {@code data} inserted before its image data. */
    public static byte[] pngWithChunk(byte[] png, String type, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int idat = firstChunk(png, "IDAT");
        out.write(png, 0, idat);
        out.writeBytes(pngChunk(type, data));
        out.write(png, idat, png.length - idat);
        return out.toByteArray();
    }

    /**
     * An animated PNG of two frames of the same size and colour type: {@code first}'s IHDR and image
     * data as the default image, which is also frame 1, then {@code second}'s image data as frame 2.
     * Both are PNG files of one IDAT chunk each, as the JDK's writer writes small images.
     */
    public static byte[] animatedPng(byte[] first, byte[] second) {
        ByteBuffer ihdr = ByteBuffer.wrap(first, PNG_SIGNATURE + 8, 8);
        int width = ihdr.getInt();
        int height = ihdr.getInt();
        int idat = firstChunk(first, "IDAT");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(first, 0, idat);
        out.writeBytes(pngChunk("acTL", ByteBuffer.allocate(8).putInt(2).putInt(0).array()));
        out.writeBytes(pngChunk("fcTL", frameControl(0, width, height)));
        int end = idat + 12 + ByteBuffer.wrap(first, idat, 4).getInt();
        out.write(first, idat, end - idat);
        out.writeBytes(pngChunk("fcTL", frameControl(1, width, height)));
        byte[] data = chunkData(second, "IDAT");
        byte[] frameData = ByteBuffer.allocate(4 + data.length).putInt(2).put(data).array();
        out.writeBytes(pngChunk("fdAT", frameData));
        out.writeBytes(pngChunk("IEND", new byte[0]));
        return out.toByteArray();
    }

    private static byte[] frameControl(int sequence, int width, int height) {
        // Sequence, size, offset (0, 0), delay 1/10 s, dispose none, blend source.
        return ByteBuffer.allocate(26).putInt(sequence).putInt(width).putInt(height).putInt(0).putInt(0)
                .putShort((short) 1).putShort((short) 10).put((byte) 0).put((byte) 0).array();
    }

    /** Fills the bytes of one row of a PNG (after its filter byte): {@code row} is the row's index from the top. */
    @FunctionalInterface
    public interface PngRow {
        void fill(int row, byte[] bytes);
    }

    /** Writes an 8-bit grey PNG of {@code width x height} pixels, all {@code grey}: see {@link #streamedPng}. */
    public static Path uniformGreyPng(Path file, int width, int height, int grey) {
        return streamedPng(file, width, height, 8, 0, 1, (y, row) -> Arrays.fill(row, (byte) grey));
    }

    /**
     * Writes a PNG of {@code width x height} pixels ({@code bitDepth}, {@code colourType} as its IHDR
     * says them, {@code bytesPerPixel} bytes a pixel) row by row through a deflater: nothing of the
     * image's size is ever in memory, and uniform rows compress to almost nothing.
     */
    public static Path streamedPng(Path file, int width, int height, int bitDepth, int colourType, int bytesPerPixel, PngRow rows) {
        try (OutputStream raw = Files.newOutputStream(file); DataOutputStream out = new DataOutputStream(raw)) {
            out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
            out.write(pngChunk("IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) bitDepth).put((byte) colourType)
                    .put((byte) 0).put((byte) 0).put((byte) 0).array()));
            ByteArrayOutputStream compressed = new ByteArrayOutputStream();
            byte[] row = new byte[width * bytesPerPixel];
            try (DeflaterOutputStream deflate = new DeflaterOutputStream(compressed, new Deflater(Deflater.BEST_COMPRESSION), 1 << 16)) {
                for (int y = 0; y < height; y++) {
                    rows.fill(y, row);
                    deflate.write(0); // filter: none
                    deflate.write(row);
                }
            }
            out.write(pngChunk("IDAT", compressed.toByteArray()));
            out.write(pngChunk("IEND", new byte[0]));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** A PNG chunk: length, type, data, and the CRC of type and data. */
    public static byte[] pngChunk(String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.ISO_8859_1);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        return ByteBuffer.allocate(12 + data.length).putInt(data.length).put(typeBytes).put(data).putInt((int) crc.getValue()).array();
    }

    private static int firstChunk(byte[] png, String type) {
        int at = PNG_SIGNATURE;
        while (at + 8 <= png.length) {
            if (new String(png, at + 4, 4, StandardCharsets.ISO_8859_1).equals(type)) {
                return at;
            }
            at += 12 + ByteBuffer.wrap(png, at, 4).getInt();
        }
        throw new IllegalArgumentException("no " + type + " chunk");
    }

    private static byte[] chunkData(byte[] png, String type) {
        int at = firstChunk(png, type);
        int length = ByteBuffer.wrap(png, at, 4).getInt();
        return Arrays.copyOfRange(png, at + 8, at + 8 + length);
    }
}
