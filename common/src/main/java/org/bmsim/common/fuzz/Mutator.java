package org.bmsim.common.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Structure-blind mutations of a file, as in libFuzzer and AFL: bit flips, interesting byte values,
 * byte insertion, deletion and duplication, splicing with another corpus file, dictionary tokens
 * inserted or written over, and tweaks of length fields (1, 2, 4 or 8 bytes, either byte order,
 * set to 0, -1, the extremes, or the file's own length plus or minus a little) and of decimal
 * numbers in text formats. One to four mutations are stacked per input.
 */
final class Mutator {
    /** Inputs are kept below this size, so every execution stays cheap. */
    static final int MAX_LENGTH = 1 << 20;
    private static final byte[][] NUMBERS = bytes("0", "-1", "1", "65535", "2147483647", "2147483648", "4294967295",
        "4294967296", "9223372036854775807", "18446744073709551615", "-9223372036854775808", "1e308", "NaN", "1.5",
        "-0", "99999999999999999999999");
    private static final int[] BYTES = {0x00, 0x01, 0x7F, 0x80, 0xFF, '"', '[', ']', '{', '}', ',', ':', '\n', '\'',
        '(', ')', '\\', ' ', '-', '.', '0', '9'};

    private final SplittableRandom rng;
    private final List<byte[]> dictionary;

    Mutator(SplittableRandom rng, List<byte[]> dictionary) {
        this.rng = rng;
        this.dictionary = dictionary;
    }

    private static byte[][] bytes(String... s) {
        byte[][] b = new byte[s.length][];
        for (int i = 0; i < s.length; i++) {
            b[i] = s[i].getBytes(StandardCharsets.US_ASCII);
        }
        return b;
    }

    /** A mutated copy of {@code in}; {@code other} is another corpus file to splice with. */
    byte[] mutate(byte[] in, byte[] other) {
        byte[] b = in;
        int n = 1 + rng.nextInt(4);
        for (int i = 0; i < n; i++) {
            b = once(b, other);
        }
        return b.length > MAX_LENGTH ? Arrays.copyOf(b, MAX_LENGTH) : b;
    }

    private byte[] once(byte[] b, byte[] other) {
        int op = rng.nextInt(b.length == 0 ? 3 : 11);
        switch (op) {
            case 0:
                return insert(b, rng.nextInt(b.length + 1), randomBytes(1 + rng.nextInt(8)));
            case 1:
                return dictionary.isEmpty() ? insert(b, rng.nextInt(b.length + 1), pick(NUMBERS))
                        : insert(b, rng.nextInt(b.length + 1), pick(dictionary));
            case 2:
                return splice(b, other);
            case 3: {
                byte[] c = b.clone();
                int p = rng.nextInt(c.length);
                c[p] ^= (byte) (1 << rng.nextInt(8));
                return c;
            }
            case 4: {
                byte[] c = b.clone();
                c[rng.nextInt(c.length)] = (byte) BYTES[rng.nextInt(BYTES.length)];
                return c;
            }
            case 5: {
                int p = rng.nextInt(b.length);
                int len = 1 + rng.nextInt(Math.min(b.length - p, 1 + rng.nextInt(64)));
                byte[] c = new byte[b.length - len];
                System.arraycopy(b, 0, c, 0, p);
                System.arraycopy(b, p + len, c, p, b.length - p - len);
                return c;
            }
            case 6: {
                int p = rng.nextInt(b.length);
                int len = 1 + rng.nextInt(Math.min(b.length - p, 1 + rng.nextInt(256)));
                return insert(b, rng.nextInt(b.length + 1), Arrays.copyOfRange(b, p, p + len));
            }
            case 7:
                return overwrite(b, dictionary.isEmpty() ? pick(NUMBERS) : pick(dictionary));
            case 8:
                return lengthField(b);
            case 9:
                return number(b);
            default:
                return b.length > 1 && rng.nextInt(4) == 0 ? Arrays.copyOf(b, rng.nextInt(b.length)) : lengthField(b);
        }
    }

    private byte[] pick(List<byte[]> l) {
        return l.get(rng.nextInt(l.size()));
    }

    private byte[] pick(byte[][] l) {
        return l[rng.nextInt(l.length)];
    }

    private byte[] randomBytes(int n) {
        byte[] r = new byte[n];
        for (int i = 0; i < n; i++) {
            r[i] = (byte) rng.nextInt(256);
        }
        return r;
    }

    private static byte[] insert(byte[] b, int at, byte[] what) {
        byte[] c = new byte[b.length + what.length];
        System.arraycopy(b, 0, c, 0, at);
        System.arraycopy(what, 0, c, at, what.length);
        System.arraycopy(b, at, c, at + what.length, b.length - at);
        return c;
    }

    private byte[] overwrite(byte[] b, byte[] what) {
        if (b.length == 0) {
            return what.clone();
        }
        byte[] c = b.clone();
        int at = rng.nextInt(c.length);
        System.arraycopy(what, 0, c, at, Math.min(what.length, c.length - at));
        return c;
    }

    /** The head of one file and the tail of another. */
    private byte[] splice(byte[] b, byte[] other) {
        if (other == null || other.length == 0) {
            return b;
        }
        int cut = rng.nextInt(b.length + 1);
        int from = rng.nextInt(other.length);
        byte[] c = Arrays.copyOf(b, cut + other.length - from);
        System.arraycopy(other, from, c, cut, other.length - from);
        return c;
    }

    /** A 1, 2, 4 or 8-byte integer at a random offset set to an extreme or file-length-related value. */
    private byte[] lengthField(byte[] b) {
        int width = 1 << rng.nextInt(4);
        if (b.length < width) {
            return b;
        }
        byte[] c = b.clone();
        int at = rng.nextInt(c.length - width + 1);
        if (rng.nextBoolean()) {
            at &= ~(width - 1); // aligned, where binary headers keep their fields
        }
        long v;
        switch (rng.nextInt(7)) {
            case 0:
                v = 0;
                break;
            case 1:
                v = -1;
                break;
            case 2:
                v = width == 8 ? Long.MAX_VALUE : (1L << (8 * width - 1)) - 1;
                break;
            case 3:
                v = width == 8 ? Long.MIN_VALUE : 1L << (8 * width - 1);
                break;
            case 4:
                v = c.length + rng.nextInt(17) - 8;
                break;
            case 5:
                v = read(c, at, width) + rng.nextInt(33) - 16;
                break;
            default:
                v = rng.nextLong();
        }
        boolean little = rng.nextBoolean();
        for (int i = 0; i < width; i++) {
            int shift = 8 * (little ? i : width - 1 - i);
            c[at + i] = (byte) (v >>> shift);
        }
        return c;
    }

    private static long read(byte[] c, int at, int width) {
        long v = 0;
        for (int i = width - 1; i >= 0; i--) {
            v = (v << 8) | (c[at + i] & 0xFF);
        }
        return v;
    }

    /** A decimal number in text replaced by an extreme one. */
    private byte[] number(byte[] b) {
        int start = rng.nextInt(b.length);
        int i = start;
        while (i < b.length && (b[i] < '0' || b[i] > '9')) {
            i++;
        }
        if (i == b.length) {
            return overwrite(b, pick(NUMBERS));
        }
        int j = i;
        while (j < b.length && b[j] >= '0' && b[j] <= '9') {
            j++;
        }
        byte[] num = pick(NUMBERS);
        byte[] c = new byte[b.length - (j - i) + num.length];
        System.arraycopy(b, 0, c, 0, i);
        System.arraycopy(num, 0, c, i, num.length);
        System.arraycopy(b, j, c, i + num.length, b.length - j);
        return c;
    }
}
