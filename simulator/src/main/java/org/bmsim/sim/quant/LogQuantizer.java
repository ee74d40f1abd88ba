package org.bmsim.sim.quant;

import org.bmsim.common.BadInputException;

/**
 * Logarithmic quantizer for the posterior standard deviations sigma (Borras et al., arXiv
 * 2512.10602; the form of {@code quantization.md}):
 * <pre>
 *   e     = clamp(round_half_even(log2(sigma) / delta), e_max - (2^b - 1), e_max)
 *   value = 2^(e * delta)
 *   e_max = ceil(log2(max sigma) / delta)        (per layer)
 * </pre>
 * The stored code is {@code e - e_min} in 0..2^b - 1, with {@code e_min = e_max - (2^b - 1)}.
 * Rounding in the log domain puts each decision threshold at the geometric midpoint of two levels,
 * so the relative error is bounded by 2^(delta/2) whatever the magnitude: small sigmas keep their
 * epistemic contribution, where a uniform quantizer would round every sigma < s/2 to zero.
 * {@code delta = 1/2} (half-octave steps) is the default; {@code delta = 1} (octave steps) makes
 * sigma * eps a pure shift in hardware.
 *
 * @param bits  exponent code width b, 1..8
 * @param delta step in octaves: 1 or 0.5
 */
public record LogQuantizer(int bits, double delta) {
    /** Octave steps: sigma * eps is a shift. */
    public static final double OCTAVE = 1.0;
    /** Half-octave steps (default): a shift plus, for odd exponents, one multiply by sqrt(2). */
    public static final double HALF_OCTAVE = 0.5;

    public LogQuantizer {
        if (bits < 1 || bits > 8) {
            throw new BadInputException("log quantizer bits must be in 1..8, got " + bits);
        }
        if (delta != OCTAVE && delta != HALF_OCTAVE) {
            throw new BadInputException("log quantizer step must be 1 (octave) or 0.5 (half octave), got " + delta);
        }
    }

    public static LogQuantizer of(int bits, double delta) {
        return new LogQuantizer(bits, delta);
    }

    /** Number of levels, 2^b. */
    public int levels() {
        return 1 << bits;
    }

    /** e_max = ceil(log2(max sigma) / delta) for a block whose largest sigma is {@code maxSigma} > 0. */
    public int eMax(double maxSigma) {
        if (!(maxSigma > 0) || !Double.isFinite(maxSigma)) {
            throw new BadInputException("the largest sigma of a block must be positive and finite, got " + maxSigma);
        }
        return (int) Math.ceil(log2(maxSigma) / delta);
    }

    /** e_min = e_max - (2^b - 1). */
    public int eMin(int eMax) {
        return eMax - (levels() - 1);
    }

    /** The exponent e of {@code sigma} (sigma >= 0; 0 and tiny values clamp to e_min). */
    public int exponent(double sigma, int eMax) {
        if (!(sigma >= 0) || Double.isInfinite(sigma)) {
            throw new BadInputException("sigma must be finite and >= 0, got " + sigma);
        }
        return exponentIn(sigma, eMin(eMax), eMax);
    }

    /**
     * The exponent of {@code sigma} > 0 clamped to an explicit range [lo, hi] (sigma = 0 gives lo):
     * the one rounding rule behind both the per-layer software grid ({@link #exponent}) and the JQ
     * hardware grid, whose range is fixed relative to each channel's power-of-two weight LSB
     * ({@link QuantizedNetwork}).
     */
    public int exponentIn(double sigma, int lo, int hi) {
        if (!(sigma >= 0) || Double.isInfinite(sigma)) {
            throw new BadInputException("sigma must be finite and >= 0, got " + sigma);
        }
        if (sigma == 0) {
            return lo;
        }
        double e = Math.rint(log2(sigma) / delta);
        return e > hi ? hi : e < lo ? lo : (int) e;
    }

    /** The stored code, e - e_min, in 0..2^b - 1. */
    public int code(double sigma, int eMax) {
        return exponent(sigma, eMax) - eMin(eMax);
    }

    /** The value of exponent e: 2^(e * delta). */
    public double valueOfExponent(int e) {
        return Math.pow(2.0, e * delta);
    }

    /** The value of a stored code. */
    public double valueOfCode(int code, int eMax) {
        return valueOfExponent(code + eMin(eMax));
    }

    /** Quantize and dequantize: the level nearest to sigma in the log domain. */
    public double quantize(double sigma, int eMax) {
        return valueOfExponent(exponent(sigma, eMax));
    }

    /** log2 with exact results on powers of two. */
    static double log2(double x) {
        int e = Math.getExponent(x);
        if (x == Math.scalb(1.0, e)) {
            return e;
        }
        return Math.log(x) / Math.log(2.0);
    }
}
