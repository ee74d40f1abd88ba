package org.bmsim.sim.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bmsim.common.AtomicFiles;
import org.bmsim.common.BadInputException;
import org.bmsim.common.InputFiles;

/**
 * NumPy {@code .npy} files, written and read by hand (the format is tiny; NumPy Enhancement
 * Proposal 1, "A Simple File Format for NumPy Arrays", and {@code numpy/lib/format.py}). A file is
 * the magic {@code \x93NUMPY}, the version (1.0 when written here), a little-endian length of the
 * header, the header (a Python dict literal {@code {'descr': '<f4', 'fortran_order': False,
 * 'shape': (2, 3), }} padded with spaces and ended by a newline so that the data starts at a
 * multiple of 64 bytes), then the raw C-order data. Like {@code numpy.save} since NumPy 1.24, the
 * header carries 21 minus the digits of the first dimension of spare spaces (room for an appending
 * writer to grow that dimension in place), so a file written here is byte-identical to
 * {@code numpy.save} of the same array. Written atomically ({@link AtomicFiles}).
 *
 * <p>Types written: {@link #FLOAT32} {@code <f4}, {@link #INT8} {@code |i1}, {@link #UINT8} {@code |u1},
 * {@link #INT16} {@code <i2}. The reader also takes {@code <i4} and {@code <f8}, versions 1.0 to 3.0, and refuses
 * big-endian data, Fortran order, truncated files and trailing bytes with one-line errors.
 */
public final class Npy {
    public static final String FLOAT32 = "<f4";
    public static final String INT8 = "|i1";
    public static final String INT16 = "<i2";
    public static final String UINT8 = "|u1";
    public static final String INT32 = "<i4";
    public static final String FLOAT64 = "<f8";

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int ALIGN = 64;
    /** numpy's GROWTH_AXIS_MAX_DIGITS. */
    private static final int GROWTH_DIGITS = 21;

    private Npy() {
    }

    /**
     * An array as stored: its dtype descriptor, its shape, and its raw little-endian C-order bytes.
     */
    public record Array(String descr, int[] shape, byte[] data) {
        /** Number of elements, the product of the shape (1 for a scalar). */
        public long elements() {
            return Npy.elements(shape);
        }

        public float[] floats() {
            expect(FLOAT32);
            float[] v = new float[data.length / 4];
            ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
            return v;
        }

        public byte[] int8s() {
            expect(INT8);
            return data.clone();
        }

        public byte[] uint8s() {
            expect(UINT8);
            return data.clone();
        }

        public short[] int16s() {
            expect(INT16);
            short[] v = new short[data.length / 2];
            ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(v);
            return v;
        }

        private void expect(String d) {
            if (!descr.equals(d)) {
                throw new BadInputException("array has dtype " + descr + ", expected " + d);
            }
        }
    }

    /** Product of the shape; {@code Long.MAX_VALUE} when it overflows (no file holds that many). */
    static long elements(int[] shape) {
        long n = 1;
        boolean zero = false;
        for (int d : shape) {
            if (d < 0) {
                throw new BadInputException("negative dimension in shape " + Arrays.toString(shape));
            }
            zero |= d == 0;
            n = d != 0 && n > Long.MAX_VALUE / d ? Long.MAX_VALUE : n * d;
        }
        return zero ? 0 : n;
    }

    private static int itemSize(String descr) {
        switch (descr) {
            case INT8:
            case UINT8:
                return 1;
            case INT16:
                return 2;
            case FLOAT32:
            case INT32:
                return 4;
            case FLOAT64:
                return 8;
            default:
                throw new BadInputException("unsupported .npy dtype '" + BadInputException.excerpt(descr) + "' (supported: <f4, <f8, |i1, |u1, <i2, <i4;"
                        + " big-endian data is not)");
        }
    }

    /** The Python repr of a shape tuple: {@code ()}, {@code (5,)}, {@code (2, 3)}. */
    static String shapeRepr(int[] shape) {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) {
                b.append(", ");
            }
            b.append(shape[i]);
        }
        if (shape.length == 1) {
            b.append(',');
        }
        return b.append(')').toString();
    }

    /** Magic, version 1.0, header length and padded header of an array: everything before the data. */
    public static byte[] header(String descr, int[] shape) {
        itemSize(descr);
        elements(shape);
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shapeRepr(shape) + ", }";
        if (shape.length > 0) {
            dict += " ".repeat(GROWTH_DIGITS - Integer.toString(shape[0]).length());
        }
        int hlen = dict.length() + 1; // + the closing newline
        int pad = ALIGN - ((MAGIC.length + 2 + 2 + hlen) % ALIGN); // as numpy: a full 64 when aligned already
        int total = hlen + pad;
        if (total > 0xFFFF) {
            throw new BadInputException("shape " + Arrays.toString(shape) + " needs a header too long for .npy 1.0");
        }
        ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 4 + total).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) total);
        b.put(dict.getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < pad; i++) {
            b.put((byte) ' ');
        }
        b.put((byte) '\n');
        return b.array();
    }

    private static void checkCount(int[] shape, int values) {
        if (elements(shape) != values) {
            throw new BadInputException(values + " values do not fill shape " + Arrays.toString(shape));
        }
    }

    /** Writes float32 values ({@code <f4}) of the given shape. */
    public static void writeFloat32(Path file, int[] shape, float[] values) {
        checkCount(shape, values.length);
        byte[] head = header(FLOAT32, shape);
        AtomicFiles.write(file, out -> {
            out.write(head);
            ByteBuffer chunk = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : values) {
                if (!chunk.hasRemaining()) {
                    out.write(chunk.array(), 0, chunk.position());
                    chunk.clear();
                }
                chunk.putFloat(v);
            }
            out.write(chunk.array(), 0, chunk.position());
        });
    }

    /** Writes int8 values ({@code |i1}) of the given shape. */
    public static void writeInt8(Path file, int[] shape, byte[] values) {
        checkCount(shape, values.length);
        byte[] head = header(INT8, shape);
        AtomicFiles.write(file, out -> {
            out.write(head);
            out.write(values);
        });
    }

    /** Writes unsigned 8-bit values ({@code |u1}, for example pixels) of the given shape. */
    public static void writeUint8(Path file, int[] shape, byte[] values) {
        checkCount(shape, values.length);
        byte[] head = header(UINT8, shape);
        AtomicFiles.write(file, out -> {
            out.write(head);
            out.write(values);
        });
    }

    /** Writes int16 values ({@code <i2}) of the given shape. */
    public static void writeInt16(Path file, int[] shape, short[] values) {
        checkCount(shape, values.length);
        byte[] head = header(INT16, shape);
        ByteBuffer b = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        b.asShortBuffer().put(values);
        AtomicFiles.write(file, out -> {
            out.write(head);
            out.write(b.array());
        });
    }

    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    /** Reads a {@code .npy} file; anything malformed is bad input with a one-line message. */
    public static Array read(Path file) {
        byte[] all = InputFiles.readAllBytes(file);
        return parse(file.toString(), all);
    }

    /** Parses the bytes of a {@code .npy} file; {@code name} is used in messages. */
    public static Array parse(String name, byte[] all) {
        if (all.length < 10 || !Arrays.equals(Arrays.copyOf(all, 6), MAGIC)) {
            throw new BadInputException(name + ": not a .npy file (no \\x93NUMPY magic)");
        }
        int major = all[6];
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        long hlen;
        int start;
        if (major == 1) {
            hlen = b.getShort(8) & 0xFFFF;
            start = 10;
        } else if (major == 2 || major == 3) {
            if (all.length < 12) {
                throw new BadInputException(name + ": truncated .npy header");
            }
            hlen = b.getInt(8) & 0xFFFFFFFFL;
            start = 12;
        } else {
            throw new BadInputException(name + ": unsupported .npy version " + major + "." + all[7]);
        }
        if (start + hlen > all.length) {
            throw new BadInputException(name + ": .npy header length " + hlen + " runs past the end of the file ("
                    + all.length + " bytes)");
        }
        String header = new String(all, start, (int) hlen,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(header);
        Matcher f = FORTRAN.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !f.find() || !s.find()) {
            throw new BadInputException(name + ": malformed .npy header: " + BadInputException.excerpt(header.strip()));
        }
        String descr = d.group(1);
        if (descr.equals("<i1") || descr.equals("i1")) {
            descr = INT8;
        } else if (descr.equals("<u1") || descr.equals("u1")) {
            descr = UINT8;
        }
        int item = itemSize(descr);
        int[] shape = parseShape(name, s.group(1));
        if (f.group(1).equals("True") && shape.length > 1) {
            throw new BadInputException(name + ": Fortran-order .npy arrays are not supported (save with C order)");
        }
        long elements = elements(shape);
        long bytes = elements > Long.MAX_VALUE / item ? Long.MAX_VALUE : elements * item;
        long have = all.length - start - hlen;
        if (have < bytes) {
            throw new BadInputException(name + ": truncated .npy data: " + have + " bytes for shape "
                    + Arrays.toString(shape) + " of " + descr + " (" + bytes + " needed)");
        }
        if (have > bytes) {
            throw new BadInputException(name + ": " + (have - bytes) + " bytes after the .npy data");
        }
        int from = (int) (start + hlen);
        return new Array(descr, shape, Arrays.copyOfRange(all, from, from + (int) bytes));
    }

    private static int[] parseShape(String name, String inner) {
        String t = inner.strip();
        if (t.isEmpty()) {
            return new int[0];
        }
        String[] parts = t.split(",", -1);
        int n = parts.length;
        if (n > 1 && parts[n - 1].isBlank()) {
            n--; // the trailing comma of a one-dimensional shape, "(5,)"
        }
        int[] shape = new int[n];
        for (int i = 0; i < n; i++) {
            try {
                shape[i] = Integer.parseInt(parts[i].strip().replace("L", ""));
            } catch (NumberFormatException e) {
                throw new BadInputException(name + ": bad .npy shape (" + BadInputException.excerpt(inner) + ")");
            }
            if (shape[i] < 0) {
                throw new BadInputException(name + ": bad .npy shape (" + BadInputException.excerpt(inner) + ")");
            }
        }
        return shape;
    }
}
