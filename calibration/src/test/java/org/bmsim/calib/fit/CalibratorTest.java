package org.bmsim.calib.fit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bmsim.calib.data.Measurements;
import org.bmsim.common.BadInputException;
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
        assertArrayEquals(new double[] {100, 100, 100, 100}, LevelCurves.curveWeights(g, y, var, 0), 1e-9);
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
        for (int d = 0; d < devices; d++) {
            boolean stuck = d == 80;
            level[d] = stuck ? 0 : d % 2;
            double mean = stuck ? 39.85 : (level[d] == 0 ? 2 : 30) + 0.5 * rng.nextGaussian();
            double noise = stuck || level[d] == 1 ? 0.3 : 0.01;
            zeroMeanReads(rng, t, g, d, reads, mean, noise);
        }
        Measurements m = constructed(level, reads, t, g, new double[] {2, 30});
        CalibrationResult r = Calibrator.calibrate(m, Calibrator.Options.defaults(5, 1).withBootstrap(20).withWindow(0, 40));
        double est = r.get("level0.sigma_prog").value();
        assertTrue(Math.abs(est - 0.5) < 0.25, "level 0 spread " + est + " uS against 0.5 uS");
    }

    /** Hand case of the end piles: five means within the margin at each end, and lone devices beyond them. */
    @Test
    void windowEndsAreThePilesNotTheLoneDevicesBeyondThem() {
        // piles: five means within margin / 2 = 0.05
        double[] sorted = {-3, 0, 0.01, 0.02, 0.03, 0.04, 5, 6, 9.96, 9.97, 9.98, 9.99, 10, 12, 13};
        assertArrayEquals(new double[] {0, 10}, WindowEnds.pileEnds(sorted, 0.1, 5, 6), 0);
        // no pile: the extremes, as before
        assertArrayEquals(new double[] {-3, 13}, WindowEnds.pileEnds(sorted, 0.002, 5, 6), 0);
        // a pile is looked for only beyond the outer levels' medians: the upper pile is not the lower end
        assertArrayEquals(new double[] {-3, 10}, WindowEnds.pileEnds(sorted, 0.1, -1, 6), 0);
        // and only among the outermost 5 + n / 1000 means: 1,000 means whose 7 outermost at each end are
        // sparse (1 apart) around a dense middle (0.001 apart) have no pile; the extremes
        double[] tails = new double[1000];
        for (int i = 0; i < 1000; i++) {
            tails[i] = i < 7 ? i : i >= 993 ? 100 + (i - 993) : 20 + 0.001 * (i - 7);
        }
        assertArrayEquals(new double[] {0, 106}, WindowEnds.pileEnds(tails, 0.02, 20.5, 20.5), 0);
        // with one sparse mean fewer at each end, the dense middle's edge is within reach: a pile
        tails[6] = 20 - 0.001;
        tails[993] = 20 + 0.001 * 986;
        assertArrayEquals(new double[] {20 - 0.001, 20 + 0.001 * 986}, WindowEnds.pileEnds(tails, 0.02, 20.5, 20.5), 0);
    }

    /**
     * A device beyond the stuck pile (an RTN trap that did not switch in its trace reads one step above
     * its level) must not move the window's end above the pile. Constructed data (32 reads per device,
     * 0.05 uS read noise, no window given): level 0 has 40 devices at 5 + 0.5 z uS and 6 devices stuck
     * at 40.000 .. 40.025 uS; level 1 has 40 devices at 30 + 0.5 z uS and one at 43 uS. With the
     * highest mean (43 uS) as the end, the stuck pile lies inside level 0's interior and its spread
     * comes out at 24 uS; with the pile's end it is left out. Level 0's spread estimate from 40
     * devices has sd about 0.056 uS, so 0.5 +- 0.25 uS fails by chance with probability about 1e-5
     * (false-failure probability; seed fixed).
     */
    @Test
    void aLoneDeviceAboveTheStuckPileDoesNotMoveTheWindow() {
        java.util.Random rng = new java.util.Random(11);
        int reads = 32;
        int devices = 87;
        double[] t = new double[devices * reads];
        double[] g = new double[devices * reads];
        int[] level = new int[devices];
        for (int d = 0; d < devices; d++) {
            double mean;
            if (d < 80) {
                level[d] = d % 2;
                mean = (level[d] == 0 ? 5 : 30) + 0.5 * rng.nextGaussian();
            } else if (d < 86) {
                level[d] = 0;
                mean = 40 + 0.005 * (d - 80);
            } else {
                level[d] = 1;
                mean = 43;
            }
            zeroMeanReads(rng, t, g, d, reads, mean, 0.05);
        }
        Measurements m = constructed(level, reads, t, g, new double[] {5, 30});
        CalibrationResult r = Calibrator.calibrate(m, Calibrator.Options.defaults(5, 1).withBootstrap(20));
        double est = r.get("level0.sigma_prog").value();
        assertTrue(Math.abs(est - 0.5) < 0.25, "level 0 spread " + est + " uS against 0.5 uS");
    }

    /**
     * By hand: tau_0 = 1 s, tau_1 = 2 s, pi_0 = 1/3, a trace of 2 s: 1/3 e^-2 + 2/3 e^-1 = 0.290365; the
     * synthesizer's default traps (0.5 s, 1 s) over 100 reads of 0.1 s: 1/3 e^-20 + 2/3 e^-10 = 3.03e-5,
     * below the warning; no RTN: 0.
     */
    @Test
    void silentTrapShareByHand() {
        assertEquals(Math.exp(-2) / 3 + 2 * Math.exp(-1) / 3, CalibrationWarnings.silentTrapShare(1, 2, 2), 1e-15);
        assertEquals(0.290365, CalibrationWarnings.silentTrapShare(1, 2, 2), 1e-6);
        assertTrue(CalibrationWarnings.silentTrapShare(0.5, 1, 10) < 3.1e-5);
        assertEquals(0, CalibrationWarnings.silentTrapShare(Double.NaN, Double.NaN, 10));
    }

    /** Two levels of three devices at means base + 0.5 i uS, 32 reads of 0.05 uS noise each. */
    private static Measurements threePerLevel() {
        java.util.Random rng = new java.util.Random(3);
        int reads = 32;
        int devices = 6;
        double[] t = new double[devices * reads];
        double[] g = new double[devices * reads];
        int[] level = new int[devices];
        for (int d = 0; d < devices; d++) {
            level[d] = d % 2;
            double mean = (level[d] == 0 ? 5 : 30) + 0.5 * (d / 2);
            for (int r = 0; r < reads; r++) {
                t[d * reads + r] = 20 + 0.1 * r;
                g[d * reads + r] = mean + 0.05 * rng.nextGaussian();
            }
        }
        return constructed(level, reads, t, g, new double[] {5, 30});
    }

    /**
     * A replicate that draws one device of a three-device level three times (1 in 9 per level) has no
     * spread: the truncated-Gaussian likelihood grew without bound as s -> 0 and the optimizer stopped
     * with TooManyEvaluationsException (an internal error, exit 1). Now such a replicate's spread is 0 and
     * the calibration completes; the level's estimate is the three devices' (sd 0.5 uS; the interval is
     * not checked, three devices say little).
     */
    @Test
    void aReplicateOfOneDistinctDeviceDoesNotStopTheCalibration() {
        CalibrationResult r = Calibrator.calibrate(threePerLevel(),
                Calibrator.Options.defaults(5, 1).withBootstrap(40).withWindow(0, 40));
        double est = r.get("level0.sigma_prog").value();
        assertTrue(est > 0.1 && est < 1.5, "level 0 spread " + est);
    }

    /** Without a window the outer devices of each level are its ends: two devices left, one line naming the level. */
    @Test
    void aLevelWithTooFewDevicesInsideTheWindowIsRefused() {
        BadInputException e = assertThrows(BadInputException.class,
                () -> Calibrator.calibrate(threePerLevel(), Calibrator.Options.defaults(5, 1).withBootstrap(20)));
        assertTrue(e.getMessage().contains("level 0 has ") && e.getMessage().contains("its spread needs at least 3"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    /** Symmetric replicates about the estimate and a symmetric jackknife: z0 = a = 0, the percentile interval. */
    @Test
    void bcaWithoutBiasOrSkewIsThePercentileInterval() {
        double[] reps = new double[100];
        for (int i = 0; i < 100; i++) {
            reps[i] = -99 + 2 * i;
        }
        double[] ci = BootstrapIntervals.bca(0, reps, new double[] {-1, 0, 1}, 0.95);
        assertEquals(BootstrapIntervals.pct(reps, 2.5), ci[0], 1e-12);
        assertEquals(BootstrapIntervals.pct(reps, 97.5), ci[1], 1e-12);
    }

    /**
     * The percentiles read off B = 200 replicates: the 2.5 .. 97.5% range of 200 standard normal
     * draws, over 4000 sets, averages 1.0049 x 2 x 1.96 with Hyndman and Fan's type 8 (NumPy's
     * 'median_unbiased', 20,000 sets) and 0.9769 with type 7 (NumPy's default 'linear'), which made
     * every interval 2.3% narrow at B = 200. The mean's sd over 4000 sets is 0.00104, so the bound
     * 1.0049 +- 0.0052 (5 sd) fails falsely with probability about 6e-7; type 7 fails it by 27 sd.
     */
    @Test
    void percentilesOfFewReplicatesAreNotNarrow() {
        java.util.Random r = new java.util.Random(20261207L);
        double sum = 0;
        int sets = 4000;
        for (int k = 0; k < sets; k++) {
            double[] reps = new double[200];
            for (int i = 0; i < reps.length; i++) {
                reps[i] = r.nextGaussian();
            }
            sum += (BootstrapIntervals.pct(reps, 97.5) - BootstrapIntervals.pct(reps, 2.5)) / (2 * 1.959964);
        }
        assertEquals(1.0049, sum / sets, 0.0052);
    }

    /**
     * Hand case (computed with SciPy's norm and NumPy's quantile method 'median_unbiased', which is R type 8): replicates
     * 1 .. 1000, estimate 300.5, so z0 = Phi^-1(0.3) = -0.5244; jackknife {0, 0, 0, 3}, so a = -10.125 /
     * (6 x 6.75^1.5) = -0.09623; the levels are Phi(z0 + z / (1 - a z)), z = z0 -+ 1.96: 7.555e-5 and 0.76942,
     * the interval [1, 770.006] (type 8 clamps below order statistic 1 to the smallest replicate).
     */
    @Test
    void bcaByHand() {
        double[] reps = new double[1000];
        for (int i = 0; i < 1000; i++) {
            reps[i] = i + 1;
        }
        double[] ci = BootstrapIntervals.bca(300.5, reps, new double[] {0, 0, 0, 3}, 0.95);
        assertEquals(1.0, ci[0], 1e-6);
        assertEquals(770.0063730343447, ci[1], 1e-5);
        // every replicate above the estimate: z0 undefined, the percentile interval
        double[] p = BootstrapIntervals.bca(0, reps, new double[] {0, 0, 0, 3}, 0.95);
        assertEquals(BootstrapIntervals.pct(reps, 2.5), p[0], 1e-12);
    }

    /**
     * A device whose programming was clipped at g_max drifts like the others: read over 310 s its mean sits
     * near g_max cbar, not at g_max, and must stay out of the top level's spread fit. Constructed data
     * (window [0, 25] uS, 32 reads every 10 s from t0 = 20 s, every device drifting with nu = 0.05, white
     * read noise 0.05 uS): level 0 has 200 devices at 8 + z uS, level 1 800 devices at
     * min(23.5 + 1.5 z, 25) uS, 16% of them clipped. With the upper end at g_max - delta the clipped
     * devices' means (about 22.6 uS) sit inside it and the fit takes them for the level's upper tail:
     * 1.267 [1.224, 1.289] uS (measured with that end on this data); with the end at g_max cbar - delta,
     * 1.416 [1.322, 1.531] uS. The estimate's sd is about 0.055 uS, so 1.5 +- 0.2 uS fails by chance
     * with probability about 3e-4 (false-failure probability; seed fixed).
     */
    @Test
    void clippedDevicesThatDriftStayOutOfTheTopLevel() {
        java.util.Random rng = new java.util.Random(11);
        int reads = 32;
        int devices = 1000;
        double[] t = new double[devices * reads];
        double[] g = new double[devices * reads];
        int[] level = new int[devices];
        for (int d = 0; d < devices; d++) {
            level[d] = d % 5 == 0 ? 0 : 1;
            double gProg = level[d] == 0 ? 8 + rng.nextGaussian() : Math.min(23.5 + 1.5 * rng.nextGaussian(), 25);
            for (int r = 0; r < reads; r++) {
                double time = 20 + 10.0 * r;
                t[d * reads + r] = time;
                g[d * reads + r] = gProg * Math.pow(time / 20, -0.05) + 0.05 * rng.nextGaussian();
            }
        }
        Measurements m = constructed(level, reads, t, g, new double[] {8, 23.5});
        CalibrationResult r = Calibrator.calibrate(m, Calibrator.Options.defaults(5, 1).withBootstrap(20).withWindow(0, 25));
        double est = r.get("level1.sigma_prog").value();
        assertTrue(Math.abs(est - 1.5) < 0.2, "top level spread " + est + " uS against 1.5 uS");
    }

    /**
     * The bootstrap draws n - 1 devices from a level of n, which makes the variance of a level's mean the
     * unbiased s^2 / n (n draws give (n - 1) / n of it). 4 levels of 8 devices whose means are known by
     * construction: each level's 95% interval of noise_conductance (the mean of its devices' conductance)
     * against 2 x 1.959964 s / sqrt(8), s the sd of the 8 means. The mean ratio over the levels is 1 for
     * n - 1 draws and sqrt(7/8) = 0.935 for n. With 4000 replicates a width's Monte Carlo sd is about 2.2%
     * of it, the mean of 4 about 1.1%: the bound 0.97 lies 2.7 of those sd below 1 (false failure about
     * 0.4%) and 3.2 above 0.935.
     */
    @Test
    void theBootstrapVarianceOfALevelsMeanIsTheUnbiasedOne() {
        java.util.Random rng = new java.util.Random(21);
        int reads = 32;
        double[] offsets = {-3, -2, -1, -0.5, 0.5, 1, 2, 3};
        int devices = 4 * offsets.length;
        double[] t = new double[devices * reads];
        double[] g = new double[devices * reads];
        int[] level = new int[devices];
        for (int d = 0; d < devices; d++) {
            level[d] = d / offsets.length;
            zeroMeanReads(rng, t, g, d, reads, 20 * (level[d] + 1) + offsets[d % offsets.length], 0.01);
        }
        double s = 0;
        for (double o : offsets) {
            s += o * o / (offsets.length - 1);
        }
        double expected = 2 * 1.959964 * Math.sqrt(s / offsets.length);
        CalibrationResult r = Calibrator.calibrate(constructed(level, reads, t, g, new double[] {20, 40, 60, 80}),
                Calibrator.Options.defaults(3, 2).withBootstrap(4000).withWindow(0, 100));
        double ratio = 0;
        for (int k = 0; k < 4; k++) {
            CalibrationResult.Estimate e = r.get("level" + k + ".noise_conductance");
            ratio += (e.hi() - e.lo()) / expected / 4;
        }
        assertEquals(7, Calibrator.drawsPerLevel(8));
        assertTrue(ratio > 0.97 && ratio < 1.04, "interval width / (2 z s / sqrt(n)) = " + ratio);
    }

    /**
     * Device d's reads every 0.1 s from 20 s: exactly {@code mean} on average, plus Gaussian noise of sd
     * {@code noise} with its own mean removed (so the device's mean is known by construction).
     */
    private static void zeroMeanReads(java.util.Random rng, double[] t, double[] g, int d, int reads, double mean,
            double noise) {
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

    /** Constructed measurements: device d ("d" + d) at level[d] with {@code reads} reads at t, g from d x reads. */
    private static Measurements constructed(int[] level, int reads, double[] t, double[] g, double[] targetsUs) {
        int[] start = new int[level.length + 1];
        java.util.List<String> names = new java.util.ArrayList<>();
        for (int d = 0; d < level.length; d++) {
            start[d + 1] = start[d] + reads;
            names.add("d" + d);
        }
        return new Measurements("constructed", "", names, level, start, t, g, targetsUs, true, null);
    }
}
