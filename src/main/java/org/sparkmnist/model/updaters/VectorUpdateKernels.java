package org.sparkmnist.model.updaters;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The fused updates with the JDK's Vector API: as many floats per instruction as the CPU's widest
 * registers hold (16 with AVX-512), where libnd4j's loops run one at a time.
 */
final class VectorUpdateKernels implements UpdateKernels {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    @Override
    public void adam(ByteBuffer gradient, ByteBuffer m, ByteBuffer v, int length, float beta1, float beta2, float alpha, float epsilon) {
        int i = 0;
        for (int bound = SPECIES.loopBound(length); i < bound; i += SPECIES.length()) {
            int at = i * Float.BYTES;
            FloatVector g = FloatVector.fromByteBuffer(SPECIES, gradient, at, ORDER);
            FloatVector mi = FloatVector.fromByteBuffer(SPECIES, m, at, ORDER).mul(beta1).add(g.mul(1 - beta1));
            FloatVector vi = FloatVector.fromByteBuffer(SPECIES, v, at, ORDER).mul(beta2).add(g.mul(g).mul(1 - beta2));
            mi.intoByteBuffer(m, at, ORDER);
            vi.intoByteBuffer(v, at, ORDER);
            mi.mul(alpha).div(vi.sqrt().add(epsilon)).intoByteBuffer(gradient, at, ORDER);
        }
        ScalarUpdateKernels.adam(gradient, m, v, i, length, beta1, beta2, alpha, epsilon);
    }

    @Override
    public void rmsProp(ByteBuffer gradient, ByteBuffer squares, int length, float decay, float rate, float epsilon) {
        int i = 0;
        for (int bound = SPECIES.loopBound(length); i < bound; i += SPECIES.length()) {
            int at = i * Float.BYTES;
            FloatVector g = FloatVector.fromByteBuffer(SPECIES, gradient, at, ORDER);
            FloatVector s = FloatVector.fromByteBuffer(SPECIES, squares, at, ORDER).mul(decay).add(g.mul(g).mul(1 - decay));
            s.intoByteBuffer(squares, at, ORDER);
            g.mul(rate).div(s.sqrt().add(epsilon)).intoByteBuffer(gradient, at, ORDER);
        }
        ScalarUpdateKernels.rmsProp(gradient, squares, i, length, decay, rate, epsilon);
    }

    @Override
    public String describe() {
        return SPECIES.length() + "-lane SIMD (" + SPECIES.vectorBitSize() + "-bit)";
    }
}
