package org.bmsim.calib.fit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bmsim.calib.data.Measurements;
import org.bmsim.calib.synth.SynthesisSpec;
import org.bmsim.calib.synth.Synthesizer;
import org.bmsim.noise.device.DevicePresets;
import org.junit.jupiter.api.Test;

/** The window-end margin and the curve weights of {@link Calibrator}. */
class CalibratorTest {
    /**
     * Hand case: y alternates 1.1, 0.9 with a 10% relative sd, degree 0. Plain 1 / var weights would favour
     * the low values (1 / 0.0081 against 1 / 0.0121); with the relative variance cv^2 = 0.01 and the
     * reference curve, which is the mean 1.0 after the second pass, every weight is 1 / (0.01 x 1.0^2) = 100.
     */
    @Test
    void curveWeightsDoNotFollowTheEstimatesOwnErrors() {
        double[] g = {1, 2, 3, 4};
        double[] y = {1.1, 0.9, 1.1, 0.9};
        double[] var = new double[4];
        for (int k = 0; k < 4; k++) {
            var[k] = 0.01 * y[k] * y[k];
        }
        assertArrayEquals(new double[] {100, 100, 100, 100}, Calibrator.curveWeights(g, y, var, 0), 1e-9);
    }

    /**
     * A low level's stuck-at-g_max devices carry g_max's read noise (Laplace b = 0.216 uS at 39.26 uS,
     * against 0.032 uS at the lowest level, 2.45 uS): the margin that tells them from interior devices must
     * come from the largest noise, or some leak into the lowest level's interior, 23 spreads away, and its
     * programming spread comes out far too wide (one such device in 1150 took Wan's 1.57 uS to 2.33 uS).
     * With 5% stuck at g_max (about 2.5 devices per level) every level's spread stays within 35% of the
     * truth; the estimate's sd at 50 devices is about 10%, so a 35% miss at any of the 8 levels by chance
     * has probability below 8 x 5e-4 = 0.004 under a Gaussian approximation of a spread estimate
     * (false-failure probability; seed fixed).
     */
    @Test
    void stuckDevicesAtTheFarEndStayOutOfALevel() {
        SynthesisSpec s = SynthesisSpec.defaults(DevicePresets.get(DevicePresets.RRAM_WAN_2022), 400, 64, 11)
                .withStuck(0, 0.05);
        Synthesizer.Plan p = Synthesizer.plan(s);
        Measurements m = Synthesizer.generate(p, 2);
        CalibrationResult r = Calibrator.calibrate(m, Calibrator.Options.defaults(11, 2).withBootstrap(20)
                .withWindow(p.truth().gMinUs(), p.truth().gMaxUs()));
        for (int k = 0; k < 8; k++) {
            double est = r.get("level" + k + ".sigma_prog").value();
            double truth = p.truth().sigmaProgUs()[k];
            assertTrue(Math.abs(est / truth - 1) < 0.35, "level " + k + ": " + est + " against " + truth);
        }
    }
}
