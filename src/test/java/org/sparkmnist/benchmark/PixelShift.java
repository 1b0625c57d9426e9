package org.sparkmnist.benchmark;

import java.util.ArrayList;
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

    /**
     * Every shift of at most three pixels each way, 49 in all: {@link #COPIES} first, in their order,
     * then the others ring by ring (two pixels, then three), each ring top row to bottom row, left to
     * right. Three pixels is within MNIST's margin: its digits are fitted into the middle 20x20 of the
     * 28x28 image, so a digit moved this far keeps nearly all of its strokes and reads as the same digit.
     */
    public static final List<PixelShift> WITHIN_THREE = withinThree();

    private static List<PixelShift> withinThree() {
        List<PixelShift> shifts = new ArrayList<>(COPIES);
        for (int ring = 2; ring <= 3; ring++) {
            for (int dy = -ring; dy <= ring; dy++) {
                for (int dx = -ring; dx <= ring; dx++) {
                    if (Math.max(Math.abs(dx), Math.abs(dy)) != ring) {
                        continue;
                    }
                    int x = dx;
                    int y = dy;
                    if (shifts.stream().noneMatch(s -> s.dx() == x && s.dy() == y)) {
                        shifts.add(new PixelShift(dx, dy, name(dx, dy)));
                    }
                }
            }
        }
        return List.copyOf(shifts);
    }

    /** "right 3, up 1": the horizontal move, then the vertical one. */
    private static String name(int dx, int dy) {
        List<String> parts = new ArrayList<>();
        if (dx != 0) {
            parts.add((dx > 0 ? "right " : "left ") + Math.abs(dx));
        }
        if (dy != 0) {
            parts.add((dy > 0 ? "down " : "up ") + Math.abs(dy));
        }
        return String.join(", ", parts);
    }

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
