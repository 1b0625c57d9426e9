package org.sparkmnist.config;

import org.sparkmnist.ConfigName;

/** The file format the predictions and rejects are written in, by Spark's own writer of that name. */
public enum PredictionFormat implements ConfigName {
    PARQUET,
    CSV;

    /** The name Spark's DataFrameWriter knows the format by. */
    public String sparkSource() {
        return configName();
    }
}
