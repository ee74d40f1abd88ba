package org.bmsim.examples.data;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.bmsim.common.BadInputException;

/**
 * Minimal reader of gzip-compressed ustar archives (what {@code npm pack} writes): 512-byte headers
 * with the name at offset 0 (and the ustar prefix at 345), the size in octal at 124, the type at 156.
 * Only regular files are returned; the archive is never extracted to disk, so no path in it can
 * escape the cache.
 */
final class Tar {
    private Tar() {
    }

    /** Returns the regular files whose names the filter accepts, by name. */
    static Map<String, byte[]> readGz(Path archive, Predicate<String> wanted) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(archive), 1 << 16)) {
            byte[] header = new byte[512];
            while (true) {
                if (!readBlock(in, header)) {
                    break; // clean end of stream
                }
                if (isZero(header)) {
                    break; // end-of-archive marker
                }
                String name = field(header, 0, 100);
                String prefix = field(header, 345, 155);
                if (!prefix.isEmpty()) {
                    name = prefix + "/" + name;
                }
                long size = octal(archive, header, 124, 12);
                char type = (char) header[156];
                long padded = (size + 511) / 512 * 512;
                boolean regular = type == '0' || type == 0;
                if (regular && wanted.test(name)) {
                    if (size > Integer.MAX_VALUE - 16) {
                        throw new BadInputException(archive + ": member " + name + " is too large");
                    }
                    ByteArrayOutputStream b = new ByteArrayOutputStream((int) size);
                    copy(in, b, size);
                    skip(in, padded - size);
                    out.put(name, b.toByteArray());
                } else {
                    skip(in, padded);
                }
            }
        } catch (NoSuchFileException e) {
            throw new BadInputException("file not found: " + archive);
        } catch (EOFException e) {
            throw new BadInputException(archive + ": truncated archive");
        } catch (ZipException e) {
            throw new BadInputException(archive + ": corrupt gzip stream (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static boolean readBlock(InputStream in, byte[] b) throws IOException {
        int n = in.readNBytes(b, 0, b.length);
        if (n == 0) {
            return false;
        }
        if (n < b.length) {
            throw new EOFException();
        }
        return true;
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static String field(byte[] h, int off, int len) {
        int end = off;
        while (end < off + len && h[end] != 0) {
            end++;
        }
        return new String(h, off, end - off, StandardCharsets.UTF_8);
    }

    private static long octal(Path archive, byte[] h, int off, int len) {
        String s = field(h, off, len).trim();
        try {
            return s.isEmpty() ? 0 : Long.parseLong(s, 8);
        } catch (NumberFormatException e) {
            throw new BadInputException(archive + ": corrupt tar header (size field '" + s + "')");
        }
    }

    private static void copy(InputStream in, ByteArrayOutputStream out, long n) throws IOException {
        byte[] buf = new byte[1 << 16];
        while (n > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, n));
            if (r < 0) {
                throw new EOFException();
            }
            out.write(buf, 0, r);
            n -= r;
        }
    }

    private static void skip(InputStream in, long n) throws IOException {
        while (n > 0) {
            long s = in.skip(n);
            if (s <= 0) {
                if (in.read() < 0) {
                    throw new EOFException();
                }
                s = 1;
            }
            n -= s;
        }
    }
}
