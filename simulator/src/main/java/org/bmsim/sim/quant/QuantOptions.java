package org.bmsim.sim.quant;

import org.bmsim.common.BadInputException;

/**
 * The configuration options of the quantization spec, with its defaults ({@link #defaults()}):
 * per-output-channel scales, half-octave log sigma, software arithmetic, activations at the weight
 * width clipped at the 99.99th percentile.
 *
 * @param channelScales  scale per output channel (true, default) or per layer (false)
 * @param sigmaDelta     log-quantizer step in octaves: 0.5 (default) or 1
 * @param logSigma       log quantizer for sigma (true, default) or the uniform one (the ablation
 *                       that shows epistemic uncertainty collapsing)
 * @param hardware       JQ hardware mode: power-of-two scales, the sigma grid of
 *                       {@link org.bmsim.sim.datapath.JqArithmetic}, the bit-exact sampler's eps
 * @param activationBits activation width for SPQ and JQ; 0 = the strategy's width, -1 = float
 * @param clipPercentile percentile of the calibration activations used as the clip, in (50, 100]
 */
public record QuantOptions(boolean channelScales, double sigmaDelta, boolean logSigma, boolean hardware,
        int activationBits, double clipPercentile) {

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
    }

    /** The spec's defaults. */
    public static QuantOptions defaults() {
        return new QuantOptions(true, LogQuantizer.HALF_OCTAVE, true, false, 0, 99.99);
    }

    public QuantOptions withChannelScales(boolean v) {
        return new QuantOptions(v, sigmaDelta, logSigma, hardware, activationBits, clipPercentile);
    }

    public QuantOptions withSigmaDelta(double v) {
        return new QuantOptions(channelScales, v, logSigma, hardware, activationBits, clipPercentile);
    }

    public QuantOptions withLogSigma(boolean v) {
        return new QuantOptions(channelScales, sigmaDelta, v, hardware, activationBits, clipPercentile);
    }

    public QuantOptions withHardware(boolean v) {
        return new QuantOptions(channelScales, sigmaDelta, logSigma, v, activationBits, clipPercentile);
    }

    public QuantOptions withActivationBits(int v) {
        return new QuantOptions(channelScales, sigmaDelta, logSigma, hardware, v, clipPercentile);
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
                + (hardware ? ", hardware mode" : "");
    }
}
