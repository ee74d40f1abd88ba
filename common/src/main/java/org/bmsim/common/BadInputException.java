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

    /**
     * Text taken from a user's file, made fit for a one-line message: control characters escaped
     * ({@code \n}, {@code \u0000}) and at most 80 characters kept.
     */
    public static String excerpt(String text) {
        return excerpt(text, 80);
    }

    /** As {@link #excerpt(String)}, keeping at most {@code max} characters. */
    public static String excerpt(String text, int max) {
        if (text == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder();
        int i = 0;
        for (; i < text.length() && b.length() < max; i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                b.append("\\n");
            } else if (c == '\r') {
                b.append("\\r");
            } else if (c == '\t') {
                b.append("\\t");
            } else if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return i < text.length() ? b + "..." : b.toString();
    }
}
