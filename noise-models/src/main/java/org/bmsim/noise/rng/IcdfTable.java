package org.bmsim.noise.rng;

import org.apache.commons.math3.special.Erf;

/**
 * The 447-entry piecewise-linear inverse-CDF table of the ICDF sampler (sampler spec, section 5),
 * generated here and nowhere else: the Java sampler and the Chisel generator (hdl) both read it.
 *
 * <p>Entry (o, s) for o in 0..30 and s in 0..2^min(4, 30-o)-1, with nb = 30 - o, k = min(4, nb),
 * a = 2^nb + s 2^(nb-k), b = 2^nb + (s+1) 2^(nb-k):
 * {@code base = floor(4096 Qbar((a + 0.5) / 2^32) + 0.5)}, {@code end} likewise at b,
 * {@code delta = end - base}, where Qbar(p) = Phi^-1(1 - p) = -Phi^-1(p), computed from commons-math's erfc-based inverse plus one Newton step on
 * {@code Phi(z) = erfc(-z / sqrt 2) / 2}, accurate far below the 4e-4 LSB margin to the nearest
 * rounding tie the spec states.
 */
public final class IcdfTable {
    /** Number of entries (spec section 5). */
    public static final int SIZE = 447;
    /** Number of octaves o = 30 - floor(log2 v). */
    public static final int OCTAVES = 31;
    /** Width of the fraction f10 that interpolates within an entry. */
    public static final int FRAC_BITS = 10;

    private static final int[] OFFSET = new int[OCTAVES + 1];
    private static final int[] BASE = new int[SIZE];
    private static final int[] DELTA = new int[SIZE];

    static {
        int n = 0;
        for (int o = 0; o < OCTAVES; o++) {
            OFFSET[o] = n;
            n += 1 << segmentBits(o);
        }
        OFFSET[OCTAVES] = n;
        if (n != SIZE) {
            throw new AssertionError("ICDF table has " + n + " entries, the spec says " + SIZE);
        }
        for (int o = 0; o < OCTAVES; o++) {
            int nb = 30 - o;
            int k = segmentBits(o);
            for (int s = 0; s < 1 << k; s++) {
                double a = Math.scalb(1.0, nb) + s * Math.scalb(1.0, nb - k);
                double b = Math.scalb(1.0, nb) + (s + 1) * Math.scalb(1.0, nb - k);
                int base = round4096(upperTailQuantile((a + 0.5) / 0x1p32));
                int end = round4096(upperTailQuantile((b + 0.5) / 0x1p32));
                BASE[OFFSET[o] + s] = base;
                DELTA[OFFSET[o] + s] = end - base;
            }
        }
    }

    private IcdfTable() {
    }

    /** k = min(4, 30 - o): the number of segment-select bits s in octave o. */
    public static int segmentBits(int o) {
        return Math.min(4, 30 - o);
    }

    /** Flat index of entry (o, s): entries are stored octave by octave, s ascending. */
    public static int index(int o, int s) {
        if (o < 0 || o >= OCTAVES || s < 0 || s >= 1 << segmentBits(o)) {
            throw new IndexOutOfBoundsException("no ICDF entry (o=" + o + ", s=" + s + ")");
        }
        return OFFSET[o] + s;
    }

    /** First flat index of octave o (o = 31 gives SIZE). */
    public static int offset(int o) {
        return OFFSET[o];
    }

    /** base values, flat (a copy); fits 16 bits unsigned. */
    public static int[] bases() {
        return BASE.clone();
    }

    /** delta values, flat (a copy); negative, 10-bit signed. */
    public static int[] deltas() {
        return DELTA.clone();
    }

    static int baseAt(int i) {
        return BASE[i];
    }

    static int deltaAt(int i) {
        return DELTA[i];
    }

    private static int round4096(double z) {
        return (int) Math.floor(4096.0 * z + 0.5);
    }

    /**
     * Qbar(p) = Phi^-1(1 - p) for 0 &lt; p &lt; 1, to about 1e-13 absolute (the table uses
     * p &lt;= 1/2 + 2^-33: the end of the last segment of octave 0 lies just past the median).
     */
    static double upperTailQuantile(double p) {
        if (!(p > 0 && p < 1)) {
            throw new IllegalArgumentException("p must be in (0, 1), got " + p);
        }
        // Phi^-1(p) = -sqrt2 erfcInv(2p); the erfc form keeps full relative precision in the tail.
        double z = -Math.sqrt(2.0) * Erf.erfcInv(2.0 * p);
        for (int i = 0; i < 2; i++) {
            double cdf = 0.5 * Erf.erfc(-z / Math.sqrt(2.0));
            double pdf = Math.exp(-0.5 * z * z) / Math.sqrt(2.0 * Math.PI);
            z -= (cdf - p) / pdf;
        }
        return -z;
    }
}
