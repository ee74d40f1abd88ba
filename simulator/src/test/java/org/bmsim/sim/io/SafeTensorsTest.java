package org.bmsim.sim.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.bmsim.common.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The safetensors codec: round trip, every readable dtype, and one-line refusals of bad files. */
class SafeTensorsTest {
    @TempDir
    Path dir;

    /** A file with a hand-written header and data section. */
    static byte[] file(String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).put(data);
        return b.array();
    }

    @Test
    void roundTripKeepsOrderShapesValuesAndMetadata() {
        var a = SafeTensors.Tensor.f32("b.first", new int[] {2, 3}, new float[] {1, -2, 3.5f, 0, Float.MIN_VALUE, 7});
        var s = SafeTensors.Tensor.f32("a.scalarish", new int[] {1}, new float[] {42});
        Path f = dir.resolve("m.safetensors");
        SafeTensors.write(f, List.of(a, s), Map.of("arch", "x", "note", "quote \" and \\ and é"));
        var c = SafeTensors.read(f);
        assertEquals(List.of("b.first", "a.scalarish"), List.copyOf(c.tensors().keySet()));
        assertArrayEquals(a.values(), c.tensors().get("b.first").values());
        assertArrayEquals(new int[] {2, 3}, c.tensors().get("b.first").shape());
        assertEquals("quote \" and \\ and é", c.metadata().get("note"));
        byte[] bytes = SafeTensors.encode(List.of(a, s), Map.of());
        long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, n % 8, "header padded to 8 bytes");
        assertEquals(8 + n + 4 * 7, bytes.length);
    }

    @Test
    void readsF16Bf16AndF64() {
        // F16: 1.0 = 0x3C00, -2.0 = 0xC000, 65504 = 0x7BFF, smallest subnormal 0x0001 = 2^-24
        ByteBuffer d = ByteBuffer.allocate(8 + 4 + 16).order(ByteOrder.LITTLE_ENDIAN);
        d.putShort((short) 0x3C00).putShort((short) 0xC000).putShort((short) 0x7BFF).putShort((short) 0x0001);
        // BF16: 1.5 = 0x3FC0, -0.5 = 0xBF00
        d.putShort((short) 0x3FC0).putShort((short) 0xBF00);
        d.putDouble(0.1).putDouble(-3.25);
        String h = "{\"h\":{\"dtype\":\"F16\",\"shape\":[4],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[8,12]},"
                + "\"d\":{\"dtype\":\"F64\",\"shape\":[2,1],\"data_offsets\":[12,28]}}";
        var c = SafeTensors.decode("t", file(h, d.array()));
        assertArrayEquals(new float[] {1f, -2f, 65504f, 0x1p-24f}, c.tensors().get("h").values());
        assertArrayEquals(new float[] {1.5f, -0.5f}, c.tensors().get("b").values());
        assertArrayEquals(new float[] {0.1f, -3.25f}, c.tensors().get("d").values());
        assertEquals(Float.POSITIVE_INFINITY, SafeTensors.halfToFloat((short) 0x7C00));
        assertTrue(Float.isNaN(SafeTensors.halfToFloat((short) 0x7E00)));
    }

    private static void refused(byte[] bytes, String fragment) {
        BadInputException e = assertThrows(BadInputException.class, () -> SafeTensors.decode("bad.safetensors", bytes));
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
        assertTrue(e.getMessage().startsWith("bad.safetensors: "), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void refusesBadFilesWithOneLineErrors() {
        byte[] good = SafeTensors.encode(List.of(SafeTensors.Tensor.f32("w", new int[] {2, 2}, new float[] {1, 2, 3, 4})),
                Map.of());
        refused(new byte[5], "truncated");
        refused(Arrays.copyOf(good, good.length - 3), "outside");
        byte[] big = good.clone();
        ByteBuffer.wrap(big).order(ByteOrder.LITTLE_ENDIAN).putLong(0, good.length);
        refused(big, "larger than the file");
        ByteBuffer.wrap(big).order(ByteOrder.LITTLE_ENDIAN).putLong(0, -1L);
        refused(big, "larger than the file");
        refused(file("{\"w\":{\"dtype\":\"I32\",\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4]), "dtype I32");
        refused(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", new byte[8]), "needs 12 bytes");
        refused(file("{\"w\": [1, 2", new byte[0]), "not valid JSON");
        refused(file("[1]", new byte[0]), "not a JSON object");
        refused(file("{\"w\":{\"dtype\":\"F32\"}}", new byte[0]), "needs dtype, shape and data_offsets");
        refused(file("{\"__metadata__\":{\"a\":1}}", new byte[0]), "not a string");
    }
}
