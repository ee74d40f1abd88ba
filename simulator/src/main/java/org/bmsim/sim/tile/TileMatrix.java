package org.bmsim.sim.tile;

import org.bmsim.common.BadInputException;

/**
 * The per-device weight distribution a tile holds, in normalized weight units: mean {@code mu} and
 * per-read standard deviation {@code sigma} for every cell (row i = input, column j = output).
 * Stored in column panels of {@link #PANEL} columns: panel p holds columns [64 p, 64 p + w_p) as a
 * rows x w_p row-major block, so a column block is contiguous for the kernels and for
 * {@link org.bmsim.sim.nn.Gemm}.
 */
public final class TileMatrix {
    /** Columns per panel (a multiple of the 16 variates {@link VectorGaussian} makes per step). */
    public static final int PANEL = 64;

    final int rows;
    final int cols;
    final float[] mu;
    final float[] sigma;
    final float[] sigma2;
    /**
     * A tile narrower than one vector (conv1's 6 columns): mu and sigma^2 again, padded with zero
     * columns to {@link #NARROW} so the matrix kernels run vectorised; null otherwise. The padding
     * changes no real column: every kernel sums each output in input order with fused multiply-adds,
     * vector lane or scalar alike.
     */
    final float[] muPadded;
    final float[] sigma2Padded;
    /** Width of the padded copies. */
    static final int NARROW = 8;

    private TileMatrix(int rows, int cols) {
        this.rows = rows;
        this.cols = cols;
        int n = Math.multiplyExact(rows, cols);
        this.mu = new float[n];
        this.sigma = new float[n];
        this.sigma2 = new float[n];
        this.muPadded = cols < NARROW ? new float[rows * NARROW] : null;
        this.sigma2Padded = cols < NARROW ? new float[rows * NARROW] : null;
    }

    /**
     * A matrix from row-major {@code mu[i * cols + j]} and {@code sigma[i * cols + j]} (sigma may be
     * null: all zero).
     */
    public static TileMatrix of(int rows, int cols, float[] mu, float[] sigma) {
        if (rows < 1 || cols < 1) {
            throw new BadInputException("a tile needs at least one row and column, got " + rows + " x " + cols);
        }
        if (mu.length != rows * cols || (sigma != null && sigma.length != rows * cols)) {
            throw new IllegalArgumentException("mu/sigma must hold " + rows * cols + " values");
        }
        TileMatrix t = new TileMatrix(rows, cols);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                int at = t.index(i, j);
                t.mu[at] = mu[i * cols + j];
                float s = sigma == null ? 0f : sigma[i * cols + j];
                if (!(s >= 0) || !Float.isFinite(s)) {
                    throw new BadInputException("sigma must be finite and >= 0, got " + s + " at (" + i + ", " + j + ")");
                }
                t.sigma[at] = s;
                t.sigma2[at] = s * s;
                if (t.muPadded != null) {
                    t.muPadded[i * NARROW + j] = t.mu[at];
                    t.sigma2Padded[i * NARROW + j] = t.sigma2[at];
                }
            }
        }
        return t;
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public int panels() {
        return (cols + PANEL - 1) / PANEL;
    }

    /** First column of panel p. */
    public static int panelStart(int p) {
        return p * PANEL;
    }

    /** Width of panel p. */
    public int panelWidth(int p) {
        return Math.min(PANEL, cols - p * PANEL);
    }

    /** Offset of panel p in the flat arrays. */
    public int panelOffset(int p) {
        return p * rows * PANEL;
    }

    /** Flat index of cell (i, j). */
    public int index(int i, int j) {
        int p = j / PANEL;
        return panelOffset(p) + i * panelWidth(p) + (j - p * PANEL);
    }

    public float mu(int i, int j) {
        return mu[index(i, j)];
    }

    public float sigma(int i, int j) {
        return sigma[index(i, j)];
    }

    /** True when every sigma is zero (a noise-free tile). */
    public boolean noiseFree() {
        for (float s : sigma) {
            if (s != 0f) {
                return false;
            }
        }
        return true;
    }
}
