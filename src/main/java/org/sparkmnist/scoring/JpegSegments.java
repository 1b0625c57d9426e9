package org.sparkmnist.scoring;

/**
 * The marker segments at the head of a JPEG file, from SOI up to the image data (SOS): where a JPEG
 * keeps its Exif data (APP1) and its frame header (SOF: size, components, baseline or progressive).
 * Every length is checked against the file, so a hostile file ends the walk instead of an index.
 */
final class JpegSegments {

    private static final int SOS = 0xDA;
    private static final int EOI = 0xD9;

    /** Sees one segment: its marker and its data, {@code bytes[start, end)}; returns true to stop the walk. */
    @FunctionalInterface
    interface Visitor {
        boolean visit(int marker, int start, int end);
    }

    /** A frame header: the picture's size and components, and whether it is coded progressively. */
    record Frame(int width, int height, int components, boolean progressive) {
    }

    private JpegSegments() {
    }

    static void walk(byte[] file, Visitor visitor) {
        int at = 2;
        while (at + 4 <= file.length && (file[at] & 0xFF) == 0xFF) {
            int marker = file[at + 1] & 0xFF;
            if (marker == 0xFF) {
                at++; // fill byte
                continue;
            }
            if (marker == SOS || marker == EOI) {
                return;
            }
            if (marker == 0x01 || marker >= 0xD0 && marker <= 0xD8) {
                at += 2; // a marker without a length
                continue;
            }
            int length = (file[at + 2] & 0xFF) << 8 | (file[at + 3] & 0xFF);
            if (length < 2) {
                return;
            }
            int end = Math.min(file.length, at + 2 + length);
            if (visitor.visit(marker, at + 4, end)) {
                return;
            }
            at = at + 2 + length;
        }
    }

    /** The first frame header (SOF0-SOF15 but DHT, JPG and DAC), or null when there is none before the image data. */
    static Frame frame(byte[] file) {
        Frame[] found = new Frame[1];
        walk(file, (marker, start, end) -> {
            boolean sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            if (sof && end - start >= 6) {
                int height = (file[start + 1] & 0xFF) << 8 | (file[start + 2] & 0xFF);
                int width = (file[start + 3] & 0xFF) << 8 | (file[start + 4] & 0xFF);
                // SOF2, 6, 10 and 14 are the progressive codings.
                boolean progressive = marker == 0xC2 || marker == 0xC6 || marker == 0xCA || marker == 0xCE;
                found[0] = new Frame(width, height, file[start + 5] & 0xFF, progressive);
                return true;
            }
            return false;
        });
        return found[0];
    }
}
