package org.bmsim.sim.io;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.bmsim.common.AtomicFiles;
import org.bmsim.common.BadInputException;
import org.bmsim.common.InputFiles;
import org.bmsim.sim.data.ImageSet;

/**
 * Reader and writer of IDX files (LeCun's MNIST format), raw or gzip-compressed.
 *
 * <p>Layout: two zero bytes, a type byte (0x08 = unsigned byte, the only type MNIST and
 * Fashion-MNIST use), the number of dimensions, then each dimension as a big-endian u32, then the
 * data. A file is accepted only if its length is exactly header plus data: a truncated or padded
 * file is refused with a one-line error that says which.
 */
public final class Idx {
    /** Type code of unsigned bytes. */
    public static final int UBYTE = 0x08;

    private Idx() {
    }

    /** A decoded IDX tensor of unsigned bytes. */
    public record Tensor(int[] dims, byte[] data) {
        public long size() {
            long n = 1;
            for (int d : dims) {
                n *= d;
            }
            return n;
        }
    }

    /** Reads an IDX file; gzip compression is detected from the magic bytes, not the name. */
    public static Tensor read(Path file) {
        return decodeFile(file.toString(), InputFiles.readAllBytes(file));
    }

    /** Decodes the bytes of an IDX file, raw or gzip-compressed (detected from the magic bytes). */
    public static Tensor decodeFile(String what, byte[] bytes) {
        if (bytes.length >= 2 && (bytes[0] & 0xFF) == 0x1F && (bytes[1] & 0xFF) == 0x8B) {
            bytes = gunzip(what, bytes);
        }
        return decode(what, bytes);
    }

    /** Decodes the bytes of an uncompressed IDX file; {@code what} names it in errors. */
    public static Tensor decode(String what, byte[] bytes) {
        if (bytes.length < 4) {
            throw new BadInputException(what + ": not an IDX file (" + bytes.length + " bytes, no header)");
        }
        if (bytes[0] != 0 || bytes[1] != 0) {
            throw new BadInputException(String.format("%s: not an IDX file (magic 0x%02x%02x%02x%02x)", what,
                    bytes[0], bytes[1], bytes[2], bytes[3]));
        }
        int type = bytes[2] & 0xFF;
        if (type != UBYTE) {
            throw new BadInputException(String.format("%s: IDX data type 0x%02x not supported (only 0x08, unsigned byte)",
                    what, type));
        }
        int nd = bytes[3] & 0xFF;
        if (nd < 1 || nd > 4) {
            throw new BadInputException(what + ": IDX file with " + nd + " dimensions (1 to 4 supported)");
        }
        int header = 4 + 4 * nd;
        if (bytes.length < header) {
            throw new BadInputException(what + ": truncated IDX header");
        }
        ByteBuffer bb = ByteBuffer.wrap(bytes);
        int[] dims = new int[nd];
        long size = 1;
        for (int i = 0; i < nd; i++) {
            dims[i] = bb.getInt(4 + 4 * i);
            if (dims[i] < 0) {
                throw new BadInputException(what + ": dimension " + i + " is negative");
            }
            size *= dims[i];
            if (size > Integer.MAX_VALUE - 64) {
                throw new BadInputException(what + ": IDX dimensions " + Arrays.toString(Arrays.copyOf(dims, i + 1))
                        + " are too large");
            }
        }
        long have = bytes.length - header;
        if (have < size) {
            throw new BadInputException(what + ": truncated: dimensions " + Arrays.toString(dims) + " need " + size
                    + " data bytes, file has " + have);
        }
        if (have > size) {
            throw new BadInputException(what + ": " + (have - size) + " bytes past the end of the data for dimensions "
                    + Arrays.toString(dims));
        }
        return new Tensor(dims, Arrays.copyOfRange(bytes, header, bytes.length));
    }

    /**
     * Reads an image file and a label file into a set, checking the shapes: images
     * {@code [n, rows, cols]}, labels {@code [n]}, labels below {@code classes}.
     */
    public static ImageSet readImageSet(String name, Path images, Path labels, int classes) {
        Tensor im = read(images);
        Tensor lb = read(labels);
        if (im.dims().length != 3) {
            throw new BadInputException(images + ": expected 3 dimensions [count, rows, cols] for images, found "
                    + im.dims().length + " " + Arrays.toString(im.dims()));
        }
        if (lb.dims().length != 1) {
            throw new BadInputException(labels + ": expected 1 dimension [count] for labels, found "
                    + lb.dims().length + " " + Arrays.toString(lb.dims()));
        }
        if (im.dims()[0] != lb.dims()[0]) {
            throw new BadInputException(name + ": " + im.dims()[0] + " images but " + lb.dims()[0] + " labels");
        }
        for (int i = 0; i < lb.data().length; i++) {
            if ((lb.data()[i] & 0xFF) >= classes) {
                throw new BadInputException(labels + ": label " + (lb.data()[i] & 0xFF) + " at index " + i
                        + " is not a class below " + classes);
            }
        }
        return new ImageSet(name, im.dims()[0], im.dims()[1], im.dims()[2], im.data(), lb.data());
    }

    /** Writes an unsigned-byte IDX file (uncompressed), atomically. */
    public static void write(Path file, int[] dims, byte[] data) {
        long size = 1;
        for (int d : dims) {
            size *= d;
        }
        if (size != data.length) {
            throw new IllegalArgumentException("dims " + Arrays.toString(dims) + " do not match " + data.length + " bytes");
        }
        AtomicFiles.write(file, out -> writeTo(out, dims, data));
    }

    private static void writeTo(OutputStream out, int[] dims, byte[] data) throws IOException {
        ByteBuffer h = ByteBuffer.allocate(4 + 4 * dims.length);
        h.put((byte) 0).put((byte) 0).put((byte) UBYTE).put((byte) dims.length);
        for (int d : dims) {
            h.putInt(d);
        }
        out.write(h.array());
        out.write(data);
    }

    /** Writes a set as the usual pair of IDX files. */
    public static void writeImageSet(ImageSet set, Path images, Path labels) {
        write(images, new int[] {set.count(), set.rows(), set.cols()}, set.pixels());
        write(labels, new int[] {set.count()}, set.labels());
    }

    /**
     * Decompresses, reading no further than the IDX header says the data reaches (plus one byte, to
     * report trailing bytes): memory follows the data actually present, never a size the stream
     * claims, so a gzip bomb stops at the first byte past the declared tensor.
     */
    private static byte[] gunzip(String file, byte[] gz) {
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(new java.io.ByteArrayInputStream(gz)), 1 << 16)) {
            byte[] head = in.readNBytes(4);
            long limit = 0; // not an IDX header: decode reports it from the first four bytes
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(1 << 16, gz.length * 4));
            out.write(head);
            if (head.length == 4 && head[0] == 0 && head[1] == 0 && (head[3] & 0xFF) >= 1 && (head[3] & 0xFF) <= 4) {
                byte[] dims = in.readNBytes(4 * (head[3] & 0xFF));
                out.write(dims);
                long size = 1;
                for (int i = 0; i + 4 <= dims.length; i += 4) {
                    size *= ByteBuffer.wrap(dims, i, 4).getInt() & 0xFFFFFFFFL;
                    size = Math.min(size, Integer.MAX_VALUE);
                }
                limit = size + 1;
            }
            byte[] buf = new byte[1 << 16];
            long total = 0;
            int r;
            while (total < limit && (r = in.read(buf, 0, (int) Math.min(buf.length, limit - total))) > 0) {
                out.write(buf, 0, r);
                total += r;
            }
            return out.toByteArray();
        } catch (EOFException e) {
            throw new BadInputException(file + ": truncated gzip stream");
        } catch (ZipException e) {
            throw new BadInputException(file + ": corrupt gzip stream (" + oneLine(e.getMessage()) + ")");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String oneLine(String s) {
        return s == null ? "no detail" : s.replace('\n', ' ').replace('\r', ' ');
    }
}
