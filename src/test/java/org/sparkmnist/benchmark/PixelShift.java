package org.sparkmnist.benchmark;

import java.util.List;

/**
 * Moves an image by whole pixels: {@code dx} to the right (negative: left) and {@code dy} down
 * (negative: up). Pixels moved past an edge are dropped and the ones uncovered are 0, MNIST's
 * background, so a shifted digit is still a plausible digit of the same class.
 */
public record PixelShift(int dx, int dy, String name) {

    /**
     * The shifts of the scaled datasets' copies, in order: none (the original), then one pixel right,
     * left, down, up, down-right, down-left, up-right, up-left, then the same eight by two pixels.
     */
    public static final List<PixelShift> COPIES = List.of(
            new PixelShift(0, 0, "original"),
            new PixelShift(1, 0, "right 1"), new PixelShift(-1, 0, "left 1"),
            new PixelShift(0, 1, "down 1"), new PixelShift(0, -1, "up 1"),
            new PixelShift(1, 1, "down-right 1"), new PixelShift(-1, 1, "down-left 1"),
            new PixelShift(1, -1, "up-right 1"), new PixelShift(-1, -1, "up-left 1"),
            new PixelShift(2, 0, "right 2"), new PixelShift(-2, 0, "left 2"),
            new PixelShift(0, 2, "down 2"), new PixelShift(0, -2, "up 2"),
            new PixelShift(2, 2, "down-right 2"), new PixelShift(-2, 2, "down-left 2"),
            new PixelShift(2, -2, "up-right 2"), new PixelShift(-2, -2, "up-left 2"));

    /** Writes the shifted {@code source} (rows x cols, row-major) into {@code target}. */
    public void apply(byte[] source, byte[] target, int rows, int cols) {
        for (int row = 0; row < rows; row++) {
            int from = row - dy;
            for (int col = 0; col < cols; col++) {
                int fromCol = col - dx;
                boolean inside = from >= 0 && from < rows && fromCol >= 0 && fromCol < cols;
                target[row * cols + col] = inside ? source[from * cols + fromCol] : 0;
            }
        }
    }
}
