package org.bmsim.sim.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.bmsim.common.BadInputException;
import org.bmsim.sim.metrics.McPredictions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The resources numpy-*.npy were made once with NumPy 2.4.6:
 * <pre>
 * np.save('numpy-f4-2x3.npy', np.array([[1.5, -2.0, 0.0], [3.25, 1e-3, -0.0]], dtype='&lt;f4'))
 * np.save('numpy-i1-4.npy', np.array([0, 1, 2, -1], dtype='i1'))
 * np.save('numpy-i2-4.npy', np.array([7, -1, 300, -32768], dtype='&lt;i2'))
 * </pre>
 */
class NpyTest {
    @TempDir
    Path dir;

    private static byte[] resource(String name) throws Exception {
        try (InputStream in = NpyTest.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }

    /**
     * The header of a float32 [2, 3] array, byte by byte: magic \x93NUMPY, version 1 0, header
     * length 118 = 'v' 0 (little-endian), the 59-character dict, 21 - 1 = 20 spare spaces for
     * growth, 38 spaces of padding and a newline, so the data starts at 10 + 118 = 128 = 2 * 64.
     */
    @Test
    void headerByteExactAgainstHandBuiltOne() {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
        assertEquals(59, dict.length());
        byte[] expected = new byte[128];
        byte[] pre = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 118, 0};
        System.arraycopy(pre, 0, expected, 0, 10);
        byte[] d = dict.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(d, 0, expected, 10, d.length);
        Arrays.fill(expected, 10 + 59, 127, (byte) ' ');
        expected[127] = '\n';
        assertArrayEquals(expected, Npy.header(Npy.FLOAT32, new int[] {2, 3}));
        // a 1-D shape has the trailing comma; a scalar has ()
        assertTrue(new String(Npy.header(Npy.INT8, new int[] {4}), StandardCharsets.US_ASCII).contains("'shape': (4,), }"));
        assertTrue(new String(Npy.header(Npy.FLOAT32, new int[0]), StandardCharsets.US_ASCII).contains("'shape': (), }"));
        for (int[] shape : new int[][] {{}, {1}, {100, 4400, 10}, {123456789}, {3, 5, 7, 9}}) {
            assertEquals(0, Npy.header(Npy.INT16, shape).length % 64, Arrays.toString(shape));
        }
    }

    @Test
    void writesFilesByteIdenticalToNumpySave() throws Exception {
        Npy.writeFloat32(dir.resolve("f.npy"), new int[] {2, 3}, new float[] {1.5f, -2f, 0f, 3.25f, 1e-3f, -0f});
        Npy.writeInt8(dir.resolve("b.npy"), new int[] {4}, new byte[] {0, 1, 2, -1});
        Npy.writeInt16(dir.resolve("s.npy"), new int[] {4}, new short[] {7, -1, 300, -32768});
        assertArrayEquals(resource("numpy-f4-2x3.npy"), Files.readAllBytes(dir.resolve("f.npy")));
        assertArrayEquals(resource("numpy-i1-4.npy"), Files.readAllBytes(dir.resolve("b.npy")));
        assertArrayEquals(resource("numpy-i2-4.npy"), Files.readAllBytes(dir.resolve("s.npy")));
    }

    @Test
    void readsNumpyFiles() throws Exception {
        Npy.Array f = Npy.parse("f", resource("numpy-f4-2x3.npy"));
        assertArrayEquals(new int[] {2, 3}, f.shape());
        assertArrayEquals(new float[] {1.5f, -2f, 0f, 3.25f, 1e-3f, -0f}, f.floats());
        assertArrayEquals(new byte[] {0, 1, 2, -1}, Npy.parse("b", resource("numpy-i1-4.npy")).int8s());
        assertArrayEquals(new short[] {7, -1, 300, -32768}, Npy.parse("s", resource("numpy-i2-4.npy")).int16s());
        assertThrows(BadInputException.class, () -> f.int16s());
    }

    @Test
    void largeFloatArrayRoundTripsAcrossWriteChunks() {
        float[] v = new float[3 * 7001 * 10];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) Math.sin(i) / (1 + i % 13);
        }
        Path f = dir.resolve("probs.npy");
        Npy.writeFloat32(f, new int[] {3, 7001, 10}, v);
        Npy.Array a = Npy.read(f);
        assertArrayEquals(new int[] {3, 7001, 10}, a.shape());
        assertArrayEquals(v, a.floats());
    }

    @Test
    void predictionDumpRoundTrips() {
        float[] probs = {0.2f, 0.8f, 1f, 0f, 0.5f, 0.5f, 0.3f, 0.7f, 0.9f, 0.1f, 0.5f, 0.5f};
        McPredictions p = new McPredictions(2, 3, 2, probs, new short[] {1, 0, -1}, new byte[] {0, 1, 2});
        PredictionDump.write(dir.resolve("dump"), p);
        McPredictions back = PredictionDump.read(dir.resolve("dump"));
        assertEquals(2, back.samples());
        assertEquals(3, back.count());
        assertArrayEquals(probs, back.probs());
        assertArrayEquals(p.labels(), back.labels());
        assertArrayEquals(p.subset(), back.subset());
        Npy.writeInt16(dir.resolve("dump/labels.npy"), new int[] {2}, new short[] {1, 0});
        assertThrows(BadInputException.class, () -> PredictionDump.read(dir.resolve("dump")));
    }

    @Test
    void refusesBadFilesWithOneLineErrors() throws Exception {
        byte[] good = resource("numpy-f4-2x3.npy");
        assertOneLine(() -> Npy.parse("t", Arrays.copyOf(good, good.length - 1)), "truncated");
        assertOneLine(() -> Npy.parse("t", Arrays.copyOf(good, good.length + 4)), "after the .npy data");
        byte[] longHeader = good.clone();
        longHeader[8] = (byte) 0xFF;
        longHeader[9] = (byte) 0x7F;
        assertOneLine(() -> Npy.parse("t", longHeader), "runs past the end");
        byte[] magic = good.clone();
        magic[1] = 'X';
        assertOneLine(() -> Npy.parse("t", magic), "magic");
        assertOneLine(() -> Npy.parse("t", edit(good, "'<f4'", "'>f4'")), "unsupported .npy dtype");
        assertOneLine(() -> Npy.parse("t", edit(good, "'<f4'", "'<c8'")), "unsupported .npy dtype");
        assertOneLine(() -> Npy.parse("t", edit(good, "False", "True ")), "Fortran");
        assertOneLine(() -> Npy.parse("t", edit(good, "(2, 3)", "(2, x)")), "shape");
        assertOneLine(() -> Npy.read(dir.resolve("missing.npy")), "not found");
        assertThrows(BadInputException.class, () -> Npy.writeFloat32(dir.resolve("x"), new int[] {2, 2}, new float[3]));
    }

    private static byte[] edit(byte[] file, String from, String to) {
        String s = new String(file, StandardCharsets.ISO_8859_1);
        assertTrue(s.contains(from));
        return s.replace(from, to).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static void assertOneLine(org.junit.jupiter.api.function.Executable e, String part) {
        BadInputException ex = assertThrows(BadInputException.class, e);
        assertTrue(ex.getMessage().contains(part), ex.getMessage());
        assertEquals(1, ex.getMessage().lines().count(), ex.getMessage());
    }
}
