package org.sparkmnist.model.updaters;

import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pass over a block of parameters per optimizer step: read the gradient and the optimizer's
 * state, write the new state and, in place of the gradient, the update DL4J then subtracts from the
 * parameters. The buffers hold {@code length} native-order floats each.
 */
interface UpdateKernels {

    /** Adam, as libnd4j computes it: m and v decay, then update = m·alpha / (sqrt(v) + epsilon). */
    void adam(ByteBuffer gradient, ByteBuffer m, ByteBuffer v, int length, float beta1, float beta2, float alpha, float epsilon);

    /** RMSprop, as libnd4j computes it: s decays towards g², then update = rate·g / (sqrt(s) + epsilon). */
    void rmsProp(ByteBuffer gradient, ByteBuffer squares, int length, float decay, float rate, float epsilon);

    /** A short name for the log. */
    String describe();

    /** SIMD kernels when the JVM was started with the Vector API's module, else the same pass one element at a time. */
    UpdateKernels BEST = Choice.best();

    /** Picks the kernels once per JVM. */
    final class Choice {

        static final String VECTOR_MODULE = "jdk.incubator.vector";

        private static final Logger LOG = LoggerFactory.getLogger(UpdateKernels.class);

        private Choice() {
        }

        private static UpdateKernels best() {
            if (ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent()) {
                try {
                    // Loaded by name: linking the class fails on a JVM without the module.
                    UpdateKernels vector = (UpdateKernels) Class.forName("org.sparkmnist.model.updaters.VectorUpdateKernels")
                            .getDeclaredConstructor().newInstance();
                    LOG.info("optimizer updates: one {} pass per step", vector.describe());
                    return vector;
                } catch (ReflectiveOperationException | LinkageError unusable) {
                    LOG.warn("optimizer updates: the Vector API could not be used ({}); falling back to a scalar loop", unusable.toString());
                }
            } else {
                LOG.info("optimizer updates: one scalar pass per step (start the JVM with --add-modules={} for SIMD)", VECTOR_MODULE);
            }
            return new ScalarUpdateKernels();
        }
    }
}
