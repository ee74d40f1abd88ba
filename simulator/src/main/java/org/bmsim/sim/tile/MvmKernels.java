package org.bmsim.sim.tile;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.bmsim.sim.nn.Gemm;
import org.bmsim.sim.nn.Parallel;

/**
 * The three matrix-vector kernels of a tile's "multiply with device noise" stage, on a batch of
 * {@code reads} input vectors {@code x[reads x rows]} into {@code y[reads x cols]} (row-major):
 *
 * <ul>
 * <li>{@link #perRead} (faithful, physical semantics): every read draws a fresh sample of every
 *     device, {@code y_bj = sum_i x_bi (mu_ij + sigma_ij z_bij)}: one Gaussian per
 *     multiply-accumulate, from the stream (key, b, panel), in row order;</li>
 * <li>{@link #perInference} (faithful, software semantics): one sample {@code W = mu + sigma Z}
 *     (stream (key, panel), row order) shared by all reads, then {@link Gemm#mul};</li>
 * <li>{@link #outputReferred} (fast): {@code y_bj = sum_i x_bi mu_ij + z_bj sqrt(sum_i x_bi^2 sigma_ij^2)},
 *     two {@link Gemm#mul} and one Gaussian per output; exact in distribution only where
 *     {@link FastPathRule} allows it.</li>
 * </ul>
 *
 * Work is split into tasks by column panel (and by blocks of reads for the GEMM kernels); every
 * random stream is keyed by its (read, panel) or panel index, so results are bit-identical at any
 * thread count.
 */
public final class MvmKernels {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
    private static final int L = F.length();
    /** Reads per GEMM task. */
    static final int READ_BLOCK = 64;
    /** Rows whose variates the per-read kernel draws in one call of the generator. */
    static final int ROW_BLOCK = 16;

    private MvmKernels() {
    }

    /** Faithful per-read sampling. */
    public static void perRead(TileMatrix t, float[] x, int reads, float[] y, long key, Parallel par) {
        int panels = t.panels();
        par.forEach(panels * reads, (task, worker) -> {
            int p = task % panels;
            int b = task / panels;
            perReadPanel(t, p, x, b, y, key);
        });
    }

    private static void perReadPanel(TileMatrix t, int p, float[] x, int b, float[] y, long key) {
        int rows = t.rows;
        int w = t.panelWidth(p);
        int wPad = (w + 15) & ~15;
        int w1 = w - w % L;
        int base = t.panelOffset(p);
        // the variates of ROW_BLOCK rows in one fill: the same stream as one fill per row (the
        // generator is sequential), with its state loaded and stored once per block
        float[] z = new float[ROW_BLOCK * wPad];
        float[] acc = new float[w];
        VectorGaussian g = VectorGaussian.of(VectorGaussian.key(key, (long) b * t.panels() + p));
        float[] mu = t.mu;
        float[] sg = t.sigma;
        int xr = b * rows;
        for (int i0 = 0; i0 < rows; i0 += ROW_BLOCK) {
            int nb = Math.min(ROW_BLOCK, rows - i0);
            g.fill(z, 0, nb * wPad);
            for (int ii = 0; ii < nb; ii++) {
                int i = i0 + ii;
                int zo = ii * wPad;
                float xi = x[xr + i];
                int off = base + i * w;
                FloatVector xv = FloatVector.broadcast(F, xi);
                int j = 0;
                for (; j < w1; j += L) {
                    FloatVector wv = FloatVector.fromArray(F, sg, off + j).fma(FloatVector.fromArray(F, z, zo + j),
                            FloatVector.fromArray(F, mu, off + j));
                    wv.fma(xv, FloatVector.fromArray(F, acc, j)).intoArray(acc, j);
                }
                for (; j < w; j++) {
                    acc[j] = Math.fma(xi, Math.fma(sg[off + j], z[zo + j], mu[off + j]), acc[j]);
                }
            }
        }
        System.arraycopy(acc, 0, y, b * t.cols + TileMatrix.panelStart(p), w);
    }

    /** One weight sample per call (per inference), shared by every read. */
    public static void perInference(TileMatrix t, float[] x, int reads, float[] y, long key, Parallel par,
            float[] sampleScratch) {
        int panels = t.panels();
        float[] ws = sampleScratch;
        par.forEach(panels, (p, worker) -> {
            int w = t.panelWidth(p);
            int wPad = (w + 15) & ~15;
            float[] z = new float[wPad];
            int base = t.panelOffset(p);
            VectorGaussian g = VectorGaussian.of(VectorGaussian.key(key, p));
            for (int i = 0; i < t.rows; i++) {
                g.fill(z, 0, wPad);
                int off = base + i * w;
                for (int j = 0; j < w; j++) {
                    ws[off + j] = Math.fma(t.sigma[off + j], z[j], t.mu[off + j]);
                }
            }
        });
        gemmPanels(t, ws, x, reads, y, par, null, 0);
    }

    /** The product with the means only (noise off): y = x mu. */
    public static void mean(TileMatrix t, float[] x, int reads, float[] y, Parallel par) {
        gemmPanels(t, t.mu, x, reads, y, par, null, 0);
    }

    /** Whether m is the tile's mu (its padded copy stands in for it on a narrow tile). */
    private static float[] padded(TileMatrix t, float[] m) {
        return m == t.mu ? t.muPadded : null;
    }

    /** The output-referred fast path. */
    public static void outputReferred(TileMatrix t, float[] x, int reads, float[] y, long key, Parallel par) {
        int n = reads * t.rows;
        float[] x2 = new float[n];
        int n1 = n - n % L;
        for (int i = 0; i < n1; i += L) {
            FloatVector v = FloatVector.fromArray(F, x, i);
            v.mul(v).intoArray(x2, i);
        }
        for (int i = n1; i < n; i++) {
            x2[i] = x[i] * x[i];
        }
        gemmPanels(t, t.mu, x, reads, y, par, x2, key);
    }

    /**
     * out[0..64) = x[xOff..xOff+rows) times a full panel (rows x 64 from {@code base}): one input
     * vector, the panel read row after row in one sequential stream (the GEMM kernel walks it in four
     * strided column blocks). Every output sums in input order with fused multiply-adds, so the
     * result equals {@link Gemm#mul}'s bit for bit.
     */
    private static void gemvPanel(int rows, float[] x, int xOff, float[] m, int base, float[] out) {
        FloatVector s0 = FloatVector.zero(F);
        FloatVector s1 = FloatVector.zero(F);
        FloatVector s2 = FloatVector.zero(F);
        FloatVector s3 = FloatVector.zero(F);
        FloatVector s4 = FloatVector.zero(F);
        FloatVector s5 = FloatVector.zero(F);
        FloatVector s6 = FloatVector.zero(F);
        FloatVector s7 = FloatVector.zero(F);
        for (int i = 0; i < rows; i++) {
            FloatVector xv = FloatVector.broadcast(F, x[xOff + i]);
            int o = base + i * TileMatrix.PANEL;
            s0 = FloatVector.fromArray(F, m, o).fma(xv, s0);
            s1 = FloatVector.fromArray(F, m, o + L).fma(xv, s1);
            s2 = FloatVector.fromArray(F, m, o + 2 * L).fma(xv, s2);
            s3 = FloatVector.fromArray(F, m, o + 3 * L).fma(xv, s3);
            s4 = FloatVector.fromArray(F, m, o + 4 * L).fma(xv, s4);
            s5 = FloatVector.fromArray(F, m, o + 5 * L).fma(xv, s5);
            s6 = FloatVector.fromArray(F, m, o + 6 * L).fma(xv, s6);
            s7 = FloatVector.fromArray(F, m, o + 7 * L).fma(xv, s7);
        }
        s0.intoArray(out, 0);
        s1.intoArray(out, L);
        s2.intoArray(out, 2 * L);
        s3.intoArray(out, 3 * L);
        s4.intoArray(out, 4 * L);
        s5.intoArray(out, 5 * L);
        s6.intoArray(out, 6 * L);
        s7.intoArray(out, 7 * L);
    }

    /** The first w of every NARROW columns of {@code wide} into {@code out[n x w]}. */
    private static void compact(float[] wide, float[] out, int n, int w) {
        for (int r = 0; r < n; r++) {
            System.arraycopy(wide, r * TileMatrix.NARROW, out, r * w, w);
        }
    }

    /**
     * y = x M per panel (M = {@code m}, panel layout of t); with {@code x2} also v = x2 sigma^2 and
     * y += z sqrt(v), z from the stream (key, read block, panel), read by read.
     */
    private static void gemmPanels(TileMatrix t, float[] m, float[] x, int reads, float[] y, Parallel par,
            float[] x2, long key) {
        int panels = t.panels();
        int blocks = (reads + READ_BLOCK - 1) / READ_BLOCK;
        int rows = t.rows;
        int cols = t.cols;
        par.forEach(panels * blocks, (task, worker) -> {
            int p = task % panels;
            int rb = task / panels;
            int r0 = rb * READ_BLOCK;
            int nr = Math.min(READ_BLOCK, reads - r0);
            int w = t.panelWidth(p);
            int base = t.panelOffset(p);
            float[] out = new float[nr * w];
            float[] mp = padded(t, m);
            boolean narrow = mp != null;
            if (narrow) {
                // a tile narrower than a vector: the padded copy, then the real columns
                float[] o8 = new float[nr * TileMatrix.NARROW];
                Gemm.mul(nr, TileMatrix.NARROW, rows, x, r0 * rows, mp, 0, o8, 0, false);
                compact(o8, out, nr, w);
            } else if (nr == 1 && w == TileMatrix.PANEL) {
                gemvPanel(rows, x, r0 * rows, m, base, out);
            } else {
                Gemm.mul(nr, w, rows, x, r0 * rows, m, base, out, 0, false);
            }
            if (x2 != null) {
                float[] v = new float[nr * w];
                if (narrow) {
                    float[] v8 = new float[nr * TileMatrix.NARROW];
                    Gemm.mul(nr, TileMatrix.NARROW, rows, x2, r0 * rows, t.sigma2Padded, 0, v8, 0, false);
                    compact(v8, v, nr, w);
                } else if (nr == 1 && w == TileMatrix.PANEL) {
                    gemvPanel(rows, x2, r0 * rows, t.sigma2, base, v);
                } else {
                    Gemm.mul(nr, w, rows, x2, r0 * rows, t.sigma2, base, v, 0, false);
                }
                int nz = (nr * w + 15) & ~15;
                float[] z = new float[nz];
                VectorGaussian.of(VectorGaussian.key(key, (long) rb * panels + p)).fill(z, 0, nz);
                for (int q = 0; q < nr * w; q++) {
                    out[q] = Math.fma((float) Math.sqrt(v[q]), z[q], out[q]);
                }
            }
            int c0 = TileMatrix.panelStart(p);
            for (int r = 0; r < nr; r++) {
                System.arraycopy(out, r * w, y, (r0 + r) * cols + c0, w);
            }
        });
    }
}
