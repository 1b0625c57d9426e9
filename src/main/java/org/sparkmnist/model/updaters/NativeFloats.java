package org.sparkmnist.model.updaters;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The off-heap memory of an ND4J float vector, as a ByteBuffer the updater kernels read and write in place. */
final class NativeFloats {

    private NativeFloats() {
    }

    /**
     * A native-order buffer over {@code vector}'s elements, first to last; null unless it is a float vector
     * laid out contiguously (as DL4J's updater blocks hand out their gradient and state slices).
     */
    static ByteBuffer of(INDArray vector) {
        if (vector.dataType() != DataType.FLOAT || !vector.isVector() || vector.elementWiseStride() != 1
                || vector.length() > Integer.MAX_VALUE / Float.BYTES) {
            return null;
        }
        // The address of the array's first element, also for a view into a larger buffer.
        Pointer first = vector.data().addressPointer();
        return new BytePointer(first).capacity(vector.length() * Float.BYTES).asByteBuffer().order(ByteOrder.nativeOrder());
    }
}
