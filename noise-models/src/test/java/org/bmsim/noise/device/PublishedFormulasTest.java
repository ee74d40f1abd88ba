package org.bmsim.noise.device;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Every published formula against a value computed by hand from the formula in the notes. */
class PublishedFormulasTest {
    private static final double EPS = 1e-12;

    @Test
    void joshiProgrammingSigmaAtHalfScale() {
        // 0.26348 + 1.9650 * 0.5 - 1.1731 * 0.25 = 0.952705 uS
        assertEquals(0.952705, JoshiPcm2020.programmingSigma(25).at(12.5), EPS);
        // at g_max = 50 uS, g_r = 0.5 is g = 25 uS and sigma scales by 50/25
        assertEquals(2 * 0.952705, JoshiPcm2020.programmingSigma(50).at(25), EPS);
        // ends: 0.26348 at g = 0, 0.26348 + 1.9650 - 1.1731 = 1.05538 at g_max
        assertEquals(0.26348, JoshiPcm2020.programmingSigma(25).at(0), EPS);
        assertEquals(1.05538, JoshiPcm2020.programmingSigma(25).at(25), EPS);
    }

    @Test
    void joshiDriftExponentStatisticsAreClamped() {
        // g_r = 0.5: -0.0155 ln 0.5 + 0.0244 = 0.03514 -> clamped up to 0.049
        assertEquals(0.049, JoshiPcm2020.muNu(0.5), EPS);
        // g_r = 0.01: 0.0155 * 4.605170 + 0.0244 = 0.0957801 (inside the clamp)
        assertEquals(0.09578013788281542, JoshiPcm2020.muNu(0.01), 1e-12);
        // g_r = 1e-6: above 0.1 -> 0.1
        assertEquals(0.1, JoshiPcm2020.muNu(1e-6), EPS);
        // sigma_nu at g_r = 0.1: 0.0125 * 2.302585 - 0.0059 = 0.0228823
        assertEquals(0.02288231366242557, JoshiPcm2020.sigmaNu(0.1), 1e-12);
        assertEquals(0.045, JoshiPcm2020.sigmaNu(0.01), EPS); // 0.05167 clamped to 0.045
        assertEquals(0.008, JoshiPcm2020.sigmaNu(1.0), EPS); // -0.0059 clamped to 0.008
    }

    @Test
    void joshiDriftAtT0AndTenT0() {
        PowerLawDrift drift = JoshiPcm2020.driftOf(25);
        assertEquals(10.0, drift.drifted(10.0, 0.05, 20.0), EPS); // t = t0: no change
        // t = 10 t0, nu = 0.05: 10 * 10^-0.05 = 8.912509
        assertEquals(8.912509381337456, drift.drifted(10.0, 0.05, 200.0), 1e-12);
        float[] out = new float[1];
        drift.drifted(new float[] {10f}, new float[] {0.05f}, 200.0, out);
        assertEquals(8.912509, out[0], 1e-5);
    }

    @Test
    void joshiOneOverFAmplitudeAndAccumulatedSigma() {
        // Q_s(0.5) = 0.0088 / 0.5^0.65 = 0.0138087
        assertEquals(0.013808680122982813, JoshiPcm2020.qS(0.5), 1e-15);
        assertEquals(0.17558308371726142, JoshiPcm2020.qS(0.01), 1e-14);
        assertEquals(0.2, JoshiPcm2020.qS(0.0), EPS); // saturates
        // g_prog = g_drift = 12.5 uS, t = 3600 s:
        // 12.5 * 0.0138087 * sqrt(ln((3600 + 250e-9) / 500e-9)) = 0.8223368
        assertEquals(0.822336807685255, JoshiPcm2020.accumulatedReadSigma(12.5, 12.5, 3600, 25), 1e-9);
    }

    @Test
    void wanAndMiloProgrammingSigma() {
        // 1.536e-4 * 8000 - 1.167e-2 * 400 + 0.2374 * 20 + 1.053 = 2.3618 uS
        assertEquals(2.3618, WanRram2022.programmingSigma().at(20), 1e-12);
        assertEquals(1.053, WanRram2022.programmingSigma().at(0), EPS);
        // -0.009107 * 80 + 4.782321 = 4.053761 uS
        assertEquals(4.053761, MiloRram2021.programmingSigma().at(80), 1e-12);
    }

    @Test
    void polynomialIsFlooredAtZero() {
        ConductanceRange r = ConductanceRange.of(0, 10, "test");
        PolynomialCurve p = PolynomialCurve.of(r, 1.0, -0.5); // 1 - g/2, negative above g = 2
        assertEquals(0.5, p.at(1), EPS);
        assertEquals(0.0, p.at(4), 0.0);
    }

    @Test
    void telegraphTransitionProbabilitiesAreExact() {
        // tau_0 = 1 s, tau_1 = 3 s, dt = 0.5 s: lambda = 4/3 /s, 1 - exp(-2/3) = 0.4865829,
        // pi_1 = 3/4: P(0->1) = 0.75 * 0.4865829 = 0.3649372, P(1->0) = 0.25 * 0.4865829 = 0.1216457
        RandomTelegraphNoise rtn = RandomTelegraphNoise.of(1, 3, 1, 0.5);
        assertEquals(0.75, rtn.filledProbability(), EPS);
        assertEquals(0.364937160725556, rtn.fillProbabilityPerRead(), 1e-14);
        assertEquals(0.121645720241852, rtn.emptyProbabilityPerRead(), 1e-14);
        assertEquals(Math.exp(-2.0), rtn.autocorrelation(3), 1e-15); // exp(-4/3 * 3 * 0.5)
        assertEquals(Math.sqrt(0.75 * 0.25), rtn.stdDevMicroSiemens(5, 5), EPS);
    }
}
