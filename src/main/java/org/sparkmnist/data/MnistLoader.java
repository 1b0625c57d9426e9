package org.sparkmnist.data;

import org.apache.hadoop.conf.Configuration;
import org.sparkmnist.BadInputException;
import org.sparkmnist.config.DataSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the four idx files of data.dir on the driver and that images and labels agree, before
 * Spark starts; loads all but the training images (see {@link MnistData}).
 */
public final class MnistLoader {

    private static final Logger LOG = LoggerFactory.getLogger(MnistLoader.class);

    private MnistLoader() {
    }

    public static MnistData load(DataSettings settings, Configuration hadoop) {
        IdxReader reader = new IdxReader(hadoop);
        IdxImageFile trainImages = reader.checkImages(reader.locate(settings.dir(), settings.trainImages()), settings.rows(), settings.cols());
        IdxLabels trainLabels = reader.readLabels(reader.locate(settings.dir(), settings.trainLabels()), settings.classes());
        IdxImages testImages = reader.readImages(reader.locate(settings.dir(), settings.testImages()), settings.rows(), settings.cols());
        IdxLabels testLabels = reader.readLabels(reader.locate(settings.dir(), settings.testLabels()), settings.classes());
        requireSameCount(trainImages.source(), trainImages.count(), trainLabels);
        requireSameCount(testImages.source(), testImages.count(), testLabels);
        // The tutorial prints these shapes first; seeing them is the quickest check that the right files were read.
        LOG.info("train images ({}, {}, {}), labels ({},) from {}", trainImages.count(), trainImages.rows(), trainImages.cols(),
                trainLabels.count(), settings.dir());
        LOG.info("test images ({}, {}, {}), labels ({},)", testImages.count(), testImages.rows(), testImages.cols(), testLabels.count());
        return new MnistData(trainImages, trainLabels, testImages, testLabels);
    }

    private static void requireSameCount(String images, int imageCount, IdxLabels labels) {
        if (imageCount != labels.count()) {
            throw new BadInputException("data file " + labels.source() + " holds " + labels.count() + " labels but "
                    + images + " holds " + imageCount + " images; expected one label per image");
        }
    }
}
