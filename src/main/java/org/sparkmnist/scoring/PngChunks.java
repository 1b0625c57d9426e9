package org.sparkmnist.scoring;

/**
 * Whether a PNG file is whole. javax.imageio decodes a PNG whose image data happens to be complete
 * even when the file stops before its closing IEND chunk (a download or copy cut short), so a
 * truncated file could pass for a good one; walking the chunk lengths to IEND tells.
 */
final class PngChunks {

    private static final int SIGNATURE = 8;
    /** Length, type and CRC around each chunk's data. */
    private static final int FRAME = 12;

    private PngChunks() {
    }

    /** Null when the chunks run whole from the signature to IEND; otherwise what is missing. */
    static String truncation(byte[] png) {
        long at = SIGNATURE;
        // A chunk whose length and type are there can say how much of it is missing.
        while (at + 8 <= png.length) {
            long length = readInt(png, (int) at) & 0xFFFFFFFFL;
            String type = new String(png, (int) at + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
            long end = at + FRAME + length;
            if (end > png.length) {
                return "its " + type + " chunk needs " + (end - png.length) + " more bytes than the file has";
            }
            if (type.equals("IEND")) {
                return null;
            }
            at = end;
        }
        return "it ends before its IEND chunk";
    }

    private static int readInt(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
    }
}
