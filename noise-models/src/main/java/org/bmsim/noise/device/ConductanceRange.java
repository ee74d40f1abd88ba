package org.bmsim.noise.device;

import org.bmsim.common.BadInputException;

/**
 * A closed conductance interval [gMin, gMax] in microsiemens over which a model was measured or
 * fitted, with a label naming the model for error messages. A conductance outside it is refused
 * with a one-line {@link BadInputException}, never extrapolated.
 *
 * @param gMinMicroSiemens lower end, &gt;= 0
 * @param gMaxMicroSiemens upper end, &gt; gMinMicroSiemens, finite
 * @param label what the range belongs to, e.g. "Joshi et al. 2020 PCM"
 */
public record ConductanceRange(double gMinMicroSiemens, double gMaxMicroSiemens, String label) {

    /** Validates before the object exists. */
    public ConductanceRange {
        if (label == null || label.isBlank()) {
            throw new BadInputException("a conductance range needs a label naming its model");
        }
        if (!(gMinMicroSiemens >= 0) || !Double.isFinite(gMinMicroSiemens)) {
            throw new BadInputException(label + ": g_min must be a finite conductance >= 0 uS, got "
                    + gMinMicroSiemens);
        }
        if (!(gMaxMicroSiemens > gMinMicroSiemens) || !Double.isFinite(gMaxMicroSiemens)) {
            throw new BadInputException(label + ": g_max must be finite and above g_min = "
                    + gMinMicroSiemens + " uS, got " + gMaxMicroSiemens);
        }
    }

    public static ConductanceRange of(double gMinMicroSiemens, double gMaxMicroSiemens, String label) {
        return new ConductanceRange(gMinMicroSiemens, gMaxMicroSiemens, label);
    }

    /** True if g lies in [gMin, gMax] (false for NaN). */
    public boolean contains(double gMicroSiemens) {
        return gMicroSiemens >= gMinMicroSiemens && gMicroSiemens <= gMaxMicroSiemens;
    }

    /** Returns g if it lies in the range, else throws the one-line error. */
    public double require(double gMicroSiemens) {
        if (!(gMicroSiemens >= gMinMicroSiemens && gMicroSiemens <= gMaxMicroSiemens)) {
            throw outside(gMicroSiemens);
        }
        return gMicroSiemens;
    }

    /** g clipped into [gMin, gMax]. */
    public double clip(double gMicroSiemens) {
        return Math.min(Math.max(gMicroSiemens, gMinMicroSiemens), gMaxMicroSiemens);
    }

    /**
     * The q-th of n equally spaced low conductances of a differential pair that holds the difference
     * dUs: G_low = gMin + (gMax - dUs - gMin) q / (n - 1), in [gMin, gMax - dUs] (the pair's grid in
     * {@code CellMapping}, the mapping's bounds and the realisable band). When dUs is the whole window,
     * gMax - dUs - gMin rounds to a few ulp below 0 for some windows (g_min = 0.001899120838,
     * g_max = 41.11709932000001 uS gave -2.7e-15), which put G_low below gMin and out of every curve's
     * range; the span is taken as 0 there, so G_low = gMin as the formula means.
     *
     * @param dUs the pair's conductance difference, in [0, gMax - gMin]
     * @param q the grid index, 0 .. n - 1
     * @param n the grid's points, &gt;= 2
     */
    public double pairLow(double dUs, int q, int n) {
        double span = Math.max(gMaxMicroSiemens - dUs - gMinMicroSiemens, 0);
        return gMinMicroSiemens + span * q / (n - 1);
    }

    /** The one-line error for a conductance outside this range. */
    public BadInputException outside(double gMicroSiemens) {
        return new BadInputException("conductance " + gMicroSiemens + " uS is outside the valid range ["
                + gMinMicroSiemens + ", " + gMaxMicroSiemens + "] uS of " + label
                + " (no extrapolation)");
    }
}
