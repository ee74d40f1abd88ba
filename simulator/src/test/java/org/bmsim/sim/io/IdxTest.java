package org.bmsim.sim.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.bmsim.common.BadInputException;
import org.bmsim.sim.data.ImageSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxTest {
    @TempDir
    Path dir;

    /** Three 2x2 images written byte by byte as in LeCun's description of the format. */
    private static byte[] handMadeImages() {
        return new byte[] {0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 2,
            1, 2, 3, 4, 5, 6, 7, 8, (byte) 255, 0, 0, (byte) 200};
    }

    private static byte[] handMadeLabels() {
        return new byte[] {0, 0, 8, 1, 0, 0, 0, 3, 7, 0, 9};
    }

    @Test
    void readsHandMadeFiles() throws Exception {
        Files.write(dir.resolve("im"), handMadeImages());
        Files.write(dir.resolve("lb"), handMadeLabels());
        ImageSet s = Idx.readImageSet("t", dir.resolve("im"), dir.resolve("lb"), 10);
        assertEquals(3, s.count());
        assertEquals(2, s.rows());
        assertEquals(2, s.cols());
        assertEquals(7, s.label(0));
        assertEquals(9, s.label(2));
        assertEquals(255, s.pixel(2, 0));
        assertEquals(1 + 2 + 3 + 4 + 5 + 6 + 7 + 8 + 255 + 200, s.pixelSum());
    }

    @Test
    void gzipIsDetectedByMagicAndRoundTrips() throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(b)) {
            gz.write(handMadeImages());
        }
        Path f = dir.resolve("images.idx"); // no .gz suffix on purpose
        Files.write(f, b.toByteArray());
        Idx.Tensor t = Idx.read(f);
        assertArrayEquals(new int[] {3, 2, 2}, t.dims());
        Path raw = dir.resolve("copy");
        Idx.write(raw, t.dims(), t.data());
        assertArrayEquals(handMadeImages(), Files.readAllBytes(raw));
    }

    @Test
    void refusesCorruptFilesWithOneLineErrors() throws Exception {
        byte[] good = handMadeImages();
        assertOneLineError("truncated", Arrays.copyOf(good, good.length - 1));
        byte[] padded = Arrays.copyOf(good, good.length + 5);
        assertOneLineError("past the end", padded);
        byte[] magic = good.clone();
        magic[0] = 0x50;
        assertOneLineError("not an IDX file", magic);
        byte[] type = good.clone();
        type[2] = 0x0D;
        assertOneLineError("not supported", type);
        assertOneLineError("not an IDX file", new byte[] {0, 0});
        assertOneLineError("truncated IDX header", Arrays.copyOf(good, 9));
        byte[] huge = good.clone();
        huge[4] = 0x7F;
        assertOneLineError("", huge);
    }

    @Test
    void refusesTruncatedGzipAndWrongDimensions() throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(b)) {
            gz.write(handMadeImages());
        }
        byte[] gz = b.toByteArray();
        Path f = dir.resolve("cut.gz");
        Files.write(f, Arrays.copyOf(gz, gz.length / 2));
        BadInputException e = assertThrows(BadInputException.class, () -> Idx.read(f));
        assertTrue(e.getMessage().contains("gzip"), e.getMessage());

        Files.write(dir.resolve("im"), handMadeImages());
        Files.write(dir.resolve("lb"), handMadeLabels());
        // images given as labels and the other way round: wrong number of dimensions
        e = assertThrows(BadInputException.class,
                () -> Idx.readImageSet("t", dir.resolve("lb"), dir.resolve("im"), 10));
        assertTrue(e.getMessage().contains("expected 3 dimensions"), e.getMessage());
        // a label beyond the classes
        e = assertThrows(BadInputException.class,
                () -> Idx.readImageSet("t", dir.resolve("im"), dir.resolve("lb"), 8));
        assertTrue(e.getMessage().contains("label 9"), e.getMessage());
        // count mismatch
        byte[] lb2 = new byte[] {0, 0, 8, 1, 0, 0, 0, 2, 7, 0};
        Files.write(dir.resolve("lb2"), lb2);
        e = assertThrows(BadInputException.class,
                () -> Idx.readImageSet("t", dir.resolve("im"), dir.resolve("lb2"), 10));
        assertTrue(e.getMessage().contains("3 images but 2 labels"), e.getMessage());
        e = assertThrows(BadInputException.class, () -> Idx.read(dir.resolve("nope")));
        assertTrue(e.getMessage().startsWith("file not found"), e.getMessage());
    }

    private void assertOneLineError(String fragment, byte[] content) throws Exception {
        Path f = Files.createTempFile(dir, "bad", ".idx");
        Files.write(f, content);
        BadInputException e = assertThrows(BadInputException.class, () -> Idx.read(f));
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }
}
