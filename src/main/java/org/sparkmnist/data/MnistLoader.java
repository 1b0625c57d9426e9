package org.sparkmnist.data;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.sparkmnist.config.DataSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the four idx files of data.dir on the driver and that images and labels agree, before
 * Spark starts; loads all but the training images (see {@link MnistData}). Each label file is
 * compared with its image file's header before either body is read, so that what the driver reads
 * is bounded by headers that agree with each other, whatever a file claims or inflates to.
 */
public final class MnistLoader {

    private static final Logger LOG = LoggerFactory.getLogger(MnistLoader.class);

    private MnistLoader() {
    }

    public static MnistData load(DataSettings settings, Configuration hadoop) {
        IdxReader reader = new IdxReader(hadoop);
        Path trainImagesFile = reader.locate(settings.dir(), settings.trainImages());
        IdxLabels trainLabels = labelsOf(reader, trainImagesFile, reader.locate(settings.dir(), settings.trainLabels()), settings);
        IdxImageFile trainImages = reader.checkImages(trainImagesFile, settings.rows(), settings.cols());
        Path testImagesFile = reader.locate(settings.dir(), settings.testImages());
        IdxLabels testLabels = labelsOf(reader, testImagesFile, reader.locate(settings.dir(), settings.testLabels()), settings);
        IdxImages testImages = reader.readImages(testImagesFile, settings.rows(), settings.cols());
        // The tutorial prints these shapes first; seeing them is the quickest check that the right files were read.
        LOG.info("train images ({}, {}, {}), labels ({},) from {}", trainImages.count(), trainImages.rows(), trainImages.cols(),
                trainLabels.count(), settings.dir());
        LOG.info("test images ({}, {}, {}), labels ({},)", testImages.count(), testImages.rows(), testImages.cols(), testLabels.count());
        return new MnistData(trainImages, trainLabels, testImages, testLabels);
    }

    /** The labels in {@code labels}, one per image that {@code images}' header declares. */
    private static IdxLabels labelsOf(IdxReader reader, Path images, Path labels, DataSettings settings) {
        IdxHeader header = reader.imagesHeader(images, settings.rows(), settings.cols());
        return reader.readLabels(labels, settings.classes(), header, images.toString());
    }
}
