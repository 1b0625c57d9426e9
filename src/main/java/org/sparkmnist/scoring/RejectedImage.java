package org.sparkmnist.scoring;

/**
 * An input that cannot be scored (an unreadable file, bytes no image decoder accepts, an image with
 * no digit in it). It is not a failure of the job: the input goes to the rejects output with this
 * message as its reason, and only too many of them stop the job.
 */
public final class RejectedImage extends Exception {

    private static final long serialVersionUID = 1L;

    public RejectedImage(String reason) {
        super(reason, null, false, false);
    }
}
