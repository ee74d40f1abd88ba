package org.bmsim.noise.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bmsim.common.BadInputException;
import org.junit.jupiter.api.Test;

/**
 * The 1/f process: marginal sigma equals Joshi's accumulated 1/f sigma; the simulated
 * autocorrelation equals the documented formula; the formula has the 1/f signature.
 */
class FlickerNoiseTest {
    private static final double T = 3600.0; // inference one hour after programming
    private static final double DT = 1e-6; // one read per microsecond

    /** Offsets of reads 1 and 1 + lag for n independent devices at g = g_prog. */
    private static double[][] reads(FlickerNoise f, double g, int n, int lag, long seed) {
        float[] gp = new float[n];
        java.util.Arrays.fill(gp, (float) g);
        float[] state = new float[n * f.stateSize()];
        float[] out = new float[n];
        NoiseRandom rng = NoiseRandom.of(seed);
        f.start(gp, state, rng);
        f.next(gp, state, out, rng);
        double[] a = new double[n];
        for (int d = 0; d < n; d++) {
            a[d] = out[d] - g;
        }
        for (int r = 0; r < lag; r++) {
            f.next(gp, state, out, rng);
        }
        double[] b = new double[n];
        for (int d = 0; d < n; d++) {
            b[d] = out[d] - g;
        }
        return new double[][] {a, b};
    }

    @Test
    void marginalSigmaIsJoshisAccumulatedSigma() {
        FlickerNoise f = JoshiPcm2020.flickerNoise(25, T, DT, 1);
        double g = 12.5;
        double sigma = JoshiPcm2020.accumulatedReadSigma(g, g, T, 25); // 0.8223368 uS
        assertEquals(0.822336807685255, sigma, 1e-9);
        assertEquals(sigma, f.stdDevMicroSiemens(g, g), 1e-12);
        int n = 40_000;
        double[] x = reads(f, g, n, 0, 1)[0];
        assertEquals(0, Moments.mean(x), Moments.meanBound(sigma, n));
        // offsets are Gaussian (a sum of Gaussian OU states): kurtosis 3; float state adds < 1e-6 relative
        assertEquals(sigma * sigma, Moments.variance(x), Moments.varianceBound(sigma * sigma, 3, n));
    }

    @Test
    void simulatedAutocorrelationMatchesTheFormula() {
        FlickerNoise f = JoshiPcm2020.flickerNoise(25, T, DT, 1);
        int n = 20_000;
        for (int lag : new int[] {1, 4, 60}) {
            double[][] ab = reads(f, 12.5, n, lag, 50 + lag);
            double rho = f.autocorrelation(lag);
            // jointly Gaussian pairs: Fisher's SE (1 - rho^2)/sqrt(n)
            assertEquals(rho, Moments.correlation(ab[0], ab[1]), Moments.correlationBound(rho, n), "lag " + lag);
        }
        assertTrue(f.autocorrelation(1) > f.autocorrelation(4));
        assertTrue(f.autocorrelation(60) > 0.3, "low-frequency components keep reads correlated");
    }

    @Test
    void autocorrelationHasTheOneOverFSignature() {
        // For S(f) = A / f, the structure function grows by 2 A ln 10 per decade of lag, so
        // R(tau) - R(10 tau) = ln 10 / ln(f_high / f_low) for tau well inside the band.
        FlickerNoise f = FlickerNoise.of(ConductanceFunction.constant(0.01, ConductanceRange.of(0, 1, "t")),
                1e-3, 1e7, 4, 1e-6);
        double expected = Math.log(10) / Math.log(1e10);
        for (int lag : new int[] {10, 100, 1000}) {
            double drop = f.autocorrelation(lag) - f.autocorrelation(10 * lag);
            assertEquals(expected, drop, 0.05 * expected, "lag " + lag);
        }
        assertEquals(40, f.components());
    }

    @Test
    void fullyDecorrelatedComponentsAreMergedIntoOneWhiteTerm() {
        // read every 10 ms: components above ~330 Hz have rho < 1e-9
        FlickerNoise f = JoshiPcm2020.flickerNoise(25, T, 1e-2, 1);
        assertTrue(f.correlatedComponents() < f.components(), f.correlatedComponents() + " of " + f.components());
        assertEquals(1 + f.correlatedComponents(), f.stateSize());
        double g = 5.0;
        double sigma = JoshiPcm2020.accumulatedReadSigma(g, g, T, 25);
        int n = 40_000;
        double[][] ab = reads(f, g, n, 1, 3);
        assertEquals(sigma * sigma, Moments.variance(ab[0]), Moments.varianceBound(sigma * sigma, 3, n));
        double rho = f.autocorrelation(1);
        assertEquals(rho, Moments.correlation(ab[0], ab[1]), Moments.correlationBound(rho, n));
    }

    @Test
    void offsetFollowsTheDriftedConductance() {
        FlickerNoise f = JoshiPcm2020.flickerNoise(25, T, DT, 1);
        // amplitude fixed by g_prog, scaled by |g|: half the conductance, half the sigma
        assertEquals(f.stdDevMicroSiemens(10, 10) / 2, f.stdDevMicroSiemens(10, 5), 1e-15);
    }

    @Test
    void zeroAmplitudeReturnsTheInput() {
        FlickerNoise f = FlickerNoise.of(ConductanceFunction.constant(0, ConductanceRange.of(0, 25, "t")), 1, 1e6, 2, 1e-6);
        float[] g = {0f, 3f, 25f};
        float[] state = new float[3 * f.stateSize()];
        float[] out = new float[3];
        NoiseRandom rng = NoiseRandom.of(8);
        f.start(g, state, rng);
        f.next(g, state, out, rng);
        for (int i = 0; i < 3; i++) {
            assertEquals(g[i], out[i], 0.0f);
        }
    }

    @Test
    void refusesBadParameters() {
        ConductanceFunction q = ConductanceFunction.constant(0.01, ConductanceRange.of(0, 1, "t"));
        assertThrows(BadInputException.class, () -> FlickerNoise.of(q, 0, 1, 1, 1));
        assertThrows(BadInputException.class, () -> FlickerNoise.of(q, 2, 1, 1, 1));
        assertThrows(BadInputException.class, () -> FlickerNoise.of(q, 1, 2, 0, 1));
        assertThrows(BadInputException.class, () -> FlickerNoise.of(q, 1, 2, 1, -1));
        assertThrows(IllegalArgumentException.class, () -> FlickerNoise.of(q, 1, 2, 1, 1).start(new float[2],
                new float[1], NoiseRandom.of(1)));
    }
}
