package org.bmsim.sim.quant;

import org.bmsim.common.BadInputException;

/**
 * The configuration options of the quantization spec, with its defaults ({@link #defaults()}):
 * per-output-channel scales, half-octave log sigma, software arithmetic, 8-bit activations
 * (b_a, the spec leaves it open; 8 is the DAC width of the analog machine presets) clipped at the
 * 99.99th percentile, moment-matched JQ codes with the sub-LSB gain calibrated on held-out images
 * ({@link SubLsbGain}) and Hessian-compensated means.
 *
 * @param channelScales  scale per output channel (true, default) or per layer (false)
 * @param sigmaDelta     log-quantizer step in octaves: 0.5 (default) or 1
 * @param logSigma       log quantizer for sigma (true, default) or the uniform one (the ablation
 *                       that shows epistemic uncertainty collapsing)
 * @param hardware       JQ hardware mode: power-of-two scales, the sigma grid of
 *                       {@link org.bmsim.sim.datapath.JqArithmetic}, the bit-exact sampler's eps
 * @param activationBits activation width for SPQ and JQ; 0 = the strategy's width, -1 = float
 * @param clipPercentile percentile of the calibration activations used as the clip, in (50, 100]
 * @param jqCoding       how JQ chooses its codes: moment-matched (default) or the spec's nearest codes
 * @param compensate     VPQ and JQ: round the mean weights with Hessian compensation on calibration
 *                       images ({@link HessianCompensation}, default) instead of each on its own
 * @param pow2Scales     hardware mode: per-channel scales are powers of two (default: the scale is a
 *                       shift) or any value (a digital multiplier per output column after the
 *                       accumulator); ignored in software mode
 * @param subLsbGain     moment-matched JQ: the factor applied to the target sigma of weights whose
 *                       sigma is below half their channel's LSB ({@link SubLsbGain}); 1 = plain moment
 *                       matching, {@link #AUTO_GAIN} (default) = calibrated on held-out images
 */
public record QuantOptions(boolean channelScales, double sigmaDelta, boolean logSigma, boolean hardware,
        int activationBits, double clipPercentile, JqCoding jqCoding, boolean compensate, boolean pow2Scales,
        double subLsbGain) {

    public QuantOptions {
        if (sigmaDelta != LogQuantizer.OCTAVE && sigmaDelta != LogQuantizer.HALF_OCTAVE) {
            throw new BadInputException("sigma step must be 1 (octave) or 0.5 (half octave), got " + sigmaDelta);
        }
        if (activationBits < -1 || activationBits > 16 || activationBits == 1) {
            throw new BadInputException("activation bits must be 2..16 (0: the weight width, -1: float), got "
                    + activationBits);
        }
        if (!(clipPercentile > 50 && clipPercentile <= 100)) {
            throw new BadInputException("clip percentile must be in (50, 100], got " + clipPercentile);
        }
        if (jqCoding == null) {
            throw new BadInputException("JQ coding missing");
        }
        if (subLsbGain != AUTO_GAIN && !isFixedGain(subLsbGain)) {
            throw new BadInputException("sub-LSB sigma gain must be in [" + MIN_GAIN + ", 1] or auto, got " + subLsbGain);
        }
    }

    /** {@link #subLsbGain} value asking for the gain calibrated on held-out images ({@link SubLsbGain}). */
    public static final double AUTO_GAIN = -1;
    /** The smallest fixed sub-LSB gain accepted. */
    public static final double MIN_GAIN = 0.05;

    /** Whether {@code g} is an acceptable fixed sub-LSB gain: in [{@link #MIN_GAIN}, 1] (NaN is not). */
    public static boolean isFixedGain(double g) {
        return g >= MIN_GAIN && g <= 1;
    }

    /** Activation width of SPQ and JQ by default (b_a). */
    public static final int DEFAULT_ACTIVATION_BITS = 8;

    /** The defaults (see the class comment). */
    public static QuantOptions defaults() {
        return new QuantOptions(true, LogQuantizer.HALF_OCTAVE, true, false, DEFAULT_ACTIVATION_BITS, 99.99,
                JqCoding.MOMENTS, true, true, AUTO_GAIN);
    }

    public QuantOptions withChannelScales(boolean v) {
        return new QuantOptions(v, sigmaDelta, logSigma, hardware, activationBits, clipPercentile,
                jqCoding, compensate, pow2Scales, subLsbGain);
    }

    public QuantOptions withSigmaDelta(double v) {
        return new QuantOptions(channelScales, v, logSigma, hardware, activationBits, clipPercentile,
                jqCoding, compensate, pow2Scales, subLsbGain);
    }

    public QuantOptions withLogSigma(boolean v) {
        return new QuantOptions(channelScales, sigmaDelta, v, hardware, activationBits, clipPercentile,
                jqCoding, compensate, pow2Scales, subLsbGain);
    }

    public QuantOptions withHardware(boolean v) {
        return new QuantOptions(channelScales, sigmaDelta, logSigma, v, activationBits, clipPercentile,
                jqCoding, compensate, pow2Scales, subLsbGain);
    }

    public QuantOptions withActivationBits(int v) {
        return new QuantOptions(channelScales, sigmaDelta, logSigma, hardware, v, clipPercentile,
                jqCoding, compensate, pow2Scales, subLsbGain);
    }

    public QuantOptions withJqCoding(JqCoding v) {
        return new QuantOptions(channelScales, sigmaDelta, logSigma, hardware, activationBits, clipPercentile,
                v, compensate, pow2Scales, subLsbGain);
    }

    public QuantOptions withCompensation(boolean v) {
        return new QuantOptions(channelScales, sigmaDelta, logSigma, hardware, activationBits, clipPercentile,
                jqCoding, v, pow2Scales, subLsbGain);
    }

    public QuantOptions withPow2Scales(boolean v) {
        return new QuantOptions(channelScales, sigmaDelta, logSigma, hardware, activationBits, clipPercentile,
                jqCoding, compensate, v, subLsbGain);
    }

    public QuantOptions withSubLsbGain(double v) {
        return new QuantOptions(channelScales, sigmaDelta, logSigma, hardware, activationBits, clipPercentile,
                jqCoding, compensate, pow2Scales, v);
    }

    /** Whether the sub-LSB gain applies: JQ with moment-matched codes on the log grid. */
    public boolean usesSubLsbGain(QuantSpec spec) {
        return spec.strategy() == Strategy.JQ && jqCoding == JqCoding.MOMENTS && logSigma;
    }

    /** Whether scales are rounded up to powers of two: hardware mode with {@link #pow2Scales}. */
    public boolean powerOfTwoScales() {
        return hardware && pow2Scales;
    }

    /** The activation width a strategy uses under these options (-1: float activations). */
    public int activationBitsFor(QuantSpec spec) {
        if (!spec.strategy().quantizesActivations() || activationBits == -1) {
            return -1;
        }
        return activationBits == 0 ? spec.bits() : activationBits;
    }

    /** Short description for reports. */
    public String describe() {
        return (channelScales ? "per-channel" : "per-layer") + " scales, "
                + (logSigma ? (sigmaDelta == 1 ? "octave" : "half-octave") + " log sigma" : "uniform sigma")
                + (hardware ? ", hardware mode" + (pow2Scales ? " (power-of-two scales)" : " (multiplier scales)") : "")
                + ", " + jqCoding.id() + " JQ codes"
                + (jqCoding == JqCoding.MOMENTS ? (subLsbGain == AUTO_GAIN ? " (calibrated sub-LSB gain)"
                        : String.format(java.util.Locale.ROOT, " (sub-LSB gain %.2f)", subLsbGain)) : "")
                + (compensate ? ", Hessian-compensated means" : "") + ", "
                + (activationBits == -1 ? "float" : activationBits == 0 ? "b-bit" : activationBits + "-bit")
                + " activations (SPQ, JQ)";
    }
}
