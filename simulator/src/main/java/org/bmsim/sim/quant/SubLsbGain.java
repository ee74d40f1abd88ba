package org.bmsim.sim.quant;

import java.util.Arrays;
import org.bmsim.common.BadInputException;
import org.bmsim.sim.data.FloatSet;
import org.bmsim.sim.metrics.MetricsReport;
import org.bmsim.sim.metrics.UncertaintyError;
import org.bmsim.sim.metrics.UncertaintyMetrics;
import org.bmsim.sim.nn.ActivationHook;
import org.bmsim.sim.nn.Network;
import org.bmsim.sim.nn.Parallel;

/**
 * The sub-LSB sigma gain of moment-matched JQ, and its calibration on held-out images.
 *
 * <p>Why: a posterior sigma below half its channel's weight LSB cannot be stored as a small Gaussian
 * perturbation. The rounded sample {@code round(m + s eps)} of a centred code is a three-point law,
 * m with probability 1 - 2p and m +- 1 LSB with p each, p = Q(1 / (2 s)); moment matching
 * ({@link MomentMatchedJq}) picks s so that 2p equals sigma^2, but the law is then a rare jump of a
 * whole LSB with kurtosis 1 / (2p) (25 at sigma = 0.2 LSB, 100 at 0.1) instead of 3. A ReLU network
 * responds to such jumps more than to Gaussian noise of the same variance: on LeNet-5 (whose conv
 * sigmas are 0.1-0.35 LSB at 4 bits) plain moment matching over-states the epistemic uncertainty of
 * in-distribution digits by 6-8%. So the target sigma of a weight below {@link #THRESHOLD_LSB} is
 * multiplied by a gain g &lt;= 1 before encoding ({@link #targetSigmaLsb}); weights of half an LSB and
 * more, whose rounded samples are close to Gaussian, keep their moments.
 *
 * <p>The gain is a property of the network, not of the weight, so it is calibrated
 * ({@link #calibrate}): among {@link #CANDIDATES}, the one whose quantized network has the least
 * uncertainty error (the spec's metric, common random numbers) against the float network on a
 * held-out set that holds all three kinds of input, clean digits, ambiguous digits and
 * out-of-distribution images, none of them test images. The out-of-distribution part matters: a
 * calibration on in-distribution images alone rewards removing noise without limit, since it cannot
 * see the epistemic uncertainty that the noise carries on unfamiliar inputs.
 */
public final class SubLsbGain {
    /** Sigmas below this many LSBs of their channel are scaled by the gain. */
    public static final double THRESHOLD_LSB = 0.5;
    /** The gains tried by {@link #calibrate}, in increasing order; 1 is plain moment matching. */
    static final double[] CANDIDATES = {0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0};
    /** Monte Carlo samples per candidate of the calibration. */
    public static final int DEFAULT_SAMPLES = 32;
    /** Seed of the calibration's common random numbers (not an evaluation seed, so the two never share eps). */
    public static final long CALIBRATION_SEED = 0x5ca1ab1eL;

    private SubLsbGain() {
    }

    /** Parses a gain option: {@code auto} ({@link QuantOptions#AUTO_GAIN}) or a number in [0.05, 1]. */
    public static double parse(String s) {
        String t = s.trim();
        if (t.equalsIgnoreCase("auto")) {
            return QuantOptions.AUTO_GAIN;
        }
        double g;
        try {
            g = Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw new BadInputException("sub-LSB gain must be 'auto' or a number in [" + QuantOptions.MIN_GAIN
                    + ", 1], got '" + s + "'");
        }
        if (!QuantOptions.isFixedGain(g)) {
            throw new BadInputException("sub-LSB gain must be 'auto' or a number in [" + QuantOptions.MIN_GAIN
                    + ", 1], got " + s);
        }
        return g;
    }

    /** The sigma (in LSBs) the encoder matches for a posterior sigma {@code sigmaLsb} under {@code gain}. */
    public static double targetSigmaLsb(double sigmaLsb, double gain) {
        return sigmaLsb < THRESHOLD_LSB ? gain * sigmaLsb : sigmaLsb;
    }

    /**
     * What the calibration measured: per candidate gain the uncertainty error mean (percent) on the
     * held-out set, the chosen gain, and how long it took (no runs: 0 images).
     */
    public record Calibration(double gain, double[] candidates, double[] errorMeanPct, int images, int samples,
            double seconds) {
        public Calibration {
            candidates = candidates.clone();
            errorMeanPct = errorMeanPct.clone();
        }

        /** The gain as fixed options for {@code o}. */
        public QuantOptions apply(QuantOptions o) {
            return o.withSubLsbGain(gain);
        }

        /** One line: the chosen gain and the error at each candidate. */
        public String describe() {
            StringBuilder b = new StringBuilder(String.format(java.util.Locale.ROOT,
                    "sub-LSB gain %.1f (held-out %d images, S = %d, %.1f s; error mean by gain:", gain, images, samples,
                    seconds));
            for (int k = 0; k < candidates.length; k++) {
                b.append(String.format(java.util.Locale.ROOT, " %.1f %.2f%%", candidates[k], errorMeanPct[k]));
            }
            return b.append(')').toString();
        }
    }

    /**
     * Chooses the gain of {@code options} for {@code net} under {@code spec}: each candidate's quantized
     * network (with {@code compensation} and the activation {@code hook}, either may be null) is run on
     * {@code heldOut} with {@code samples} samples against the float network, both on the calibration
     * seed's common random numbers; the least uncertainty error mean wins, ties going to the larger
     * gain. Options whose JQ does not use the gain, or whose gain is fixed, come back with that gain and
     * no runs. For several calibrations of one network use a {@link Calibrator}, which runs the float
     * network once.
     */
    public static Calibration calibrate(Network net, QuantSpec spec, QuantOptions options,
            HessianCompensation compensation, ActivationHook hook, FloatSet heldOut, int samples, Parallel par) {
        return new Calibrator(net, heldOut, samples, par).calibrate(spec, options, compensation, hook);
    }

    /**
     * The calibrations of one network on one held-out set: the float network's run on the held-out
     * set is made on first use and shared. Candidates whose codes equal an earlier candidate's (no
     * weight of the network is below half an LSB, or the gain moves no code) share its run, since equal
     * codes sample equal weights.
     */
    public static final class Calibrator {
        private final Network net;
        private final Network referenceNet;
        private final FloatSet heldOut;
        private final int samples;
        private final Parallel par;
        private MetricsReport reference;

        public Calibrator(Network net, FloatSet heldOut, int samples, Parallel par) {
            this(net, net, heldOut, samples, par);
        }

        /**
         * Calibrations of {@code net} against the float network {@code referenceNet} (a fine-tuned
         * model's parent, so that the gain serves the figure the table reports), of the same architecture.
         */
        public Calibrator(Network net, Network referenceNet, FloatSet heldOut, int samples, Parallel par) {
            if (!net.architecture().id().equals(referenceNet.architecture().id())
                    || net.architecture().activation() != referenceNet.architecture().activation()
                    || net.paramCount() != referenceNet.paramCount()) {
                throw new BadInputException("sub-LSB gain calibration: the reference network is a "
                        + referenceNet.architecture() + ", the quantized one a " + net.architecture());
            }
            if (samples < 2) {
                throw new BadInputException("sub-LSB gain calibration: samples must be at least 2, got " + samples);
            }
            this.net = net;
            this.referenceNet = referenceNet;
            this.heldOut = heldOut;
            this.samples = samples;
            this.par = par;
        }

        /** As {@link SubLsbGain#calibrate}. */
        public Calibration calibrate(QuantSpec spec, QuantOptions options, HessianCompensation compensation,
                ActivationHook hook) {
            if (!options.usesSubLsbGain(spec) || options.subLsbGain() != QuantOptions.AUTO_GAIN) {
                double g = options.subLsbGain() == QuantOptions.AUTO_GAIN ? 1 : options.subLsbGain();
                return new Calibration(g, new double[] {g}, new double[] {Double.NaN}, 0, 0, 0);
            }
            for (byte subset : new byte[] {FloatSet.MNIST, FloatSet.AMBIGUOUS, FloatSet.OOD}) {
                if (heldOut.countSubset(subset) == 0) {
                    throw new BadInputException(heldOut.name() + ": the sub-LSB gain calibration needs clean, "
                            + "ambiguous and out-of-distribution rows; it has no " + (subset == FloatSet.MNIST ? "clean"
                            : subset == FloatSet.AMBIGUOUS ? "ambiguous" : "out-of-distribution") + " rows");
                }
            }
            long t0 = System.nanoTime();
            if (reference == null) {
                reference = UncertaintyMetrics.report(QuantEvaluation.predict(
                        QuantizedNetwork.of(referenceNet, QuantSpec.fp(), QuantOptions.defaults()), null, heldOut, samples,
                        CALIBRATION_SEED, par));
            }
            double[] err = new double[CANDIDATES.length];
            int[][] codes = new int[CANDIDATES.length][];
            int best = -1;
            for (int k = 0; k < CANDIDATES.length; k++) {
                QuantOptions o = options.withSubLsbGain(CANDIDATES[k]);
                QuantizedNetwork q = compensation == null ? QuantizedNetwork.of(net, spec, o)
                        : QuantizedNetwork.of(net, spec, o, compensation);
                codes[k] = q.allCodes();
                int same = -1;
                for (int j = 0; j < k && same < 0; j++) {
                    same = Arrays.equals(codes[j], codes[k]) ? j : -1;
                }
                err[k] = same >= 0 ? err[same] : UncertaintyError.between(UncertaintyMetrics.report(
                        QuantEvaluation.predict(q, hook, heldOut, samples, CALIBRATION_SEED, par)), reference).meanPct();
                if (best < 0 || err[k] <= err[best]) {
                    best = k;
                }
            }
            if (Double.isNaN(err[best])) {
                throw new BadInputException(heldOut.name() + ": the sub-LSB gain calibration measured no uncertainty "
                        + "error (errors " + Arrays.toString(err) + ")");
            }
            return new Calibration(CANDIDATES[best], CANDIDATES, err, heldOut.count(), samples,
                    (System.nanoTime() - t0) / 1e9);
        }
    }
}
