package org.sparkmnist.scoring;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.image.ImageSchema;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The kinds of input column {@link MnistClassifierModel} reads, told apart by the column's type
 * alone, so that a wrong column is refused by {@code transformSchema} before any data moves; and how
 * each kind's value becomes a digit's 784 pixels (0..255, MNIST's white on black).
 */
enum ClassifierInput {

    /** A struct of Spark's image schema, as the {@code image} data source reads files. */
    IMAGE("Spark's image schema (the image data source)"),
    /** The bytes of an image file, as the {@code binaryFile} data source's {@code content}. */
    ENCODED("binary: the bytes of an image file (the binaryFile data source's content)"),
    /**
     * The pixels themselves, a byte each: a binary column whose metadata says so ({@link #pixelBytes()}),
     * as the scoring job reads idx files, so that a row carries its image as it lies in the file and
     * not as a Vector of doubles that Spark converts on every hand-over.
     */
    PIXEL_BYTES("binary with column metadata \"" + ClassifierInput.PIXEL_BYTES_KEY + "\": true: the pixels 0..255, a byte each, as in an idx file"),
    /** An ML Vector of the pixels. */
    VECTOR("an ML Vector of 784 pixels, 0..255"),
    /** An array of numbers, the pixels. */
    ARRAY("an array of 784 numbers, the pixels 0..255");

    /** OpenCV's type codes for 8-bit images of 1, 3 and 4 channels, the only ones Spark's image source writes. */
    private static final List<Integer> EIGHT_BIT_MODES = List.of(0, 16, 24);

    /** The metadata key that marks a binary column as pixels, not as an encoded file. */
    static final String PIXEL_BYTES_KEY = "mnist_pixel_bytes";

    private final String description;

    ClassifierInput(String description) {
        this.description = description;
    }

    /** The kind of {@code column}, or an IllegalArgumentException naming it, its type and the kinds that are read. */
    static ClassifierInput of(StructField column) {
        DataType type = column.dataType();
        if (type instanceof StructType struct && sameFields(struct, ImageSchema.columnSchema())) {
            return IMAGE;
        }
        if (type.equals(DataTypes.BinaryType)) {
            Metadata metadata = column.metadata();
            return metadata.contains(PIXEL_BYTES_KEY) && metadata.getBoolean(PIXEL_BYTES_KEY) ? PIXEL_BYTES : ENCODED;
        }
        if (type.equals(SQLDataTypes.VectorType())) {
            return VECTOR;
        }
        if (type instanceof ArrayType array && array.elementType() instanceof NumericType) {
            return ARRAY;
        }
        throw new IllegalArgumentException("input column \"" + column.name() + "\" is of type " + type.simpleString()
                + "; MnistClassifierModel reads " + described());
    }

    /** The metadata of a binary column of {@link #PIXEL_BYTES}. */
    static Metadata pixelBytes() {
        return new MetadataBuilder().putBoolean(PIXEL_BYTES_KEY, true).build();
    }

    /** Every kind, described, for a message. */
    static String described() {
        return String.join("; or ", Arrays.stream(values()).map(kind -> kind.description).toList());
    }

    /** The image schema's fields by name and type, whatever their nullability (a schema read back from Parquet may differ in it). */
    private static boolean sameFields(StructType actual, StructType expected) {
        StructField[] a = actual.fields();
        StructField[] e = expected.fields();
        if (a.length != e.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (!a[i].name().equals(e[i].name()) || !a[i].dataType().equals(e[i].dataType())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Writes the pixels (0..255) of the value at {@code index} of {@code row} into {@code features}
     * from {@code at}, where a minibatch's network input is built, so that no row makes an array of
     * its own on the way: an image is decoded and framed into 784 as the scoring job does
     * ({@link DigitImage}); pixels given as numbers or bytes are taken as they are, {@code width} of
     * them (784 but for a model trained on idx images of another size). A rejected value may have
     * written part of its place, which the next value overwrites.
     */
    void pixels(Row row, int index, DigitImage digits, int width, float[] features, int at) throws RejectedImage {
        if (row.isNullAt(index)) {
            throw new RejectedImage("no input: the input column is null");
        }
        switch (this) {
            case IMAGE -> unsigned(digits.convert(picture(row.getStruct(index))), width, features, at);
            case ENCODED -> unsigned(digits.convert((byte[]) row.get(index)), width, features, at);
            case PIXEL_BYTES -> unsigned(counted((byte[]) row.get(index), width), width, features, at);
            case VECTOR -> checked(((Vector) row.get(index)).toArray(), width, features, at);
            case ARRAY -> checked(row.getList(index).stream().mapToDouble(n -> n == null ? Double.NaN : ((Number) n).doubleValue()).toArray(),
                    width, features, at);
        }
    }

    /** The bytes of an encoded image file that the value at {@code index} of {@code row} holds: 0 but for {@link #ENCODED}. */
    long encodedBytes(Row row, int index) {
        return this == ENCODED && !row.isNullAt(index) ? ((byte[]) row.get(index)).length : 0;
    }

    private static void unsigned(byte[] digit, int width, float[] features, int at) {
        for (int i = 0; i < width; i++) {
            features[at + i] = digit[i] & 0xFF;
        }
    }

    private static byte[] counted(byte[] pixels, int width) throws RejectedImage {
        if (pixels.length != width) {
            throw wrongCount(pixels.length, width);
        }
        return pixels;
    }

    private static void checked(double[] values, int width, float[] features, int at) throws RejectedImage {
        if (values.length != width) {
            throw wrongCount(values.length, width);
        }
        for (int i = 0; i < width; i++) {
            if (!(values[i] >= 0 && values[i] <= 255)) {
                throw new RejectedImage("pixel " + i + " is " + values[i] + "; pixels are 0..255");
            }
            features[at + i] = (float) values[i];
        }
    }

    private static RejectedImage wrongCount(int pixels, int width) {
        return new RejectedImage(pixels + " pixels; the model takes " + width + (width == DigitImage.PIXELS ? " (28x28)" : ""));
    }

    /**
     * A struct of Spark's image schema as a {@link Picture}. The image source stores 8-bit samples,
     * colour as B, G, R (and A), from the same ImageIO decoding the job's own decoder uses; an image it
     * could not decode has no data and a height of -1.
     */
    static Picture picture(Row image) throws RejectedImage {
        int width = ImageSchema.getWidth(image);
        int height = ImageSchema.getHeight(image);
        int channels = ImageSchema.getNChannels(image);
        byte[] data = ImageSchema.getData(image);
        if (width <= 0 || height <= 0 || data.length == 0) {
            throw new RejectedImage("not an image: the image data source could not decode " + ImageSchema.getOrigin(image));
        }
        if (!EIGHT_BIT_MODES.contains(ImageSchema.getMode(image)) || data.length != (long) width * height * channels) {
            throw new RejectedImage("an image struct of mode " + ImageSchema.getMode(image) + ", " + channels + " channels and "
                    + data.length + " bytes for " + width + "x" + height + " pixels; 8-bit grey, BGR or BGRA is read");
        }
        float[] luminance = new float[width * height];
        float[] alpha = new float[width * height];
        for (int i = 0; i < luminance.length; i++) {
            int at = i * channels;
            if (channels == 1) {
                luminance[i] = data[at] & 0xFF;
                alpha[i] = 1f;
            } else {
                // BT.601 weights, as ImageFileDecoder gives a colour file's luminance.
                luminance[i] = 0.299f * (data[at + 2] & 0xFF) + 0.587f * (data[at + 1] & 0xFF) + 0.114f * (data[at] & 0xFF);
                alpha[i] = channels == 4 ? (data[at + 3] & 0xFF) / 255f : 1f;
            }
        }
        return new Picture(width, height, luminance, alpha, channels == 1);
    }
}
