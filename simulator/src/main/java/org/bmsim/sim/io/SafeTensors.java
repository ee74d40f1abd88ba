package org.bmsim.sim.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.bmsim.common.AtomicFiles;
import org.bmsim.common.BadInputException;
import org.bmsim.common.InputFiles;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reader and writer of safetensors files (the Hugging Face format, written by hand: it is tiny).
 *
 * <p>Layout: an unsigned little-endian 64-bit header length N, then N bytes of UTF-8 JSON, then the
 * raw little-endian tensor data. The JSON maps each tensor name to
 * {@code {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}} (offsets relative to the
 * data section) and may hold {@code "__metadata__"}, a map of strings. The writer writes F32 only,
 * tensors in the order given, the header padded with spaces to a multiple of 8 bytes; the reader
 * also reads F16, BF16 and F64, converting to float. Every inconsistency (truncated file, header
 * length past the end, bad JSON, unknown dtype, offsets outside the data or not matching the shape)
 * is a one-line {@link BadInputException} naming the file and the tensor.
 */
public final class SafeTensors {
    /** Largest header accepted (the format's reference implementation uses the same bound). */
    public static final long MAX_HEADER = 100L << 20;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private SafeTensors() {
    }

    /** Element types read by bmsim. */
    public enum DType {
        F32(4), F16(2), BF16(2), F64(8);

        final int bytes;

        DType(int bytes) {
            this.bytes = bytes;
        }
    }

    /** A tensor as stored: name, dtype, shape and its values converted to float (row-major). */
    public record Tensor(String name, DType dtype, int[] shape, float[] values) {
        public Tensor {
            Objects.requireNonNull(name);
            Objects.requireNonNull(shape);
            Objects.requireNonNull(values);
            if (numel(shape) != values.length) {
                throw new IllegalArgumentException(name + ": " + values.length + " values for shape " + Arrays.toString(shape));
            }
        }

        /** An F32 tensor. */
        public static Tensor f32(String name, int[] shape, float[] values) {
            return new Tensor(name, DType.F32, shape, values);
        }
    }

    /** A file's tensors (in file order) and metadata. */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {
    }

    /** Elements of a shape; {@code Long.MAX_VALUE} when the product overflows (no file holds that many). */
    static long numel(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d != 0 && n > Long.MAX_VALUE / d) {
                n = Long.MAX_VALUE;
            } else {
                n *= d;
            }
        }
        for (int d : shape) {
            if (d == 0) {
                return 0;
            }
        }
        return n;
    }

    /** Reads and validates a file. */
    public static Contents read(Path file) {
        byte[] bytes = InputFiles.readAllBytes(file);
        return decode(file.toString(), bytes);
    }

    /** Decodes the bytes of a file; {@code source} names it in messages. */
    public static Contents decode(String source, byte[] bytes) {
        if (bytes.length < 8) {
            throw new BadInputException(source + ": truncated safetensors file (" + bytes.length
                    + " bytes; it must start with an 8-byte header length)");
        }
        ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long n = bb.getLong(0);
        if (n < 0 || n > bytes.length - 8L) {
            throw new BadInputException(source + ": header length " + Long.toUnsignedString(n) + " is larger than the file ("
                    + bytes.length + " bytes): truncated or not a safetensors file");
        }
        if (n > MAX_HEADER) {
            throw new BadInputException(source + ": header of " + n + " bytes is larger than the " + MAX_HEADER + " allowed");
        }
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        JsonNode root;
        try {
            root = JSON.readTree(header);
        } catch (JacksonException e) {
            throw new BadInputException(source + ": the header is not valid JSON ("
                    + BadInputException.excerpt(firstLine(e.getOriginalMessage())) + ")");
        }
        if (root == null || !root.isObject()) {
            throw new BadInputException(source + ": the header is not a JSON object");
        }
        int dataStart = 8 + (int) n;
        long dataLen = bytes.length - (long) dataStart;
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, String> meta = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            String name = e.getKey();
            JsonNode v = e.getValue();
            if (name.equals("__metadata__")) {
                if (!v.isObject()) {
                    throw new BadInputException(source + ": __metadata__ is not a map of strings");
                }
                for (Map.Entry<String, JsonNode> m : v.properties()) {
                    if (!m.getValue().isString()) {
                        throw new BadInputException(source + ": __metadata__ value of '" + BadInputException.excerpt(m.getKey())
                                + "' is not a string");
                    }
                    meta.put(m.getKey(), m.getValue().asString());
                }
                continue;
            }
            tensors.put(name, tensor(source, name, v, bb, dataStart, dataLen));
        }
        return new Contents(Collections.unmodifiableMap(tensors), Collections.unmodifiableMap(meta));
    }

    private static Tensor tensor(String source, String name, JsonNode v, ByteBuffer bb, int dataStart, long dataLen) {
        String where = source + ": tensor '" + BadInputException.excerpt(name) + "'";
        if (!v.isObject() || !v.has("dtype") || !v.has("shape") || !v.has("data_offsets")) {
            throw new BadInputException(where + " needs dtype, shape and data_offsets");
        }
        if (!v.get("dtype").isString()) {
            throw new BadInputException(where + ": dtype must be a string such as \"F32\"");
        }
        String dt = v.get("dtype").asString();
        DType dtype;
        try {
            dtype = DType.valueOf(dt);
        } catch (IllegalArgumentException ex) {
            throw new BadInputException(where + " has dtype " + BadInputException.excerpt(dt) + "; bmsim reads F32, F16, BF16 and F64");
        }
        JsonNode sh = v.get("shape");
        JsonNode off = v.get("data_offsets");
        if (!sh.isArray() || !off.isArray() || off.size() != 2) {
            throw new BadInputException(where + ": shape must be an array and data_offsets a pair");
        }
        int[] shape = new int[sh.size()];
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = sh.get(i);
            if (!d.isIntegralNumber() || !d.canConvertToLong() || d.asLong() < 0 || d.asLong() > Integer.MAX_VALUE) {
                throw new BadInputException(where + ": bad dimension " + BadInputException.excerpt(String.valueOf(d)) + " in shape");
            }
            shape[i] = (int) d.asLong();
        }
        if (!off.get(0).canConvertToLong() || !off.get(1).canConvertToLong() || !off.get(0).isIntegralNumber()
                || !off.get(1).isIntegralNumber()) {
            throw new BadInputException(where + ": data_offsets must be two integers, got "
                    + BadInputException.excerpt(off.toString()));
        }
        long begin = off.get(0).asLong();
        long end = off.get(1).asLong();
        if (begin < 0 || end < begin || end > dataLen) {
            throw new BadInputException(where + ": data_offsets [" + BadInputException.excerpt(String.valueOf(off.get(0)))
                    + ", " + BadInputException.excerpt(String.valueOf(off.get(1))) + "] lie outside the " + dataLen + " data bytes (truncated file?)");
        }
        long count = numel(shape);
        if (count > Integer.MAX_VALUE - 8 || count * dtype.bytes != end - begin) {
            throw new BadInputException(where + ": shape " + BadInputException.excerpt(Arrays.toString(shape)) + " of "
                    + dtype + " needs " + (count > Integer.MAX_VALUE - 8 ? "more than 2^31 values" : count * dtype.bytes
                    + " bytes") + " but data_offsets span " + (end - begin));
        }
        float[] x = new float[(int) count];
        int p = dataStart + (int) begin;
        switch (dtype) {
            case F32:
                bb.slice(p, x.length * 4).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(x);
                break;
            case F64:
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) bb.getDouble(p + 8 * i);
                }
                break;
            case F16:
                for (int i = 0; i < x.length; i++) {
                    x[i] = halfToFloat(bb.getShort(p + 2 * i));
                }
                break;
            case BF16:
                for (int i = 0; i < x.length; i++) {
                    x[i] = Float.intBitsToFloat((bb.getShort(p + 2 * i) & 0xFFFF) << 16);
                }
                break;
            default:
                throw new AssertionError(dtype);
        }
        return new Tensor(name, dtype, shape, x);
    }

    /** IEEE 754 binary16 to float (Java 17 has no Float.float16ToFloat). */
    static float halfToFloat(short h) {
        int bits = h & 0xFFFF;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1F;
        int mant = bits & 0x3FF;
        if (exp == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13));
        }
        if (exp == 0) {
            float v = mant * 0x1p-24f; // subnormal: mant * 2^-24
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /** Encodes F32 tensors and metadata. */
    public static byte[] encode(List<Tensor> tensors, Map<String, String> metadata) {
        ObjectNode root = JSON.createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            ObjectNode m = root.putObject("__metadata__");
            metadata.forEach(m::put);
        }
        long offset = 0;
        for (Tensor t : tensors) {
            if (t.dtype() != DType.F32) {
                throw new IllegalArgumentException("the writer writes F32 only: " + t.name());
            }
            if (root.has(t.name())) {
                throw new IllegalArgumentException("duplicate tensor " + t.name());
            }
            ObjectNode o = root.putObject(t.name());
            o.put("dtype", "F32");
            ArrayNode s = o.putArray("shape");
            for (int d : t.shape()) {
                s.add(d);
            }
            ArrayNode d = o.putArray("data_offsets");
            d.add(offset);
            offset += 4L * t.values().length;
            d.add(offset);
        }
        byte[] header = JSON.writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
        int padded = (header.length + 7) / 8 * 8;
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(8 + padded + offset)).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(padded);
        out.put(header);
        for (int i = header.length; i < padded; i++) {
            out.put((byte) ' ');
        }
        for (Tensor t : tensors) {
            out.asFloatBuffer().put(t.values());
            out.position(out.position() + 4 * t.values().length);
        }
        return out.array();
    }

    /** Writes F32 tensors and metadata atomically. */
    public static void write(Path file, List<Tensor> tensors, Map<String, String> metadata) {
        AtomicFiles.write(file, encode(tensors, metadata));
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.strip().lines().findFirst().orElse("");
    }
}
