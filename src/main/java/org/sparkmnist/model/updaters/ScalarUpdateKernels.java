package org.sparkmnist.model.updaters;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;

/** The fused updates one element at a time: what runs on a JVM without the Vector API. */
final class ScalarUpdateKernels implements UpdateKernels {

    @Override
    public void adam(ByteBuffer gradient, ByteBuffer m, ByteBuffer v, int length, float beta1, float beta2, float alpha, float epsilon) {
        FloatBuffer g = gradient.asFloatBuffer();
        FloatBuffer first = m.asFloatBuffer();
        FloatBuffer second = v.asFloatBuffer();
        for (int i = 0; i < length; i++) {
            float gi = g.get(i);
            float mi = beta1 * first.get(i) + gi * (1 - beta1);
            float vi = beta2 * second.get(i) + gi * gi * (1 - beta2);
            first.put(i, mi);
            second.put(i, vi);
            g.put(i, mi * alpha / ((float) Math.sqrt(vi) + epsilon));
        }
    }

    @Override
    public void rmsProp(ByteBuffer gradient, ByteBuffer squares, int length, float decay, float rate, float epsilon) {
        FloatBuffer g = gradient.asFloatBuffer();
        FloatBuffer s = squares.asFloatBuffer();
        for (int i = 0; i < length; i++) {
            float gi = g.get(i);
            float si = s.get(i) * decay + gi * gi * (1 - decay);
            s.put(i, si);
            g.put(i, rate * gi / ((float) Math.sqrt(si) + epsilon));
        }
    }

    @Override
    public String describe() {
        return "scalar";
    }
}
