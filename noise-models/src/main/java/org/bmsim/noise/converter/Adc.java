package org.bmsim.noise.converter;

import org.bmsim.common.BadInputException;
import org.bmsim.noise.device.NoiseRandom;

/**
 * One column ADC: a uniform mid-tread quantizer with the static transfer errors of its
 * architecture (drawn once, from a seed, when the ADC is built) and comparator noise (drawn on
 * every conversion). Codes 0 .. 2^b - 1; code c stands for {@code min + c LSB}.
 *
 * <pre>
 *   1. normalize: v = (x - min) / LSB                              (input in LSB units)
 *   2. clip:      v = clip(v, -1/2, 2^b - 1/2)                      (the ADC saturates)
 *   3. noise:     IDEAL none; RAMP v += sigma_n z once; SAR a fresh sigma_n z in each comparison
 *   4. quantize:  IDEAL  c = floor(v + 1/2)  (computed as floor(v) + [v - floor(v) &gt;= 1/2], exact)
 *                 RAMP   c = #{k : T_k &lt;= v},  T_1 = 1/2,  T_(k+1) = T_k + max(1 + sigma_s z_k, 0)
 *                 SAR    for bit i = b-1 .. 0: keep bit i if v (+ noise) &gt;= D(c | 2^i) - 1/2,
 *                        D(c) = sum of the weights w_i of the bits set in c
 * </pre>
 *
 * SAR weights: bit i is 2^i unit capacitors, each with relative sigma sigma_u, so its capacitance
 * is W_i = 2^i + sigma_u sqrt(2^i) z_i; with a terminating unit W_t = 1 + sigma_u z_t the weights
 * are w_i = W_i 2^b / (sum_j W_j + W_t) (gain normalized). The DNL at the mid-scale carry then has
 * variance about sigma_u^2 (2^b - 1). Ramp: independent step widths give DNL_k = sigma_s z_k
 * (a width that would be negative is a missing code, width 0) and INL a random walk, Var(INL_k) =
 * (k - 1) sigma_s^2. With zero mismatch, zero step sigma and zero noise, SAR and RAMP give exactly
 * the IDEAL codes. These are the error mechanisms CrossSim models for its SAR and ramp ADCs; its
 * pipeline and cyclic ADCs are not modelled here.
 */
public final class Adc {
    private final AdcConfig config;
    private final double min;
    private final double lsb;
    private final double invLsb;
    private final int bits;
    private final int top;
    private final double noiseLsb;
    private final double[] rampThresholds;
    private final double[] sarWeights;

    private Adc(AdcConfig config, AdcRange.Fixed range, NoiseRandom staticErrors) {
        this.config = config;
        this.bits = config.adcBits();
        this.top = (1 << bits) - 1;
        this.min = range.minInput();
        this.lsb = (range.maxInput() - range.minInput()) / top;
        this.invLsb = 1.0 / lsb;
        this.noiseLsb = config.comparatorNoiseLsb();
        switch (config.architecture()) {
            case RAMP -> {
                rampThresholds = new double[top];
                double sigma = config.rampStepSigmaLsb();
                rampThresholds[0] = 0.5;
                for (int k = 1; k < top; k++) {
                    double width = sigma == 0 ? 1.0 : Math.max(1.0 + sigma * staticErrors.gaussian(), 0.0);
                    rampThresholds[k] = rampThresholds[k - 1] + width;
                }
                sarWeights = null;
            }
            case SAR -> {
                double sigma = config.unitCapacitorMismatch();
                double[] w = new double[bits];
                double total = 0;
                for (int i = 0; i < bits; i++) {
                    double units = 1L << i;
                    w[i] = units + (sigma == 0 ? 0.0 : sigma * Math.sqrt(units) * staticErrors.gaussian());
                    total += w[i];
                }
                total += 1.0 + (sigma == 0 ? 0.0 : sigma * staticErrors.gaussian());
                double scale = (1L << bits) / total;
                for (int i = 0; i < bits; i++) {
                    w[i] *= scale;
                }
                sarWeights = w;
                rampThresholds = null;
            }
            default -> {
                rampThresholds = null;
                sarWeights = null;
            }
        }
    }

    /**
     * An ADC with its static errors drawn from {@code staticErrors}: the same seed gives the same
     * transfer function. The range must be fixed ({@link AdcConfig#calibrated} fixes a percentile
     * range).
     */
    public static Adc of(AdcConfig config, NoiseRandom staticErrors) {
        if (!(config.range() instanceof AdcRange.Fixed fixed)) {
            throw new BadInputException("the ADC range is given by percentiles; calibrate it on data first "
                    + "(AdcConfig.calibrated)");
        }
        return new Adc(config, fixed, staticErrors);
    }

    public AdcConfig config() {
        return config;
    }

    /** Input step between adjacent codes. */
    public double lsb() {
        return lsb;
    }

    /** The input value code c stands for: min + c LSB. */
    public double value(int code) {
        return min + code * lsb;
    }

    /** Converts one input to a code; comparator noise comes from {@code rng}. */
    public int convert(double x, NoiseRandom rng) {
        double v = (x - min) * invLsb; // 1. normalize
        if (Double.isNaN(v)) {
            throw new IllegalArgumentException("ADC input is NaN");
        }
        v = Math.min(Math.max(v, -0.5), top + 0.5); // 2. clip
        switch (config.architecture()) {
            case RAMP -> {
                if (noiseLsb != 0) {
                    v += noiseLsb * rng.gaussian(); // 3. noise, once per conversion
                }
                return countAtOrBelow(rampThresholds, v); // 4. quantize
            }
            case SAR -> {
                int code = 0;
                double level = 0;
                for (int i = bits - 1; i >= 0; i--) {
                    double trial = level + sarWeights[i];
                    double seen = noiseLsb == 0 ? v : v + noiseLsb * rng.gaussian(); // 3. noise, per comparison
                    if (seen >= trial - 0.5) { // 4. quantize, one bit
                        code |= 1 << i;
                        level = trial;
                    }
                }
                return code;
            }
            default -> {
                // 4. quantize: round half up, written so that v just below k - 1/2 never rounds up
                // (floor(v + 0.5) does for v = nextDown(0.5), since 0.49999999999999994 + 0.5 == 1.0)
                double f = Math.floor(v);
                int code = (int) f + (v - f >= 0.5 ? 1 : 0);
                return Math.min(Math.max(code, 0), top);
            }
        }
    }

    /** {@code value(convert(x))}. */
    public double convertToValue(double x, NoiseRandom rng) {
        return value(convert(x, rng));
    }

    /** {@code out[i] = value(convert(in[i]))}; out may be in. */
    public void convert(float[] in, float[] out, NoiseRandom rng) {
        if (out.length != in.length) {
            throw new IllegalArgumentException("out has " + out.length + " elements, in has " + in.length);
        }
        for (int i = 0; i < in.length; i++) {
            out[i] = (float) value(convert(in[i], rng));
        }
    }

    /** {@code codes[i] = convert(in[i])}. */
    public void convertCodes(float[] in, int[] codes, NoiseRandom rng) {
        if (codes.length != in.length) {
            throw new IllegalArgumentException("codes has " + codes.length + " elements, in has " + in.length);
        }
        for (int i = 0; i < in.length; i++) {
            codes[i] = convert(in[i], rng);
        }
    }

    /**
     * The noise-free transition levels T_1 .. T_(2^b - 1) in LSB units (T_k: lowest input giving
     * code k). IDEAL: k - 1/2. RAMP: the drawn thresholds. SAR: D(k) - 1/2, the trial levels, which
     * are the transitions when the DAC is monotonic.
     */
    public double[] transitionLevelsLsb() {
        double[] t = new double[top];
        for (int k = 1; k <= top; k++) {
            t[k - 1] = switch (config.architecture()) {
                case RAMP -> rampThresholds[k - 1];
                case SAR -> sarLevel(k) - 0.5;
                default -> k - 0.5;
            };
        }
        return t;
    }

    /** DNL of codes 1 .. 2^b - 2 in LSB: T_(k+1) - T_k - 1. */
    public double[] dnlLsb() {
        double[] t = transitionLevelsLsb();
        double[] d = new double[top - 1];
        for (int k = 0; k < d.length; k++) {
            d[k] = t[k + 1] - t[k] - 1.0;
        }
        return d;
    }

    /** INL at transitions 1 .. 2^b - 1 in LSB: T_k - (k - 1/2). */
    public double[] inlLsb() {
        double[] t = transitionLevelsLsb();
        double[] e = new double[top];
        for (int k = 0; k < top; k++) {
            e[k] = t[k] - (k + 0.5);
        }
        return e;
    }

    private double sarLevel(int code) {
        double level = 0;
        for (int i = 0; i < bits; i++) {
            if ((code & (1 << i)) != 0) {
                level += sarWeights[i];
            }
        }
        return level;
    }

    /** Number of entries of a non-decreasing array that are &lt;= v. */
    private static int countAtOrBelow(double[] sorted, double v) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
