package org.bmsim.noise.device;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class NoiseRandomTest {

    private static double[] draws(NoiseRandom r, int n) {
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = r.gaussian();
        }
        return d;
    }

    @Test
    void equalSeedsGiveEqualStreams() {
        assertArrayEquals(draws(NoiseRandom.of(42), 100), draws(NoiseRandom.of(42), 100));
        assertFalse(Arrays.equals(draws(NoiseRandom.of(42), 100), draws(NoiseRandom.of(43), 100)));
    }

    @Test
    void splitDependsOnIndexOnlyNotOnParentConsumption() {
        NoiseRandom a = NoiseRandom.of(7);
        NoiseRandom b = NoiseRandom.of(7);
        draws(b, 1000); // the parent has drawn; its children must not change
        assertArrayEquals(draws(a.split(3), 50), draws(b.split(3), 50));
        // children in any order: split(5) then split(3) equals split(3) alone
        NoiseRandom c = NoiseRandom.of(7);
        c.split(5);
        assertArrayEquals(draws(a.split(3), 50), draws(c.split(3), 50));
        assertFalse(Arrays.equals(draws(a.split(3), 50), draws(a.split(4), 50)));
        assertFalse(Arrays.equals(draws(a, 50), draws(NoiseRandom.of(7).split(0), 50)));
        // nested splits differ from flat ones
        assertFalse(Arrays.equals(draws(a.split(1).split(2), 50), draws(a.split(2).split(1), 50)));
    }

    @Test
    void gaussianHasUnitVarianceAndChildrenAreUncorrelated() {
        int n = 100_000;
        double[] x = draws(NoiseRandom.of(1).split(0), n);
        double[] y = draws(NoiseRandom.of(1).split(1), n);
        assertEquals(0.0, Moments.mean(x), Moments.meanBound(1, n));
        assertEquals(1.0, Moments.variance(x), Moments.varianceBound(1, 3, n));
        assertEquals(0.0, Moments.correlation(x, y), Moments.correlationBound(0, n));
    }

    @Test
    void uniformAndExponential() {
        NoiseRandom r = NoiseRandom.of(11);
        int n = 100_000;
        double[] u = new double[n];
        double[] e = new double[n];
        for (int i = 0; i < n; i++) {
            u[i] = r.uniform();
            e[i] = r.exponential();
            assertTrue(u[i] >= 0 && u[i] < 1);
            assertTrue(e[i] >= 0);
        }
        assertEquals(0.5, Moments.mean(u), Moments.meanBound(Math.sqrt(1.0 / 12), n));
        assertEquals(1.0, Moments.mean(e), Moments.meanBound(1, n));
    }

    @Test
    void laplaceSumHasTheMomentsOfNLaplaceReadsAndIsLaplaceForOne() {
        // n = 1 draws exactly what laplace() draws
        NoiseRandom a = NoiseRandom.of(9);
        NoiseRandom b = NoiseRandom.of(9);
        for (int k = 0; k < 100; k++) {
            assertEquals(a.laplace(), b.laplaceSum(1));
        }
        // n = 16: mean 0, variance 2n = 32, excess kurtosis 3 / n = 0.1875 (cumulants add). With 200,000
        // draws the standard errors are 0.0126 (mean), 0.106 (variance, from the fourth moment) and about
        // sqrt(24 / 200000) = 0.011 (kurtosis; that is the normal-law value, taken 1.2x for this slightly
        // heavier tail): bounds of 5 standard errors fail by chance with odds below
        // 1e-5 each, and separate 0.1875 from a single Laplace read (3) and from a Gaussian (0)
        NoiseRandom r = NoiseRandom.of(17);
        int n = 200_000;
        double s1 = 0;
        double s2 = 0;
        double s4 = 0;
        double[] x = new double[n];
        for (int k = 0; k < n; k++) {
            x[k] = r.laplaceSum(16);
            s1 += x[k];
        }
        double mean = s1 / n;
        for (double v : x) {
            double d = v - mean;
            s2 += d * d;
            s4 += d * d * d * d;
        }
        double var = s2 / n;
        double kurt = s4 / n / (var * var) - 3;
        assertEquals(0, mean, 5 * 0.0126);
        assertEquals(32, var, 5 * 0.106);
        assertEquals(3.0 / 16, kurt, 5 * 0.011 * 1.2);
    }
}
