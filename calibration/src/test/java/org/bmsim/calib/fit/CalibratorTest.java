package org.bmsim.calib.fit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bmsim.calib.data.Measurements;
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
     * A low level's stuck-at-g_max device carries g_max's read noise, not the level's: the margin that
     * tells it from the interior must come from the largest level noise. Constructed data (window
     * [0, 40] uS, 32 reads per device): level 0 has 40 devices at 2 + 0.5 z uS read with 0.01 uS noise and
     * one device stuck near g_max, its mean exactly 39.85 uS (2.8 sd of its mean below 40 uS) read with
     * 0.3 uS noise; level 1 has 40 devices at 30 + 0.5 z uS read with 0.3 uS noise. A margin from level 0's
     * own noise (6 sqrt(V_0) = 0.05 uS) takes the stuck device into level 0's spread fit, 75 spreads away
     * (the estimate then comes out at 16 uS); the margin from the largest level noise (6 sqrt(V_1) =
     * 0.32 uS) leaves it out. Level 0's spread estimate from 40 devices has sd about 0.056 uS, so
     * 0.5 +- 0.25 uS fails by chance with probability about 1e-5 (false-failure probability; seed fixed).
     */
    @Test
    void aStuckDeviceAtTheFarEndStaysOutOfALowLevel() {
        java.util.Random rng = new java.util.Random(5);
        int reads = 32;
        int devices = 81;
        double[] t = new double[devices * reads];
        double[] g = new double[devices * reads];
        int[] level = new int[devices];
        int[] start = new int[devices + 1];
        java.util.List<String> names = new java.util.ArrayList<>();
        for (int d = 0; d < devices; d++) {
            boolean stuck = d == 80;
            level[d] = stuck ? 0 : d % 2;
            start[d + 1] = start[d] + reads;
            names.add("d" + d);
            double mean = stuck ? 39.85 : (level[d] == 0 ? 2 : 30) + 0.5 * rng.nextGaussian();
            double noise = stuck || level[d] == 1 ? 0.3 : 0.01;
            double[] e = new double[reads];
            double em = 0;
            for (int r = 0; r < reads; r++) {
                e[r] = rng.nextGaussian();
                em += e[r] / reads;
            }
            for (int r = 0; r < reads; r++) {
                t[d * reads + r] = 20 + 0.1 * r;
                g[d * reads + r] = mean + noise * (e[r] - em);
            }
        }
        Measurements m = new Measurements("constructed", "", names, level, start, t, g, new double[] {2, 30}, true, null);
        CalibrationResult r = Calibrator.calibrate(m, Calibrator.Options.defaults(5, 1).withBootstrap(20).withWindow(0, 40));
        double est = r.get("level0.sigma_prog").value();
        assertTrue(Math.abs(est - 0.5) < 0.25, "level 0 spread " + est + " uS against 0.5 uS");
    }
}
