package org.bmsim.sim.io;

import java.nio.file.Path;
import java.util.Arrays;
import org.bmsim.common.BadInputException;
import org.bmsim.sim.metrics.McPredictions;

/**
 * The {@code --dump DIR} of an evaluation: three NumPy files from which any outside tool can
 * recompute every metric.
 * <ul>
 * <li>{@code probs.npy}: float32 [S, N, C], p_s(c | x_i), the softmax output of weight sample s;</li>
 * <li>{@code subset.npy}: int8 [N], 0 mnist, 1 ambiguous, 2 ood;</li>
 * <li>{@code labels.npy}: int16 [N], the class, -1 where there is none.</li>
 * </ul>
 * Each file is written atomically.
 */
public final class PredictionDump {
    public static final String PROBS = "probs.npy";
    public static final String SUBSET = "subset.npy";
    public static final String LABELS = "labels.npy";

    private PredictionDump() {
    }

    /** Writes the three files into {@code dir} (created if needed). */
    public static void write(Path dir, McPredictions p) {
        Npy.writeFloat32(dir.resolve(PROBS), new int[] {p.samples(), p.count(), p.classes()}, p.probs());
        Npy.writeInt8(dir.resolve(SUBSET), new int[] {p.count()}, p.subset());
        Npy.writeInt16(dir.resolve(LABELS), new int[] {p.count()}, p.labels());
    }

    /** Reads a dump back; shapes and dtypes are checked with one-line errors. */
    public static McPredictions read(Path dir) {
        Npy.Array probs = Npy.read(dir.resolve(PROBS));
        Npy.Array subset = Npy.read(dir.resolve(SUBSET));
        Npy.Array labels = Npy.read(dir.resolve(LABELS));
        if (probs.shape().length != 3) {
            throw new BadInputException(dir.resolve(PROBS) + ": shape " + Arrays.toString(probs.shape())
                    + ", expected [S, N, C]");
        }
        int n = probs.shape()[1];
        if (!Arrays.equals(subset.shape(), new int[] {n}) || !Arrays.equals(labels.shape(), new int[] {n})) {
            throw new BadInputException(dir + ": subset.npy " + Arrays.toString(subset.shape()) + " and labels.npy "
                    + Arrays.toString(labels.shape()) + " must both have shape [" + n + "] to match probs.npy");
        }
        return new McPredictions(probs.shape()[0], n, probs.shape()[2], probs.floats(), labels.int16s(),
                subset.int8s());
    }
}
