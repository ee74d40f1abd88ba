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
}
