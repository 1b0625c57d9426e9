package org.sparkmnist;

/**
 * A problem with what the user gave us (a data file, a config key or value) as opposed to a
 * failure of the job itself. The entry point maps it to exit code 2 and prints its message as
 * the one line a user needs, so the message always names the file or key and what was expected.
 */
public class BadInputException extends RuntimeException {

    public BadInputException(String message) {
        super(message);
    }

    public BadInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
