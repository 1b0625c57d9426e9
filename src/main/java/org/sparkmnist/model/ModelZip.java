package org.sparkmnist.model;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The model.zip of every network the job saves (a run's models, checkpoints, the model scoring ships to
 * its executors) and reads: a stock DL4J model, the zip {@link ModelSerializer#writeModel} writes for
 * the same network built from DL4J's own classes, which any DL4J program opens with
 * {@link ModelSerializer#restoreMultiLayerNetwork}. The configuration it holds names DL4J's classes
 * ({@link StockFormat}); reading switches the project's fast layers and optimizers back in.
 *
 * <p>Written faster than ModelSerializer writes it: the job checkpoints every epoch while the workers
 * wait for the driver, and ModelSerializer deflates the parameters and updater state (trained floats,
 * which barely compress) and writes them one number at a time. Here the entries are stored uncompressed
 * and float arrays written in one pass.
 */
public final class ModelZip {

    /** Floats converted to big-endian bytes per chunk (256 KiB). */
    private static final int CHUNK_FLOATS = 1 << 16;

    private ModelZip() {
    }

    /**
     * {@code network}'s configuration (in DL4J's stock classes), parameters and, with {@code withUpdater},
     * updater state, as a ModelSerializer zip.
     */
    public static void write(MultiLayerNetwork network, OutputStream out, boolean withUpdater) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out);
        zip.setLevel(Deflater.NO_COMPRESSION);
        zip.putNextEntry(new ZipEntry(ModelSerializer.CONFIGURATION_JSON));
        zip.write(StockFormat.toStock(network.getLayerWiseConfigurations()).toJson().getBytes(StandardCharsets.UTF_8));
        DataOutputStream data = new DataOutputStream(new BufferedOutputStream(zip, 1 << 16));
        zip.putNextEntry(new ZipEntry(ModelSerializer.COEFFICIENTS_BIN));
        writeArray(network.params(), data);
        data.flush();
        INDArray updaterState = withUpdater && network.getUpdater() != null ? network.getUpdater().getStateViewArray() : null;
        if (updaterState != null && updaterState.length() > 0) {
            zip.putNextEntry(new ZipEntry(ModelSerializer.UPDATER_BIN));
            writeArray(updaterState, data);
            data.flush();
        }
        zip.finish();
    }

    /**
     * The network of a model.zip, with the project's layers and optimizers switched in wherever they
     * compute the same as DL4J's (see {@link StockFormat}), and with {@code withUpdater} its updater state
     * when it holds one. Reads what ModelSerializer writes for a MultiLayerNetwork of stock DL4J, this
     * job's zips, and those of earlier versions, which named the project's classes.
     */
    public static MultiLayerNetwork read(InputStream in, boolean withUpdater) throws IOException {
        String configuration = null;
        INDArray params = null;
        INDArray updaterState = null;
        ZipInputStream zip = new ZipInputStream(new BufferedInputStream(in));
        for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
            switch (entry.getName()) {
                case ModelSerializer.CONFIGURATION_JSON -> configuration = new String(zip.readAllBytes(), StandardCharsets.UTF_8);
                case ModelSerializer.COEFFICIENTS_BIN -> params = readArray(zip, entry);
                case ModelSerializer.UPDATER_BIN -> updaterState = withUpdater ? readArray(zip, entry) : null;
                // A normalizer or preprocessor ModelSerializer may hold: the job's own encoding is the run's data.normalize.
                default -> { }
            }
        }
        if (configuration == null || params == null) {
            throw new IOException("not a DL4J model: it holds no " + (configuration == null ? ModelSerializer.CONFIGURATION_JSON
                    : ModelSerializer.COEFFICIENTS_BIN));
        }
        MultiLayerNetwork network = new MultiLayerNetwork(StockFormat.toFast(MultiLayerConfiguration.fromJson(configuration)));
        network.init(params, false);
        if (updaterState != null) {
            network.getUpdater().setStateViewArray(network, updaterState, false);
        }
        return network;
    }

    /** The array {@link Nd4j#write(INDArray, DataOutputStream)} wrote into {@code entry}, the zip's current one. */
    private static INDArray readArray(ZipInputStream zip, ZipEntry entry) throws IOException {
        try {
            // Nd4j.read takes a number at a time: buffered, that is a few method calls each instead of a read of the zip each.
            return Nd4j.read(new DataInputStream(new BufferedInputStream(zip, 1 << 16)));
        } catch (RuntimeException e) {
            throw new IOException(entry.getName() + " is not an ND4J array (" + e.getMessage() + ")", e);
        }
    }

    /** The bytes {@link Nd4j#write(INDArray, DataOutputStream)} writes for {@code array}; float data in bulk. */
    static void writeArray(INDArray array, DataOutputStream out) throws IOException {
        INDArray whole = array.isView() ? array.dup() : array;
        DataBuffer buffer = whole.data();
        if (buffer.dataType() != DataType.FLOAT) {
            Nd4j.write(whole, out);
            return;
        }
        whole.shapeInfoDataBuffer().write(out);
        // BaseDataBuffer.write's header, then its elements as DataOutputStream.writeFloat would write them.
        out.writeUTF(buffer.allocationMode().name());
        out.writeLong(buffer.length());
        out.writeUTF(buffer.dataType().name());
        FloatBuffer floats = buffer.asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
        floats.limit((int) buffer.length());
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK_FLOATS * Float.BYTES).order(ByteOrder.BIG_ENDIAN);
        FloatBuffer chunkFloats = chunk.asFloatBuffer();
        while (floats.hasRemaining()) {
            int n = Math.min(CHUNK_FLOATS, floats.remaining());
            chunkFloats.clear();
            chunkFloats.put(floats.slice().limit(n));
            floats.position(floats.position() + n);
            out.write(chunk.array(), 0, n * Float.BYTES);
        }
    }
}
