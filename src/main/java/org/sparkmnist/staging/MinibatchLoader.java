package org.sparkmnist.staging;

import java.io.IOException;
import java.io.InputStream;
import org.deeplearning4j.core.loader.DataSetLoader;
import org.nd4j.common.loader.Source;
import org.nd4j.linalg.dataset.DataSet;

/** Lets DL4J's workers read staged minibatch files (see {@link MinibatchFormat}). */
public final class MinibatchLoader implements DataSetLoader {

    private static final long serialVersionUID = 1L;

    @Override
    public DataSet load(Source source) throws IOException {
        try (InputStream in = source.getInputStream()) {
            return MinibatchFormat.read(in, source.getPath());
        }
    }
}
