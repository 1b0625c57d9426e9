package org.sparkmnist.model.updaters;

import java.nio.ByteBuffer;

/**
 * The fused updates one element at a time: what runs on a JVM without the Vector API, and on the
 * elements past the last whole vector where it runs.
 */
final class ScalarUpdateKernels implements UpdateKernels {

    @Override
    public void adam(ByteBuffer gradient, ByteBuffer m, ByteBuffer v, int length, float beta1, float beta2, float alpha, float epsilon) {
        adam(gradient, m, v, 0, length, beta1, beta2, alpha, epsilon);
    }

    @Override
    public void rmsProp(ByteBuffer gradient, ByteBuffer squares, int length, float decay, float rate, float epsilon) {
        rmsProp(gradient, squares, 0, length, decay, rate, epsilon);
    }

    /** Adam's step on the floats {@code from} (inclusive) to {@code to} (exclusive). */
    static void adam(ByteBuffer gradient, ByteBuffer m, ByteBuffer v, int from, int to, float beta1, float beta2, float alpha,
                     float epsilon) {
        for (int i = from; i < to; i++) {
            int at = i * Float.BYTES;
            float g = gradient.getFloat(at);
            float mi = beta1 * m.getFloat(at) + g * (1 - beta1);
            float vi = beta2 * v.getFloat(at) + g * g * (1 - beta2);
            m.putFloat(at, mi);
            v.putFloat(at, vi);
            gradient.putFloat(at, mi * alpha / ((float) Math.sqrt(vi) + epsilon));
        }
    }

    /** RMSprop's step on the floats {@code from} (inclusive) to {@code to} (exclusive). */
    static void rmsProp(ByteBuffer gradient, ByteBuffer squares, int from, int to, float decay, float rate, float epsilon) {
        for (int i = from; i < to; i++) {
            int at = i * Float.BYTES;
            float g = gradient.getFloat(at);
            float s = squares.getFloat(at) * decay + g * g * (1 - decay);
            squares.putFloat(at, s);
            gradient.putFloat(at, rate * g / ((float) Math.sqrt(s) + epsilon));
        }
    }

    @Override
    public String describe() {
        return "scalar";
    }
}
