package org.sparkmnist.data;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * What a checkpoint and a committed run record about the data they were made from, so that a resume
 * on other data is refused even when its shapes agree: the length of each of the four files as
 * stored, and a SHA-256 of the training and test labels, which the driver holds anyway.
 */
public final class DataFingerprint {

    private DataFingerprint() {
    }

    public static SortedMap<String, String> of(MnistData data, Configuration hadoop) throws IOException {
        SortedMap<String, String> fingerprint = new TreeMap<>();
        fingerprint.put("data.fingerprint.train-images.bytes", length(data.trainImages().uri(), hadoop));
        fingerprint.put("data.fingerprint.train-labels.bytes", length(data.trainLabels().source(), hadoop));
        fingerprint.put("data.fingerprint.test-images.bytes", length(data.testImages().source(), hadoop));
        fingerprint.put("data.fingerprint.test-labels.bytes", length(data.testLabels().source(), hadoop));
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(data.trainLabels().labels());
            sha.update(data.testLabels().labels());
            fingerprint.put("data.fingerprint.labels.sha256", HexFormat.of().formatHex(sha.digest()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
        return fingerprint;
    }

    private static String length(String file, Configuration hadoop) throws IOException {
        Path path = new Path(file);
        return Long.toString(path.getFileSystem(hadoop).getFileStatus(path).getLen());
    }
}
