package org.bmsim.sim.tile;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.bmsim.common.BadInputException;
import org.bmsim.sim.nn.Parallel;

/**
 * The matrix-vector benchmark behind {@code bmsim bench mvm}: one tile of rows x cols cells with
 * random (mu, sigma), a batch of B reads, repeated for a wall-clock budget. Modes: {@code faithful}
 * (per-device sampling, fresh per read: {@link MvmKernels#perRead}) and {@code fast}
 * ({@link MvmKernels#outputReferred}). MAC/s counts rows x cols x B multiply-accumulates per call.
 */
public final class MvmBench {
    private MvmBench() {
    }

    /** The measured result. */
    public record Result(int rows, int cols, int batch, String mode, int threads, long calls, double seconds,
            double macsPerSecond) {
        public Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rows", rows);
            m.put("cols", cols);
            m.put("batch", batch);
            m.put("mode", mode);
            m.put("threads", threads);
            m.put("calls", calls);
            m.put("seconds", seconds);
            m.put("macs_per_second", macsPerSecond);
            m.put("kernel", mode.equals("fast") ? "MvmKernels.outputReferred (Gemm x2 + one Gaussian per output)"
                    : "MvmKernels.perRead (one VectorGaussian variate per MAC)");
            return m;
        }

        public String summary() {
            return String.format(Locale.ROOT, "%dx%d batch %d %s on %d threads: %.3g MAC/s (%d calls in %.2f s)", rows,
                    cols, batch, mode, threads, macsPerSecond, calls, seconds);
        }
    }

    public static Result run(int rows, int cols, int batch, String mode, double seconds, int threads) {
        if (rows < 1 || cols < 1 || rows > 16384 || cols > 16384) {
            throw new BadInputException("--rows and --cols must be 1..16384, got " + rows + " x " + cols);
        }
        if (batch < 1 || batch > 4096) {
            throw new BadInputException("--batch must be 1..4096, got " + batch);
        }
        if (!(seconds > 0) || seconds > 3600) {
            throw new BadInputException("--seconds must be in (0, 3600], got " + seconds);
        }
        boolean fast = switch (mode) {
            case "fast" -> true;
            case "faithful" -> false;
            default -> throw new BadInputException("--mode must be faithful or fast, got '" + mode + "'");
        };
        Random r = new Random(1);
        float[] mu = new float[rows * cols];
        float[] sg = new float[rows * cols];
        for (int k = 0; k < mu.length; k++) {
            mu[k] = (float) r.nextGaussian() * 0.3f;
            sg[k] = 0.05f * r.nextFloat();
        }
        TileMatrix t = TileMatrix.of(rows, cols, mu, sg);
        float[] x = new float[batch * rows];
        for (int k = 0; k < x.length; k++) {
            x[k] = r.nextFloat();
        }
        float[] y = new float[batch * cols];
        try (Parallel par = Parallel.of(threads)) {
            // warm-up: a fifth of the budget, at least 3 calls
            long warmEnd = System.nanoTime() + (long) (seconds * 0.2e9);
            for (int k = 0; k < 3 || System.nanoTime() < warmEnd; k++) {
                call(fast, t, x, batch, y, k, par);
            }
            long calls = 0;
            long t0 = System.nanoTime();
            long end = t0 + (long) (seconds * 1e9);
            long now;
            do {
                call(fast, t, x, batch, y, 1000 + calls, par);
                calls++;
                now = System.nanoTime();
            } while (now < end);
            double s = (now - t0) / 1e9;
            return new Result(rows, cols, batch, mode, threads, calls, s, (double) rows * cols * batch * calls / s);
        }
    }

    private static void call(boolean fast, TileMatrix t, float[] x, int batch, float[] y, long key, Parallel par) {
        if (fast) {
            MvmKernels.outputReferred(t, x, batch, y, key, par);
        } else {
            MvmKernels.perRead(t, x, batch, y, key, par);
        }
    }
}
