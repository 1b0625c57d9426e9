package org.sparkmnist.model.layers;

import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;

/** What DL4J's workspaces allow a layer to keep between its forward and backward pass. */
final class Workspaces {

    private Workspaces() {
    }

    /**
     * False when {@code array} lives in a workspace that has been closed, or closed and reopened, since
     * it was created: its memory may hold other arrays by now.
     */
    static boolean stillValid(INDArray array) {
        if (!array.isAttached()) {
            return true;
        }
        MemoryWorkspace workspace = array.data().getParentWorkspace();
        return workspace.isScopeActive() && workspace.getGenerationId() == array.data().getGenerationId();
    }
}
