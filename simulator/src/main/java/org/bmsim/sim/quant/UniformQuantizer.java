package org.bmsim.sim.quant;

import org.bmsim.common.BadInputException;

/**
 * Uniform symmetric narrow-range quantizer (Borras et al., arXiv 2512.10602; the form of
 * {@code quantization.md}):
 * <pre>
 *   code  = clamp(round_half_even(x / s), -(2^(b-1) - 1), 2^(b-1) - 1)
 *   value = code * s
 * </pre>
 * The range is narrow (no code -2^(b-1)) so that it is symmetric: a differential device pair or a
 * sign-magnitude datapath represents +c and -c alike. Round half to even ({@link Math#rint}) has no
 * bias on ties. Post-training scale: {@code s = max|x| / (2^(b-1) - 1)}; in hardware mode the scale
 * is rounded up to a power of two so that rescaling is a shift.
 *
 * @param bits code width b, 2..16 (b = 1 would leave only the code 0)
 */
public record UniformQuantizer(int bits) {

    public UniformQuantizer {
        if (bits < 2 || bits > 16) {
            throw new BadInputException("uniform quantizer bits must be in 2..16, got " + bits);
        }
    }

    /** Validating factory. */
    public static UniformQuantizer of(int bits) {
        return new UniformQuantizer(bits);
    }

    /** Largest code, 2^(b-1) - 1; the smallest is its negative. */
    public int maxCode() {
        return (1 << (bits - 1)) - 1;
    }

    /** The code of {@code x} at scale {@code s} (s > 0). */
    public int code(double x, double scale) {
        double c = Math.rint(x / scale);
        int m = maxCode();
        return c > m ? m : c < -m ? -m : (int) c;
    }

    /** The value a code stands for. */
    public static double value(int code, double scale) {
        return code * scale;
    }

    /** Quantize and dequantize in one step: the value of the code of {@code x}. */
    public double quantize(double x, double scale) {
        return code(x, scale) * scale;
    }

    /**
     * Straight-through gradient of {@link #quantize}: 1 inside the clip range |x| <= maxCode * s,
     * 0 outside (Bengio et al. 2013; the QBNN paper's quantization-aware training).
     */
    public double straightThroughGradient(double x, double scale) {
        return Math.abs(x) <= maxCode() * scale ? 1.0 : 0.0;
    }

    /**
     * Post-training scale of {@code n} values starting at {@code from}: max|x| / maxCode. An
     * all-zero block gets scale 1 (every code is 0 anyway). NaN or infinite values are bad input.
     */
    public double ptqScale(float[] x, int from, int n) {
        double max = 0;
        for (int i = from; i < from + n; i++) {
            float v = x[i];
            if (!Float.isFinite(v)) {
                throw new BadInputException("cannot quantize a non-finite value (" + v + ") at index " + i);
            }
            max = Math.max(max, Math.abs(v));
        }
        return max == 0 ? 1.0 : max / maxCode();
    }

    /** The smallest power of two >= s (the hardware-mode scale: rescaling becomes a shift). */
    public static double powerOfTwoAtLeast(double s) {
        if (!(s > 0) || !Double.isFinite(s)) {
            throw new BadInputException("a quantizer scale must be positive and finite, got " + s);
        }
        int e = Math.getExponent(s);
        double p = Math.scalb(1.0, e);
        return p >= s ? p : Math.scalb(1.0, e + 1);
    }

    /** log2 of a power-of-two scale (exact), for shift-based hardware. */
    public static int log2OfPowerOfTwo(double s) {
        int e = Math.getExponent(s);
        if (Math.scalb(1.0, e) != s) {
            throw new IllegalArgumentException(s + " is not a power of two");
        }
        return e;
    }
}
