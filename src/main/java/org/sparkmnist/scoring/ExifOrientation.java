package org.sparkmnist.scoring;

import java.nio.charset.StandardCharsets;

/**
 * The EXIF orientation (TIFF tag 274) a phone or camera records instead of turning the pixels: 1 is
 * upright as stored; 2-8 say which turn or mirror shows the picture as the person who took it saw
 * it. It is read from the file's own bytes, where each format keeps it: a JPEG's APP1 "Exif"
 * segment, a TIFF file's first directory, a PNG's eXIf chunk. The JDK's readers ignore it.
 * Missing, malformed or out of range, it is 1, as image viewers take it: a broken tag is no reason
 * to reject a picture that decodes.
 */
final class ExifOrientation {

    static final int UPRIGHT = 1;

    private static final int TAG = 274;
    private static final int SHORT = 3;
    private static final int MAX = 8;

    private ExifOrientation() {
    }

    /** The orientation recorded in {@code file}, a file of {@code format} (its reader's first format name, upper case: "JPEG", "TIF", "PNG"). */
    static int of(String format, byte[] file) {
        return switch (format) {
            case "JPEG" -> jpeg(file);
            case "TIF", "TIFF" -> tiff(file, 0, file.length);
            case "PNG" -> png(file);
            default -> UPRIGHT;
        };
    }

    /** The APP1 segment starting "Exif\0\0" holds a TIFF structure. */
    private static int jpeg(byte[] file) {
        int[] orientation = {UPRIGHT};
        JpegSegments.walk(file, (marker, start, end) -> {
            if (marker == 0xE1 && startsWith(file, start, end, "Exif\0\0")) {
                orientation[0] = tiff(file, start + 6, end);
                return true;
            }
            return false;
        });
        return orientation[0];
    }

    /** Walks the chunks to IEND, looking for eXIf, whose data is a TIFF structure. */
    private static int png(byte[] file) {
        long at = 8;
        while (at + 8 <= file.length) {
            long length = unsigned32(file, (int) at, false);
            String type = new String(file, (int) at + 4, 4, StandardCharsets.ISO_8859_1);
            long end = at + 12 + length;
            if (type.equals("eXIf")) {
                return tiff(file, (int) at + 8, (int) Math.min(at + 8 + length, file.length));
            }
            if (type.equals("IEND")) {
                break;
            }
            at = end;
        }
        return UPRIGHT;
    }

    /**
     * Tag 274 of the first image directory of the TIFF structure in {@code bytes[start, end)}: byte order
     * ("II" little-endian, "MM" big-endian), 42, the directory's offset from {@code start}, then its
     * 12-byte entries (tag, type, count, value). Every offset is checked against {@code end}.
     */
    private static int tiff(byte[] bytes, int start, int end) {
        if (end - start < 8) {
            return UPRIGHT;
        }
        boolean little;
        if (bytes[start] == 'I' && bytes[start + 1] == 'I') {
            little = true;
        } else if (bytes[start] == 'M' && bytes[start + 1] == 'M') {
            little = false;
        } else {
            return UPRIGHT;
        }
        if (unsigned16(bytes, start + 2, little) != 42) {
            return UPRIGHT;
        }
        long directory = start + unsigned32(bytes, start + 4, little);
        if (directory + 2 > end) {
            return UPRIGHT;
        }
        int entries = unsigned16(bytes, (int) directory, little);
        for (int i = 0; i < entries; i++) {
            long entry = directory + 2 + 12L * i;
            if (entry + 12 > end) {
                return UPRIGHT;
            }
            if (unsigned16(bytes, (int) entry, little) == TAG) {
                int value = unsigned16(bytes, (int) entry + 8, little);
                boolean valid = unsigned16(bytes, (int) entry + 2, little) == SHORT && value >= UPRIGHT && value <= MAX;
                return valid ? value : UPRIGHT;
            }
        }
        return UPRIGHT;
    }

    /**
     * {@code picture} as it is meant to be seen under {@code orientation}. Each displayed pixel (x, y)
     * is taken from the stored one the tag maps it to; 5-8 swap width and height.
     */
    static Picture apply(int orientation, Picture picture) {
        if (orientation <= UPRIGHT || orientation > MAX) {
            return picture;
        }
        int w = picture.width();
        int h = picture.height();
        boolean swapped = orientation >= 5;
        int outWidth = swapped ? h : w;
        int outHeight = swapped ? w : h;
        float[] luminance = new float[w * h];
        float[] alpha = new float[w * h];
        for (int y = 0; y < outHeight; y++) {
            for (int x = 0; x < outWidth; x++) {
                int source = switch (orientation) {
                    case 2 -> y * w + (w - 1 - x);               // mirrored left to right
                    case 3 -> (h - 1 - y) * w + (w - 1 - x);     // upside down
                    case 4 -> (h - 1 - y) * w + x;               // mirrored top to bottom
                    case 5 -> x * w + y;                         // mirrored along the main diagonal
                    case 6 -> (h - 1 - x) * w + y;               // stored turned a quarter anticlockwise
                    case 7 -> (h - 1 - x) * w + (w - 1 - y);     // mirrored along the other diagonal
                    default -> x * w + (w - 1 - y);              // 8: stored turned a quarter clockwise
                };
                luminance[y * outWidth + x] = picture.luminance()[source];
                alpha[y * outWidth + x] = picture.alpha()[source];
            }
        }
        return new Picture(outWidth, outHeight, luminance, alpha, picture.grey());
    }

    private static boolean startsWith(byte[] bytes, int at, int end, String prefix) {
        if (at + prefix.length() > Math.min(end, bytes.length)) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (bytes[at + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int unsigned16(byte[] b, int at, boolean little) {
        if (at < 0 || at + 2 > b.length) {
            return -1;
        }
        int first = b[at] & 0xFF;
        int second = b[at + 1] & 0xFF;
        return little ? second << 8 | first : first << 8 | second;
    }

    private static long unsigned32(byte[] b, int at, boolean little) {
        if (at < 0 || at + 4 > b.length) {
            return Integer.MAX_VALUE;
        }
        long high = unsigned16(b, little ? at + 2 : at, little);
        long low = unsigned16(b, little ? at : at + 2, little);
        return high << 16 | low;
    }
}
