package org.bmsim.sim.datapath;

import org.bmsim.common.BadInputException;

/**
 * The per-weight arithmetic of the quantized sampling datapath (the JQ hardware mode), bit-exact,
 * in one place: the golden datapath model, the Chisel generator (hdl) and the quantization work's
 * JQ hardware mode all compute through this class. Source: sampler spec, section 8; every constant
 * below is fixed here and documented in docs/rtl.md.
 *
 * <p>Units. A weight code counts weight LSBs (the per-output-channel scale s_w, a power of two in
 * hardware mode). Intermediates are fixed point with {@link #F_W} = 12 fraction bits, the same as
 * eps (Q3.12), so a sigma of one LSB multiplies eps by one.
 * <ul>
 *   <li>mu: a signed {@code muBits} code whose LSB is 2^(wBits - muBits) weight LSBs (mu and the
 *       sampled weight span the same range); {@code mu_fixed = muCode << (F_W + wBits - muBits)}.
 *   <li>sigma: an unsigned {@code sigmaBits} exponent code c. Code {@link #SIGMA_ZERO_CODE} = 0 is
 *       reserved for sigma = 0 (a deterministic weight, w = round(mu)); the sample's random words are
 *       still consumed, so the streams stay aligned. Codes c &gt;= 1 give
 *       sigma = 2^(h / 2) weight LSBs with the half-octave exponent {@code h = stepHalfOctaves * (c + e0)}
 *       and {@code e0 = topHalfOctaves / stepHalfOctaves - (2^sigmaBits - 1)}, where
 *       {@code topHalfOctaves = 2 (wBits - 1)}: the top code is sigma = 2^(wBits - 1) LSBs, the
 *       positive weight range. After the outer rounding, a sigma below about 1/8 LSB almost never
 *       moves the weight, and a sigma of the whole range makes it a saturating coin flip, so this
 *       puts the live codes where the sampled weight's variance still depends on them (the
 *       moment-matched JQ encoder, docs/quantization.md, chooses among them).
 *   <li>t = sigma * eps: for even h, {@code eps} shifted by h / 2; for odd h, first
 *       {@code eps' = (eps * 46341 + 2^14) >> 15} (sqrt 2 in Q1.15, round half up), then shifted by
 *       floor(h / 2). Left shifts are exact; right shifts are arithmetic (floor), by at most 31.
 *   <li>{@code w = clamp((mu_fixed + t + 2^(F_W - 1)) >> F_W, -(2^(wBits-1) - 1), 2^(wBits-1) - 1)}:
 *       round half up, narrow symmetric saturation.
 * </ul>
 * No intermediate overflows int32 for the ranges {@link DatapathConfig} accepts
 * (|mu_fixed| &lt;= 2^(wBits + 11), |t| &lt; 2^(15.5 + wBits - 1), wBits &lt;= 16).
 */
public final class JqArithmetic {
    /** Fraction bits of the internal fixed point, equal to eps's (Q3.12). */
    public static final int F_W = 12;
    /** sqrt(2) in Q1.15, rounded: 46341 / 32768 = 1.41421509 (spec section 8). */
    public static final int SQRT2_Q15 = 46341;
    /** Rounding constant of the sqrt(2) product: 2^14 (round half up). */
    public static final int SQRT2_ROUND = 1 << 14;
    /** The sigma code reserved for sigma = 0. */
    public static final int SIGMA_ZERO_CODE = 0;
    /** Largest right shift applied to eps; beyond it the result is 0 or -1 anyway. */
    public static final int MAX_RIGHT_SHIFT = 31;

    private final int muBits;
    private final int sigmaBits;
    private final int wBits;
    private final SigmaStep step;
    private final int e0;
    private final int muShift;
    private final int wMax;

    private JqArithmetic(int muBits, int sigmaBits, int wBits, SigmaStep step) {
        this.muBits = muBits;
        this.sigmaBits = sigmaBits;
        this.wBits = wBits;
        this.step = step;
        this.e0 = topHalfOctaves(wBits) / step.halfOctaves() - ((1 << sigmaBits) - 1);
        this.muShift = F_W + wBits - muBits;
        this.wMax = (1 << (wBits - 1)) - 1;
    }

    /**
     * The arithmetic for the given widths. Ranges: wBits 2..16, muBits 2..wBits + 12 (so mu_fixed
     * is a left shift), sigmaBits 1..8; anything else is bad input.
     */
    public static JqArithmetic of(int muBits, int sigmaBits, int wBits, SigmaStep step) {
        if (wBits < 2 || wBits > 16) {
            throw new BadInputException("wBits must be in 2..16, got " + wBits);
        }
        if (muBits < 2 || muBits > wBits + F_W) {
            throw new BadInputException("muBits must be in 2.." + (wBits + F_W) + " for wBits " + wBits + ", got "
                    + muBits);
        }
        if (sigmaBits < 1 || sigmaBits > 8) {
            throw new BadInputException("sigmaBits must be in 1..8, got " + sigmaBits);
        }
        if (step == null) {
            throw new BadInputException("sigma step missing");
        }
        return new JqArithmetic(muBits, sigmaBits, wBits, step);
    }

    /** Half-octave exponent of the top sigma code: 2 (wBits - 1). */
    public static int topHalfOctaves(int wBits) {
        return 2 * (wBits - 1);
    }

    public int muBits() {
        return muBits;
    }

    public int sigmaBits() {
        return sigmaBits;
    }

    public int wBits() {
        return wBits;
    }

    public SigmaStep step() {
        return step;
    }

    /** e0: sigma code c stands for 2^((c + e0) * delta) weight LSBs. */
    public int e0() {
        return e0;
    }

    /** Left shift from a mu code to mu_fixed: F_W + wBits - muBits. */
    public int muShift() {
        return muShift;
    }

    /** Largest weight code, 2^(wBits-1) - 1; the smallest is its negative. */
    public int wMax() {
        return wMax;
    }

    /** Largest sigma code, 2^sigmaBits - 1. */
    public int sigmaCodeMax() {
        return (1 << sigmaBits) - 1;
    }

    /** mu_fixed: the mu code in weight LSBs with F_W fraction bits. */
    public int muFixed(int muCode) {
        return muCode << muShift;
    }

    /** The half-octave exponent h of a sigma code c &gt;= 1: sigma = 2^(h/2) weight LSBs. */
    public int halfOctaveExponent(int sigmaCode) {
        return step.halfOctaves() * (sigmaCode + e0);
    }

    /** sigma in weight LSBs as a real number (0 for the reserved code), for reports and tests. */
    public double sigmaLsb(int sigmaCode) {
        return sigmaCode == SIGMA_ZERO_CODE ? 0.0 : Math.pow(2.0, halfOctaveExponent(sigmaCode) / 2.0);
    }

    /** eps * sqrt(2) in Q1.15, round half up: {@code (eps * 46341 + 2^14) >> 15}. */
    public static int timesSqrt2(int eps) {
        return (eps * SQRT2_Q15 + SQRT2_ROUND) >> 15;
    }

    /** t = sigma * eps with F_W fraction bits (0 for the reserved code). */
    public int scaleEps(int sigmaCode, int eps) {
        if (sigmaCode == SIGMA_ZERO_CODE) {
            return 0;
        }
        int h = halfOctaveExponent(sigmaCode);
        int e = (h & 1) != 0 ? timesSqrt2(eps) : eps;
        int sh = h >> 1; // floor(h / 2)
        return sh >= 0 ? e << sh : e >> Math.min(-sh, MAX_RIGHT_SHIFT);
    }

    /** Round half up at F_W and saturate to the narrow symmetric range of wBits. */
    public int roundSaturate(int fixed) {
        int w = (fixed + (1 << (F_W - 1))) >> F_W;
        return Math.max(-wMax, Math.min(wMax, w));
    }

    /** The sampled weight code: {@code clamp((mu_fixed + t + 2^(F_W-1)) >> F_W, -wMax, wMax)}. */
    public int sampleWeightCode(int muCode, int sigmaCode, int eps) {
        return roundSaturate(muFixed(muCode) + scaleEps(sigmaCode, eps));
    }

    @Override
    public String toString() {
        return "JqArithmetic[muBits=" + muBits + ", sigmaBits=" + sigmaBits + ", wBits=" + wBits + ", step="
                + step.id() + ", e0=" + e0 + ", muShift=" + muShift + "]";
    }
}
