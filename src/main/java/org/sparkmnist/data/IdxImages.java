package org.sparkmnist.data;

/** The images of one idx3 file: {@code count} images of {@code rows x cols} unsigned bytes, row-major. */
public record IdxImages(String source, int count, int rows, int cols, byte[] pixels) {

    public int pixelsPerImage() {
        return rows * cols;
    }

    /** The pixels of images {@code indices[from..to)}, back to back in that order. */
    public byte[] gather(int[] indices, int from, int to) {
        int width = pixelsPerImage();
        byte[] gathered = new byte[(to - from) * width];
        for (int row = 0; row < to - from; row++) {
            System.arraycopy(pixels, indices[from + row] * width, gathered, row * width, width);
        }
        return gathered;
    }

    /** The images {@code indices}, in that order. */
    public IdxImages select(int[] indices) {
        return new IdxImages(source, indices.length, rows, cols, gather(indices, 0, indices.length));
    }
}
