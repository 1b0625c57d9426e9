package org.sparkmnist.data;

import org.apache.hadoop.conf.Configuration;
import org.sparkmnist.BadInputException;
import org.sparkmnist.config.DataSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Loads the four idx files of data.dir on the driver and checks that images and labels agree. */
public final class MnistLoader {

    private static final Logger LOG = LoggerFactory.getLogger(MnistLoader.class);

    private MnistLoader() {
    }

    public static MnistData load(DataSettings settings, Configuration hadoop) {
        IdxReader reader = new IdxReader(hadoop);
        IdxImages trainImages = reader.readImages(reader.locate(settings.dir(), settings.trainImages()), settings.rows(), settings.cols());
        IdxLabels trainLabels = reader.readLabels(reader.locate(settings.dir(), settings.trainLabels()), settings.classes());
        IdxImages testImages = reader.readImages(reader.locate(settings.dir(), settings.testImages()), settings.rows(), settings.cols());
        IdxLabels testLabels = reader.readLabels(reader.locate(settings.dir(), settings.testLabels()), settings.classes());
        requireSameCount(trainImages, trainLabels);
        requireSameCount(testImages, testLabels);
        // The tutorial prints these shapes first; seeing them is the quickest check that the right files were read.
        LOG.info("train images ({}, {}, {}), labels ({},) from {}", trainImages.count(), trainImages.rows(), trainImages.cols(),
                trainLabels.count(), settings.dir());
        LOG.info("test images ({}, {}, {}), labels ({},)", testImages.count(), testImages.rows(), testImages.cols(), testLabels.count());
        return new MnistData(trainImages, trainLabels, testImages, testLabels);
    }

    private static void requireSameCount(IdxImages images, IdxLabels labels) {
        if (images.count() != labels.count()) {
            throw new BadInputException("data file " + labels.source() + " holds " + labels.count() + " labels but "
                    + images.source() + " holds " + images.count() + " images; expected one label per image");
        }
    }
}
