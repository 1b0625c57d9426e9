package org.sparkmnist.scoring;

/**
 * One input on its way through a scoring task: its identity (an idx index as an Integer, or a file's
 * path as a String), its label if known, and either its 28x28 pixels or the reason it was rejected.
 */
record InputDigit(Object id, Integer label, byte[] pixels, String reason) implements java.io.Serializable {

    static InputDigit of(Object id, Integer label, byte[] pixels) {
        return new InputDigit(id, label, pixels, null);
    }

    static InputDigit rejected(Object id, Integer label, String reason) {
        return new InputDigit(id, label, null, reason);
    }

    boolean isRejected() {
        return reason != null;
    }
}
