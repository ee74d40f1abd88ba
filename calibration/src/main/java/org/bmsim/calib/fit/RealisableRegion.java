package org.bmsim.calib.fit;

import org.bmsim.noise.device.ConductanceFunction;
import org.bmsim.noise.device.ConductanceRange;

/**
 * The Bayesian view of a device: which weight distributions (mu, sigma) a differential pair of it
 * can realise. In the units of the mapping (docs/machine.md section 2), with gScale = g_max - g_min,
 * a weight of normalized mean D = |mu| / wScale in [0, 1] is held as G_high - G_low = D gScale, and
 * its normalized spread is
 *
 * <pre>
 *   sigma / wScale = sqrt(s(G_low)^2 + s(G_low + D gScale)^2) / gScale,   G_low in [g_min, g_max - D gScale]
 * </pre>
 *
 * so the realisable sigmas at D form the band [min, max] of that expression over G_low (evaluated
 * on a grid of {@link #GRID} points). A weight whose sigma lies outside the band (beyond the
 * mapping's tolerance) is what {@code CellMapping} reports as unrealisable.
 */
public final class RealisableRegion {
    public static final int GRID = 257;

    private RealisableRegion() {
    }

    /** Rows {D, sigma_min / wScale, sigma_max / wScale} for D = 0, 1/(points - 1), ..., 1. */
    public static double[][] band(ConductanceFunction s, int points) {
        ConductanceRange r = s.range();
        double gMin = r.gMinMicroSiemens();
        double gMax = r.gMaxMicroSiemens();
        double scale = gMax - gMin;
        double[][] out = new double[points][];
        for (int i = 0; i < points; i++) {
            double dn = (double) i / (points - 1);
            double d = dn * scale;
            double lo = Double.POSITIVE_INFINITY;
            double hi = 0;
            for (int q = 0; q < GRID; q++) {
                double gl = r.pairLow(d, q, GRID);
                double gh = Math.min(gl + d, gMax);
                double v = Math.sqrt(sq(s.at(gl)) + sq(s.at(gh))) / scale;
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            out[i] = new double[] {dn, lo, hi};
        }
        return out;
    }

    private static double sq(double x) {
        return x * x;
    }
}
