package org.bmsim.noise.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.math3.distribution.LaplaceDistribution;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;
import org.junit.jupiter.api.Test;

/** Per-read noise: moments and shape with fixed seeds; noise off returns the input. */
class ReadNoiseTest {
    private static final ConductanceRange R = ConductanceRange.of(0, 40, "test device");
    /** sigma (or scale) = 0.1 + 0.05 g uS. */
    private static final PolynomialCurve CURVE = PolynomialCurve.of(R, 0.1, 0.05);
    private static final int N = 100_000;

    private static double[] samples(ConductanceNoise noise, double g, long seed) {
        NoiseRandom rng = NoiseRandom.of(seed);
        double[] d = new double[N];
        for (int i = 0; i < N; i++) {
            d[i] = noise.sample(g, rng) - g;
        }
        return d;
    }

    @Test
    void gaussianSigmaFollowsTheState() {
        GaussianReadNoise noise = GaussianReadNoise.of(CURVE);
        for (double g : new double[] {2.0, 20.0}) {
            double sigma = 0.1 + 0.05 * g;
            assertEquals(sigma, noise.stdDevMicroSiemens(g), 1e-15);
            double[] d = samples(noise, g, 5);
            assertEquals(0, Moments.mean(d), Moments.meanBound(sigma, N));
            assertEquals(sigma * sigma, Moments.variance(d), Moments.varianceBound(sigma * sigma, 3, N));
            // KS against N(0, sigma): p below 1e-6 would reject (false rejection 1e-6 for a random seed)
            double p = new KolmogorovSmirnovTest().kolmogorovSmirnovTest(new NormalDistribution(null, 0, sigma), d);
            assertTrue(p > 1e-6, "KS p = " + p);
        }
    }

    @Test
    void laplaceVarianceIsTwiceTheScaleSquared() {
        LaplaceReadNoise noise = LaplaceReadNoise.of(CURVE);
        double g = 10.0;
        double b = 0.6;
        assertEquals(Math.sqrt(2) * b, noise.stdDevMicroSiemens(g), 1e-15);
        double[] d = samples(noise, g, 9);
        assertEquals(0, Moments.mean(d), Moments.meanBound(Math.sqrt(2) * b, N));
        // Laplace kurtosis is 6: SE of the sample variance is 2b^2 sqrt(5/N)
        assertEquals(2 * b * b, Moments.variance(d), Moments.varianceBound(2 * b * b, 6, N));
        double mad = 0;
        for (double v : d) {
            mad += Math.abs(v);
        }
        // E|X| = b, Var|X| = b^2 (|X| is exponential)
        assertEquals(b, mad / N, Moments.meanBound(b, N));
        double p = new KolmogorovSmirnovTest().kolmogorovSmirnovTest(new LaplaceDistribution(null, 0, b), d);
        assertTrue(p > 1e-6, "KS p = " + p);
        // and it is not Gaussian: the same test rejects a normal of equal variance
        double pn = new KolmogorovSmirnovTest().kolmogorovSmirnovTest(
                new NormalDistribution(null, 0, Math.sqrt(2) * b), d);
        assertTrue(pn < 1e-6, "a Laplace sample passed as Gaussian, p = " + pn);
    }

    @Test
    void zeroNoiseReturnsTheInputExactly() {
        ConductanceFunction zero = ConductanceFunction.constant(0, R);
        NoiseRandom rng = NoiseRandom.of(3);
        float[] g = {0f, 1.5f, 7.25f, 40f};
        for (ConductanceNoise noise : new ConductanceNoise[] {GaussianReadNoise.of(zero), LaplaceReadNoise.of(zero),
                ProgrammingNoise.of(zero)}) {
            float[] out = new float[g.length];
            noise.sample(g, out, rng);
            for (int i = 0; i < g.length; i++) {
                assertEquals(g[i], out[i], 0.0f);
            }
        }
    }

    @Test
    void arrayFormMatchesScalarForm() {
        GaussianReadNoise noise = GaussianReadNoise.of(CURVE);
        float[] g = {1f, 2f, 3f, 4f};
        float[] out = new float[4];
        noise.sample(g, out, NoiseRandom.of(77));
        NoiseRandom rng = NoiseRandom.of(77);
        for (int i = 0; i < g.length; i++) {
            assertEquals((float) noise.sample(g[i], rng), out[i], 0.0f);
        }
    }
}
