package org.sparkmnist.training;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import org.bytedeco.javacpp.BytePointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Writes an ND4J array as its type, shape and one bulk copy of its bytes. Every averaging round moves
 * the parameters and the updater state to the workers and back; ND4J's own serialization (Java's and
 * its Kryo registrator's alike) writes them one element at a time, which made it the largest cost of a
 * round (docs/BENCHMARKS.md, "Cheaper averaging rounds"). A bulk copy is the same bytes in one memcpy.
 */
final class BulkArraySerializer extends Serializer<INDArray> {

    @Override
    public void write(Kryo kryo, Output output, INDArray array) {
        output.writeString(array.dataType().name());
        long[] shape = array.shape();
        output.writeInt(shape.length, true);
        for (long dim : shape) {
            output.writeLong(dim, true);
        }
        if (array.isEmpty()) {
            return;
        }
        // One contiguous block in 'c' order: a view, an 'f'-ordered array or a buffer shared with others is copied first.
        INDArray block = array.isView() || array.ordering() != 'c' || array.data().length() != array.length() ? array.dup('c') : array;
        byte[] bytes = new byte[Math.toIntExact(block.length() * block.dataType().width())];
        new BytePointer(block.data().addressPointer()).capacity(bytes.length).asByteBuffer().get(bytes);
        output.writeInt(bytes.length, true);
        output.writeBytes(bytes);
    }

    @Override
    public INDArray read(Kryo kryo, Input input, Class<INDArray> type) {
        DataType dataType = DataType.valueOf(input.readString());
        long[] shape = new long[input.readInt(true)];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = input.readLong(true);
        }
        boolean empty = shape.length > 0 && java.util.Arrays.stream(shape).anyMatch(d -> d == 0);
        if (empty) {
            return Nd4j.create(dataType, shape);
        }
        byte[] bytes = input.readBytes(input.readInt(true));
        // Detached: a task's result or a broadcast outlives any workspace open when it is read.
        INDArray array = Nd4j.createUninitializedDetached(dataType, 'c', shape);
        new BytePointer(array.data().addressPointer()).capacity(bytes.length).asByteBuffer().put(bytes);
        return array;
    }
}
