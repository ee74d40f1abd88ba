package org.bmsim.sim.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bmsim.common.BadInputException;
import org.bmsim.sim.data.FloatSet;
import org.bmsim.sim.data.RandomImages;
import org.bmsim.sim.datapath.JqArithmetic;
import org.bmsim.sim.datapath.SigmaStep;
import org.bmsim.sim.metrics.MetricsReport;
import org.bmsim.sim.metrics.UncertaintyError;
import org.bmsim.sim.metrics.UncertaintyMetrics;
import org.bmsim.sim.nn.Activation;
import org.bmsim.sim.nn.Architecture;
import org.bmsim.sim.nn.Layer;
import org.bmsim.sim.nn.Network;
import org.bmsim.sim.nn.Parallel;
import org.bmsim.sim.nn.SigmaTransform;
import org.junit.jupiter.api.Test;

/** The sub-LSB sigma gain of moment-matched JQ: the rule by hand, the encoder under it, and its calibration. */
class SubLsbGainTest {
    /** rho = -6: sigma = softplus(-6) = 0.00248, about a fifth of a 4-bit LSB of these layers' means. */
    static Network smallSigmaNet(float rho) {
        return Network.initialised(Architecture.of("mlp:784-6-10", Activation.RELU), true, SigmaTransform.SOFTPLUS, rho, 5);
    }

    @Test
    void ruleByHand() {
        assertEquals(0.14, SubLsbGain.targetSigmaLsb(0.2, 0.7), 1e-15);
        assertEquals(0.0, SubLsbGain.targetSigmaLsb(0.0, 0.7), 0);
        // half an LSB and more keep their moments
        assertEquals(0.5, SubLsbGain.targetSigmaLsb(0.5, 0.7), 0);
        assertEquals(3.0, SubLsbGain.targetSigmaLsb(3.0, 0.4), 0);
        assertEquals(0.3, SubLsbGain.targetSigmaLsb(0.3, 1.0), 0);
        assertEquals(QuantOptions.AUTO_GAIN, SubLsbGain.parse(" Auto "));
        assertEquals(0.7, SubLsbGain.parse("0.7"));
        for (String bad : new String[] {"x", "0", "1.5", "-1", "NaN", ""}) {
            BadInputException e = assertThrows(BadInputException.class, () -> SubLsbGain.parse(bad), bad);
            assertEquals(1, e.getMessage().lines().count());
        }
        assertThrows(BadInputException.class, () -> QuantOptions.defaults().withSubLsbGain(0.01));
        assertThrows(BadInputException.class, () -> QuantOptions.defaults().withSubLsbGain(1.01));
    }

    @Test
    void anUnresolvedGainIsRefusedWhereItMatters() {
        Network net = smallSigmaNet(-6f);
        assertThrows(IllegalArgumentException.class, () -> QuantizedNetwork.of(net, QuantSpec.parse("jq:4"),
                QuantOptions.defaults()));
        // strategies and codings that do not use it take 'auto' as it is
        QuantizedNetwork.of(net, QuantSpec.parse("vpq:4"), QuantOptions.defaults());
        QuantizedNetwork.of(net, QuantSpec.parse("jq:4"), QuantOptions.defaults().withJqCoding(JqCoding.NEAREST));
    }

    /** Every weight's codes are the encoder's for (mu, g sigma) below half an LSB and for (mu, sigma) above. */
    @Test
    void theEncoderMatchesTheScaledTargetBelowHalfAnLsbOnly() {
        MomentMatchedJq enc = MomentMatchedJq.of(JqArithmetic.of(4, 4, 4, SigmaStep.HALF_OCTAVE));
        for (float rho : new float[] {-6f, -4.5f}) {
            Network net = smallSigmaNet(rho);
            float[] p = net.params();
            Layer.TensorSlot w = net.tensors().get(0);
            int rows = w.shape()[0];
            int cols = w.size() / rows;
            QuantizedNetwork plain = QuantizedNetwork.of(net, QuantSpec.parse("jq:4"),
                    QuantOptions.defaults().withSubLsbGain(1));
            QuantizedNetwork gained = QuantizedNetwork.of(net, QuantSpec.parse("jq:4"),
                    QuantOptions.defaults().withSubLsbGain(0.5));
            double[] scales = gained.scales(0);
            assertArrayEquals(plain.scales(0), scales, 0, "the scale search sees the posterior sigmas");
            int[][] c1 = plain.codes(0);
            int[][] cg = gained.codes(0);
            int[] want = new int[2];
            int below = 0;
            int changed = 0;
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < cols; j++) {
                    int i = r * cols + j;
                    double muLsb = p[w.offset() + i] / scales[r];
                    double sLsb = net.transform().sigma(p[w.offset() + w.size() + i]) / scales[r];
                    enc.encode(muLsb, sLsb < 0.5 ? 0.5 * sLsb : sLsb, want);
                    assertEquals(want[0], cg[0][i]);
                    assertEquals(want[1], cg[1][i]);
                    if (sLsb >= 0.5) {
                        assertEquals(c1[0][i], cg[0][i]);
                        assertEquals(c1[1][i], cg[1][i]);
                    } else {
                        below++;
                        changed += c1[1][i] != cg[1][i] ? 1 : 0;
                    }
                }
            }
            if (rho == -6f) {
                assertTrue(below > cols * rows / 2, "most sigmas are sub-LSB at rho = -6: " + below);
                assertTrue(changed > below / 4, "the gain moves the sigma codes: " + changed + " of " + below);
            }
        }
    }

    /** The calibration picks the candidate of least held-out error, its curve recomputed here one by one. */
    @Test
    void calibrationPicksTheLeastHeldOutErrorIndependentlyOfThreads() {
        Network net = smallSigmaNet(-6f);
        FloatSet heldOut = RandomImages.of("held-out", 60, 7, FloatSet.MNIST, FloatSet.AMBIGUOUS, FloatSet.OOD);
        QuantSpec jq4 = QuantSpec.parse("jq:4");
        QuantOptions o = QuantOptions.defaults();
        SubLsbGain.Calibration c1;
        SubLsbGain.Calibration c2;
        double[] want = new double[SubLsbGain.CANDIDATES.length];
        try (Parallel one = Parallel.of(1); Parallel two = Parallel.of(2)) {
            c1 = SubLsbGain.calibrate(net, jq4, o, null, null, heldOut, 6, one);
            c2 = SubLsbGain.calibrate(net, jq4, o, null, null, heldOut, 6, two);
            MetricsReport ref = UncertaintyMetrics.report(QuantEvaluation.predict(
                    QuantizedNetwork.of(net, QuantSpec.fp(), o), null, heldOut, 6, SubLsbGain.CALIBRATION_SEED, one));
            for (int k = 0; k < want.length; k++) {
                QuantizedNetwork q = QuantizedNetwork.of(net, jq4, o.withSubLsbGain(SubLsbGain.CANDIDATES[k]));
                want[k] = UncertaintyError.between(UncertaintyMetrics.report(QuantEvaluation.predict(q, null, heldOut, 6,
                        SubLsbGain.CALIBRATION_SEED, one)), ref).meanPct();
            }
        }
        assertArrayEquals(want, c1.errorMeanPct(), 0);
        assertArrayEquals(c1.errorMeanPct(), c2.errorMeanPct(), 0, "thread count");
        int best = 0;
        for (int k = 1; k < want.length; k++) {
            if (want[k] <= want[best]) {
                best = k;
            }
        }
        assertEquals(SubLsbGain.CANDIDATES[best], c1.gain());
        assertEquals(c1.gain(), c1.apply(o).subLsbGain());
        assertTrue(c1.describe().startsWith("sub-LSB gain"), c1.describe());
        assertEquals(60, c1.images());
    }

    /** With a reference network (a fine-tuned model's parent) the errors are against it. */
    @Test
    void aReferenceNetworkIsWhatTheErrorsAreMeasuredAgainst() {
        Network net = smallSigmaNet(-6f);
        Network parent = Network.initialised(Architecture.of("mlp:784-6-10", Activation.RELU), true,
                SigmaTransform.SOFTPLUS, -6f, 6);
        FloatSet heldOut = RandomImages.of("held-out", 30, 7, FloatSet.MNIST, FloatSet.AMBIGUOUS, FloatSet.OOD);
        QuantSpec jq4 = QuantSpec.parse("jq:4");
        QuantOptions o = QuantOptions.defaults();
        try (Parallel par = Parallel.of(1)) {
            SubLsbGain.Calibration c = new SubLsbGain.Calibrator(net, parent, heldOut, 4, par).calibrate(jq4, o, null,
                    null);
            MetricsReport ref = UncertaintyMetrics.report(QuantEvaluation.predict(
                    QuantizedNetwork.of(parent, QuantSpec.fp(), o), null, heldOut, 4, SubLsbGain.CALIBRATION_SEED, par));
            QuantizedNetwork plain = QuantizedNetwork.of(net, jq4, o.withSubLsbGain(1));
            double want = UncertaintyError.between(UncertaintyMetrics.report(QuantEvaluation.predict(plain, null, heldOut,
                    4, SubLsbGain.CALIBRATION_SEED, par)), ref).meanPct();
            assertEquals(want, c.errorMeanPct()[SubLsbGain.CANDIDATES.length - 1], 0);
            Network other = Network.initialised(Architecture.of("mlp:784-8-10", Activation.RELU), true,
                    SigmaTransform.SOFTPLUS, -6f, 6);
            assertThrows(BadInputException.class, () -> new SubLsbGain.Calibrator(net, other, heldOut, 4, par));
        }
    }

    @Test
    void calibrationNeedsAllThreeKindsOfInputAndSkipsFixedGains() {
        Network net = smallSigmaNet(-6f);
        QuantSpec jq4 = QuantSpec.parse("jq:4");
        try (Parallel par = Parallel.of(1)) {
            FloatSet noOod = RandomImages.of("no-ood", 20, 7, FloatSet.MNIST, FloatSet.AMBIGUOUS);
            BadInputException e = assertThrows(BadInputException.class, () -> SubLsbGain.calibrate(net, jq4,
                    QuantOptions.defaults(), null, null, noOod, 4, par));
            assertTrue(e.getMessage().contains("out-of-distribution"), e.getMessage());
            SubLsbGain.Calibration fixed = SubLsbGain.calibrate(net, jq4, QuantOptions.defaults().withSubLsbGain(0.6),
                    null, null, noOod, 4, par);
            assertEquals(0.6, fixed.gain());
            assertEquals(0, fixed.images());
            SubLsbGain.Calibration vpq = SubLsbGain.calibrate(net, QuantSpec.parse("vpq:4"), QuantOptions.defaults(),
                    null, null, noOod, 4, par);
            assertEquals(1.0, vpq.gain());
        }
    }
}
