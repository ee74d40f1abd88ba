package org.bmsim.sim.machine;

import java.util.Arrays;

/**
 * Per-row and per-column weight scales of one crossbar layer (docs/device-aware.md, section 2b):
 * weight (i, j) of the [rows = fan-in] x [cols = outputs] matrix is held at the scale
 * <pre>
 *   wScale_ij = wScale x rowGain_i x colScale_j,      0 &lt; rowGain_i, colScale_j &lt;= 1,
 * </pre>
 * realised by the periphery: row i is driven at rowGain_i of the DAC's full-scale amplitude (a
 * programmable drive or reference level per row, set once at programming time) and column j's
 * digitised output is multiplied by wScale colScale_j (a per-column digital gain, as in per-channel
 * output scaling). Device noise rides on the row drive and the column gain like the mean, so
 * w_ij = wScale_ij (G+ - G-) / gScale and sigma_ij = wScale_ij x (the pair's noise) / gScale: the
 * band of laws a cell realises at a given normalised mean u = |mu| / wScale_ij moves per weight
 * with the product. The posterior sigma of a Bayesian layer is close to rank one in log scale
 * (inputs and outputs each carry a factor; measured in docs/device-aware.md), which a single
 * layer scale cannot follow but this can.
 *
 * <p>{@link #fit} chooses the scales by maximising the number of weights whose law the cell
 * realises. For every weight the set of log-scales L = ln wScale_ij at which it is realisable is an
 * interval [A_ij, B_ij] (found on a grid); the fit looks for row terms alpha_i and column terms
 * beta_j with alpha_i + beta_j inside as many intervals as possible, by alternating exact
 * maximisation over one side with the other held (interval stabbing: the point covered by the most
 * intervals, found by sorting their end points). Each half-step cannot lower the count, so the
 * iteration converges; it is deterministic.
 *
 * @param wScale the layer's scale (weight units at rowGain = colScale = 1)
 * @param rowGain per row (fan-in index), in [{@code rowGainMin}, 1]
 * @param colScale per column (output index), in (0, 1]
 */
public record RowColumnScales(double wScale, float[] rowGain, float[] colScale) {
    /** Grid points per weight for its feasible interval of ln wScale_ij. */
    static final int GRID = 96;
    /** Alternating sweeps of the fit. */
    static final int SWEEPS = 8;

    public RowColumnScales {
        if (!(wScale > 0) || !Double.isFinite(wScale)) {
            throw new IllegalArgumentException("wScale must be positive and finite: " + wScale);
        }
    }

    /** The scale of weight (i, j). */
    public double at(int i, int j) {
        return wScale * rowGain[i] * colScale[j];
    }

    /** The smallest row gain (the range of row drive amplitudes the periphery must provide is 1 / that). */
    public double minRowGain() {
        double m = 1;
        for (float g : rowGain) {
            m = Math.min(m, g);
        }
        return m;
    }

    /** The smallest column scale. */
    public double minColScale() {
        double m = 1;
        for (float g : colScale) {
            m = Math.min(m, g);
        }
        return m;
    }

    /**
     * Fits the scales of a [rows x cols] layer (row-major mu, sigma in weight units) to a cell whose
     * band of sigma / wScale at normalised mean u = j / (K - 1) is [lo[j], hi[j]]: weight k is
     * realisable at scale w when its mean is not clipped by more than {@code tol} sigma and
     * sigma / w lies in [lo(u) / (1 + tol), hi(u) / (1 - tol)], so that the nearest law of the band
     * is within {@code tol} sigma of the target (the 2-Wasserstein criterion of
     * {@link org.bmsim.sim.tile.CellMapping#realisable}). Row gains are kept at or above
     * {@code rowGainMin} (the drive range).
     */
    public static RowColumnScales fit(float[] mu, float[] sigma, int rows, int cols, float[] lo, float[] hi, double tol,
            double rowGainMin) {
        int n = rows * cols;
        if (mu.length != n || sigma.length != n) {
            throw new IllegalArgumentException("mu and sigma must hold rows x cols values");
        }
        double[] a = new double[n];
        double[] b = new double[n];
        boolean[] ok = new boolean[n];
        feasible(mu, sigma, lo, hi, tol, a, b, ok);
        double[] alpha = new double[rows];
        double[] beta = new double[cols];
        // start: the one layer scale realising most weights
        double p0 = stab(a, b, ok, 0, 1, n, null);
        if (Double.isNaN(p0)) {
            p0 = Math.log(org.bmsim.sim.tile.CellMapping.wScale(mu));
        }
        Arrays.fill(alpha, p0);
        double cap = Math.log(rowGainMin);
        for (int s = 0; s < SWEEPS; s++) {
            for (int j = 0; j < cols; j++) {
                double v = stab(a, b, ok, j, cols, rows, alpha);
                if (!Double.isNaN(v)) {
                    beta[j] = v;
                }
            }
            for (int i = 0; i < rows; i++) {
                double v = stab(a, b, ok, i * cols, 1, cols, beta);
                if (!Double.isNaN(v)) {
                    alpha[i] = v;
                }
            }
            // keep the drive range: alpha_i >= max alpha + ln(rowGainMin)
            double top = Double.NEGATIVE_INFINITY;
            for (double v : alpha) {
                top = Math.max(top, v);
            }
            for (int i = 0; i < rows; i++) {
                alpha[i] = Math.max(alpha[i], top + cap);
            }
        }
        double ta = Double.NEGATIVE_INFINITY;
        double tb = Double.NEGATIVE_INFINITY;
        for (double v : alpha) {
            ta = Math.max(ta, v);
        }
        for (double v : beta) {
            tb = Math.max(tb, v);
        }
        float[] rg = new float[rows];
        float[] cs = new float[cols];
        for (int i = 0; i < rows; i++) {
            rg[i] = (float) Math.exp(alpha[i] - ta);
        }
        for (int j = 0; j < cols; j++) {
            cs[j] = (float) Math.exp(beta[j] - tb);
        }
        return new RowColumnScales(Math.exp(ta + tb), rg, cs);
    }

    /**
     * For every weight, the interval [a, b] of ln w at which it is realisable (ok false when there
     * is none), on a grid of {@value #GRID} points spanning the widest possible range.
     */
    static void feasible(float[] mu, float[] sigma, float[] lo, float[] hi, double tol, double[] a, double[] b,
            boolean[] ok) {
        int k = lo.length - 1;
        double loMin = Double.POSITIVE_INFINITY;
        double hiMax = 0;
        for (int j = 0; j <= k; j++) {
            loMin = Math.min(loMin, lo[j]);
            hiMax = Math.max(hiMax, hi[j]);
        }
        double rLo = 1 - tol;
        double rHi = 1 + tol;
        for (int q = 0; q < mu.length; q++) {
            double s = sigma[q];
            double m = Math.abs(mu[q]);
            ok[q] = false;
            if (!(s > 0)) {
                continue;
            }
            // sigma / w <= hiMax / rLo and >= loMin / rHi bound the range of w
            double l0 = Math.log(s * rLo / hiMax);
            double l1 = Math.log(s * rHi / loMin);
            int runStart = -1;
            int bestLen = 0;
            for (int g = 0; g <= GRID; g++) {
                boolean f = false;
                double w = Math.exp(l0 + (l1 - l0) * g / GRID);
                if (m <= w || m - w <= tol * s) {
                    double u = Math.min(m / w, 1.0) * k;
                    int j = Math.min((int) u, k - 1);
                    double t = u - j;
                    double bl = lo[j] + t * (lo[j + 1] - lo[j]);
                    double bh = hi[j] + t * (hi[j + 1] - hi[j]);
                    double r = s / w;
                    f = r >= bl / rHi && r <= bh / rLo;
                }
                if (f && runStart < 0) {
                    runStart = g;
                }
                if ((!f || g == GRID) && runStart >= 0) {
                    int end = f ? g : g - 1;
                    if (end - runStart + 1 > bestLen) {
                        bestLen = end - runStart + 1;
                        a[q] = l0 + (l1 - l0) * runStart / GRID;
                        b[q] = l0 + (l1 - l0) * end / GRID;
                        ok[q] = true;
                    }
                    runStart = -1;
                }
            }
        }
    }

    /**
     * The point covered by the most of the intervals [a_q - shift_t, b_q - shift_t] of the
     * {@code count} weights q = start + t step (shift_t = {@code shift[t]}, or 0 without it): the
     * midpoint of the best segment, the lowest such segment on ties; NaN when there is no interval.
     * For a column j (start j, step cols) shift is the row terms; for a row i (start i cols, step 1)
     * the column terms.
     */
    static double stab(double[] a, double[] b, boolean[] ok, int start, int step, int count, double[] shift) {
        int m = 0;
        double[] ev = new double[2 * count];
        int[] kind = new int[2 * count];
        for (int t = 0; t < count; t++) {
            int q = start + t * step;
            if (!ok[q]) {
                continue;
            }
            double sh = shift == null ? 0 : shift[t];
            ev[m] = a[q] - sh;
            kind[m++] = 1;
            ev[m] = b[q] - sh;
            kind[m++] = -1;
        }
        if (m == 0) {
            return Double.NaN;
        }
        Integer[] order = new Integer[m];
        for (int t = 0; t < m; t++) {
            order[t] = t;
        }
        // starts before ends at the same point (closed intervals)
        Arrays.sort(order, (x, y) -> ev[x] != ev[y] ? Double.compare(ev[x], ev[y]) : Integer.compare(kind[y], kind[x]));
        int c = 0;
        int best = 0;
        double pt = Double.NaN;
        for (int t = 0; t < m; t++) {
            int o = order[t];
            c += kind[o];
            if (kind[o] == 1 && c > best) {
                best = c;
                // the segment from this start to the next end point or start: its midpoint
                pt = 0.5 * (ev[o] + (t + 1 < m ? ev[order[t + 1]] : ev[o]));
            }
        }
        return pt;
    }
}
