package org.bmsim.sim.tile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.bmsim.common.BadInputException;
import org.bmsim.noise.converter.AdcConfig;
import org.bmsim.noise.converter.AdcRange;
import org.bmsim.noise.converter.DacConfig;
import org.bmsim.noise.converter.SharedAdcs;
import org.bmsim.noise.device.ConductanceRange;
import org.bmsim.noise.device.NoiseRandom;
import org.bmsim.noise.device.PolynomialCurve;
import org.bmsim.sim.nn.Parallel;
import org.junit.jupiter.api.Test;

class AnalogTileTest {
    private static float[] rand(int n, long seed, float scale) {
        Random r = new Random(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (r.nextGaussian() * scale);
        }
        return a;
    }

    /** y = x mu in double precision, read by read, within 1e-4 relative. */
    private static void assertFloatProduct(float[] x, float[] mu, float[] y, int rows, int cols, int reads) {
        for (int b = 0; b < reads; b++) {
            for (int j = 0; j < cols; j++) {
                double s = 0;
                for (int i = 0; i < rows; i++) {
                    s += (double) x[b * rows + i] * mu[i * cols + j];
                }
                assertEquals(s, y[b * cols + j], 1e-4 * (1 + Math.abs(s)), "read " + b + " column " + j);
            }
        }
    }

    @Test
    void noiseOffEqualsTheFloatResult() {
        int rows = 70;
        int cols = 130;
        int reads = 5;
        float[] mu = rand(rows * cols, 1, 0.3f);
        float[] x = rand(reads * rows, 2, 1f);
        double ws = CellMapping.wScale(mu);
        float[] norm = new float[mu.length];
        for (int k = 0; k < mu.length; k++) {
            norm[k] = (float) (mu[k] / ws);
        }
        AnalogTile t = AnalogTile.builder(TileMatrix.of(rows, cols, norm, null), DacConfig.of(0, 1, true)).wScale(ws).build();
        assertEquals(AnalogTile.Path.NOISE_FREE, t.path());
        float[] y = new float[reads * cols];
        try (Parallel par = Parallel.of(2)) {
            t.read(x, reads, y, 7, par);
        }
        assertFloatProduct(x, mu, y, rows, cols, reads);
    }

    @Test
    void noiseOffWithRowColumnScalesEqualsTheFloatResult() {
        // the matrix holds mu / (wScale rowGain_i colScale_j); the row drive and the column gain undo it
        int rows = 40;
        int cols = 24;
        int reads = 3;
        float[] mu = rand(rows * cols, 3, 0.3f);
        float[] x = rand(reads * rows, 4, 1f);
        float[] rg = new float[rows];
        float[] cs = new float[cols];
        for (int i = 0; i < rows; i++) {
            rg[i] = (float) Math.pow(2, -(i % 7));
        }
        for (int j = 0; j < cols; j++) {
            cs[j] = (float) Math.pow(2, -(j % 5) / 2.0);
        }
        double ws = 3.5;
        float[] norm = new float[mu.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                norm[i * cols + j] = (float) (mu[i * cols + j] / (ws * rg[i] * cs[j]));
            }
        }
        AnalogTile t = AnalogTile.builder(TileMatrix.of(rows, cols, norm, null), DacConfig.of(0, 1, true)).wScale(ws)
                .rowColumnScales(rg, cs).build();
        float[] y = new float[reads * cols];
        try (Parallel par = Parallel.of(1)) {
            t.read(x, reads, y, 7, par);
        }
        assertFloatProduct(x, mu, y, rows, cols, reads);
    }

    @Test
    void dacAndAdcStagesQuantize() {
        int rows = 16;
        int cols = 16;
        float[] mu = new float[rows * cols];
        for (int i = 0; i < rows; i++) {
            mu[i * cols + i] = 1f; // identity: the output is the DAC'd input
        }
        AdcConfig adc = AdcConfig.ideal(4, AdcRange.fixed(-1, 1.1)); // no level on a code transition
        AnalogTile t = AnalogTile.builder(TileMatrix.of(rows, cols, mu, null), DacConfig.of(3, 1, true))
                .adcs(SharedAdcs.of(adc, cols, NoiseRandom.of(1))).build();
        float[] x = new float[rows];
        for (int i = 0; i < rows; i++) {
            x[i] = (i - 8) / 8f;
        }
        float[] y = new float[cols];
        try (Parallel par = Parallel.of(1)) {
            t.read(x, 1, y, 1, par);
        }
        // DAC: 3 bits signed, step 1/3 of full scale 1; ADC: 16 codes over [-1, 1.1], LSB 2.1/15
        for (int j = 0; j < cols; j++) {
            double d = Math.rint(x[j] / (1 / 3.0)) / 3.0;
            double code = Math.floor((d + 1) / (2.1 / 15.0) + 0.5);
            assertEquals(-1 + code * 2.1 / 15.0, y[j], 1e-6, "column " + j);
        }
    }

    @Test
    void perReadFaithfulMatchesTheMomentsAndIsThreadIndependent() {
        int rows = 100;
        int cols = 80;
        float[] mu = rand(rows * cols, 3, 0.2f);
        float[] sg = new float[rows * cols];
        java.util.Arrays.fill(sg, 0.05f);
        TileMatrix tm = TileMatrix.of(rows, cols, mu, sg);
        int reads = 400;
        float[] x = new float[reads * rows];
        float[] x1 = rand(rows, 4, 1f);
        for (int b = 0; b < reads; b++) {
            System.arraycopy(x1, 0, x, b * rows, rows);
        }
        float[] y1 = new float[reads * cols];
        float[] y2 = new float[reads * cols];
        try (Parallel p1 = Parallel.of(1); Parallel p2 = Parallel.of(2)) {
            MvmKernels.perRead(tm, x, reads, y1, 11, p1);
            MvmKernels.perRead(tm, x, reads, y2, 11, p2);
        }
        // same streams for the same reads at any thread count; values agree to float rounding (the Vector API's
        // LOG/SIN/COS may differ in the last ulp between interpreted and compiled code: docs/machine.md)
        for (int k = 0; k < y1.length; k++) {
            assertEquals(y1[k], y2[k], 1e-5 * (1 + Math.abs(y1[k])));
        }
        double v = 0;
        for (int i = 0; i < rows; i++) {
            v += x1[i] * x1[i] * 0.05 * 0.05;
        }
        for (int j = 0; j < 3; j++) {
            double m = 0;
            for (int i = 0; i < rows; i++) {
                m += x1[i] * mu[i * cols + j];
            }
            double s = 0;
            double s2 = 0;
            for (int b = 0; b < reads; b++) {
                double d = y1[b * cols + j] - m;
                s += d;
                s2 += d * d;
            }
            // mean within 5 standard errors, variance within 25 % (400 reads: SE of variance ~7 %)
            assertTrue(Math.abs(s / reads) < 5 * Math.sqrt(v / reads), "mean of column " + j);
            assertEquals(v, s2 / reads, 0.25 * v, "variance of column " + j);
        }
    }

    @Test
    void aPairHoldingTheWholeWindowStaysInsideTheCurvesRange() {
        // a calibrated window for which g_max - (g_max - g_min) - g_min rounds to -2.7e-15: the weight at
        // |mu| = wScale put the pair's grid a few ulp below g_min, which the read-sigma curve refused
        ConductanceRange r = ConductanceRange.of(0.001899120838, 41.11709932000001, "fitted");
        PolynomialCurve s = PolynomialCurve.of(r, 1.0);
        double gScale = r.gMaxMicroSiemens() - r.gMinMicroSiemens();
        // the pair (g_min, g_max) realises sigma = sqrt(2) uS / gScale x wScale at |mu| = wScale = 1
        float sigma = (float) (Math.sqrt(2) / gScale);
        CellMapping.Result m = CellMapping.differentialPair(new float[] {1f, -1f}, new float[] {sigma, sigma}, s, 0.05);
        assertEquals(0, m.unrealisable());
        assertEquals(r.gMinMicroSiemens(), m.gMinus()[0], 1e-6);
        assertEquals(r.gMaxMicroSiemens(), m.gPlus()[0], 1e-5);
    }

    /**
     * A plan made with one device model and read on another: the same conductances, each sigma scaled by
     * the devices' ratio at them. Hand case: the device is the model x 1.01 on the same window, so every
     * realised sigma is 1.01 x the plan's; the model itself changes nothing; another window is refused.
     */
    @Test
    void aPlanReadOnAnotherDeviceScalesEachSigmaByTheDevicesRatio() {
        ConductanceRange r = ConductanceRange.of(0, 10, "x");
        PolynomialCurve model = PolynomialCurve.of(r, 0.5, 0.05);
        PolynomialCurve device = PolynomialCurve.of(r, 0.505, 0.0505);
        float[] mu = {0.3f, -0.7f, 1f, 0f};
        float[] sigma = {0.05f, 0.08f, 0.06f, 0.07f};
        CellMapping.Result plan = CellMapping.differentialPair(mu, sigma, model, 0.05);
        CellMapping.Result on = CellMapping.onDevice(plan, mu, sigma, model, device, 0.05);
        for (int k = 0; k < mu.length; k++) {
            assertEquals(1.01 * plan.sigmaRealised()[k], on.sigmaRealised()[k], 1e-6 * plan.sigmaRealised()[k]);
            assertEquals(plan.muRealised()[k], on.muRealised()[k]);
            assertEquals(plan.gPlus()[k], on.gPlus()[k]);
        }
        CellMapping.Result same = CellMapping.onDevice(plan, mu, sigma, model, model, 0.05);
        assertArrayEquals(plan.sigmaRealised(), same.sigmaRealised());
        assertEquals(plan.unrealisable(), same.unrealisable());
        PolynomialCurve wider = PolynomialCurve.of(ConductanceRange.of(0, 12, "y"), 0.5);
        BadInputException e = assertThrows(BadInputException.class,
                () -> CellMapping.onDevice(plan, mu, sigma, model, wider, 0.05));
        assertTrue(e.getMessage().contains("differs from the machine's [0.0, 12.0] uS"), e.getMessage());
    }
}
