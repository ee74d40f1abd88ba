package org.bmsim.common;

/**
 * Thrown when a user's input is wrong: a missing or corrupt file, a wrong shape, an out-of-range
 * value, an unknown key. The message is one line that names the problem; the CLI prints it as
 * {@code bmsim: error: <message>} and exits with code 2. Anything else that escapes is an internal
 * error (exit code 1).
 */
public class BadInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BadInputException(String message) {
        super(message);
    }

    public BadInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
