package org.sparkmnist.staging;

import java.util.List;

/** The URIs of the minibatch files each part of the split was written to. */
public record StagedSplit(List<String> train, List<String> validation) {
}
