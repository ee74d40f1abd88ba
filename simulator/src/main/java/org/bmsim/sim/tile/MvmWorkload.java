package org.bmsim.sim.tile;

import java.util.SplittableRandom;
import org.bmsim.common.BadInputException;
import org.bmsim.sim.nn.Parallel;

/**
 * The tile matrix-vector workload that both throughput measurements run: {@code bmsim bench mvm}
 * ({@link MvmThroughput}, wall clock) and the JMH benchmark {@code bench/MvmBench}. One tile of
 * rows x cols cells with random (mu ~ N(0, 0.3^2), sigma ~ U(0, 0.05)), a batch of B input
 * vectors in [0, 1), and one kernel call per read: {@code faithful} (per-device sampling, fresh
 * per read: {@link MvmKernels#perRead}) or {@code fast} ({@link MvmKernels#outputReferred}).
 * One call is rows x cols x B multiply-accumulates.
 */
public final class MvmWorkload {
    /** The two matrix paths that can be measured. */
    public enum Mode {
        FAITHFUL("MvmKernels.perRead (one VectorGaussian variate per MAC)"),
        FAST("MvmKernels.outputReferred (Gemm x2 + one Gaussian per output)");

        private final String kernel;

        Mode(String kernel) {
            this.kernel = kernel;
        }

        /** The kernel the mode runs, in words (for reports). */
        public String kernel() {
            return kernel;
        }

        /** {@code faithful} or {@code fast}; anything else is a one-line error. */
        public static Mode parse(String s) {
            return switch (s) {
                case "faithful" -> FAITHFUL;
                case "fast" -> FAST;
                default -> throw new BadInputException("--mode must be faithful or fast, got '" + s + "'");
            };
        }
    }

    private final int rows;
    private final int cols;
    private final int batch;
    private final TileMatrix tile;
    private final float[] x;
    private final float[] y;

    private MvmWorkload(int rows, int cols, int batch, TileMatrix tile, float[] x) {
        this.rows = rows;
        this.cols = cols;
        this.batch = batch;
        this.tile = tile;
        this.x = x;
        this.y = new float[batch * cols];
    }

    /** A random workload; the shape is validated before anything is allocated. */
    public static MvmWorkload of(int rows, int cols, int batch, long seed) {
        if (rows < 1 || cols < 1 || rows > 16384 || cols > 16384) {
            throw new BadInputException("--rows and --cols must be 1..16384, got " + rows + " x " + cols);
        }
        if (batch < 1 || batch > 4096) {
            throw new BadInputException("--batch must be 1..4096, got " + batch);
        }
        SplittableRandom r = new SplittableRandom(seed);
        float[] mu = new float[rows * cols];
        float[] sg = new float[rows * cols];
        for (int k = 0; k < mu.length; k++) {
            mu[k] = (float) r.nextGaussian() * 0.3f;
            sg[k] = 0.05f * (float) r.nextDouble();
        }
        float[] x = new float[batch * rows];
        for (int k = 0; k < x.length; k++) {
            x[k] = (float) r.nextDouble();
        }
        return new MvmWorkload(rows, cols, batch, TileMatrix.of(rows, cols, mu, sg), x);
    }

    /** One read of the batch through the mode's kernel; {@code key} seeds its noise. */
    public float[] read(Mode mode, long key, Parallel par) {
        if (mode == Mode.FAST) {
            MvmKernels.outputReferred(tile, x, batch, y, key, par);
        } else {
            MvmKernels.perRead(tile, x, batch, y, key, par);
        }
        return y;
    }

    /** Multiply-accumulates per {@link #read}. */
    public long macsPerRead() {
        return (long) rows * cols * batch;
    }
}
