package org.sparkmnist.data;

/** The images of one idx3 file: {@code count} images of {@code rows x cols} unsigned bytes, row-major. */
public record IdxImages(String source, int count, int rows, int cols, byte[] pixels) {

    public int pixelsPerImage() {
        return rows * cols;
    }

    /** Pixel {@code p} of image {@code i} as 0..255. */
    public int pixel(int i, int p) {
        return pixels[i * pixelsPerImage() + p] & 0xFF;
    }
}
