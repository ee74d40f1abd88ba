package org.bmsim.noise.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.bmsim.common.BadInputException;
import org.junit.jupiter.api.Test;

/**
 * RTN against its exact two-state Markov statistics, on independent devices so that every check
 * is a binomial proportion (bounds from {@link Moments}).
 */
class RandomTelegraphNoiseTest {
    // tau_0 = 1 s, tau_1 = 3 s, dt = 0.5 s: lambda dt = 2/3, pi_1 = 0.75
    private final RandomTelegraphNoise rtn = RandomTelegraphNoise.of(1.0, 3.0, 2.0, 0.5);

    @Test
    void relaxesToTheStationaryOccupancyFromAllEmpty() {
        int n = 40_000;
        float[] state = new float[n]; // all devices start empty (state 0)
        float[] g = new float[n];
        float[] out = new float[n];
        NoiseRandom rng = NoiseRandom.of(10);
        for (int read = 0; read < 40; read++) { // distance to stationarity exp(-40 * 2/3) ~ 3e-12
            rtn.next(g, state, out, rng);
        }
        int filled = 0;
        for (float s : state) {
            filled += (int) s;
        }
        assertEquals(0.75, filled / (double) n, Moments.proportionBound(0.75, n));
        // the offset has zero mean: a (s - pi_1) averages to 0
        double m = 0;
        for (float o : out) {
            m += o;
        }
        assertEquals(0.0, m / n, Moments.meanBound(rtn.stdDevMicroSiemens(0, 0), n));
    }

    @Test
    void jointOccupancyMatchesTheAutocorrelation() {
        // P(s_0 = 1, s_m = 1) = pi_1 (pi_1 + pi_0 exp(-lambda m dt)); equivalent to an autocorrelation
        // of exp(-lambda m dt) for the offset
        int n = 40_000;
        for (int lag : new int[] {1, 3}) {
            float[] state = new float[n];
            float[] g = new float[n];
            NoiseRandom rng = NoiseRandom.of(100 + lag);
            rtn.start(g, state, rng);
            float[] first = state.clone();
            float[] out = new float[n];
            for (int r = 0; r < lag; r++) {
                rtn.next(g, state, out, rng);
            }
            int both = 0;
            int startFilled = 0;
            for (int d = 0; d < n; d++) {
                startFilled += (int) first[d];
                if (first[d] == 1f && state[d] == 1f) {
                    both++;
                }
            }
            assertEquals(0.75, startFilled / (double) n, Moments.proportionBound(0.75, n));
            double p = 0.75 * (0.75 + 0.25 * rtn.autocorrelation(lag));
            assertEquals(p, both / (double) n, Moments.proportionBound(p, n), "lag " + lag);
        }
    }

    @Test
    void zeroAmplitudeReturnsTheInput() {
        RandomTelegraphNoise off = RandomTelegraphNoise.of(1, 1, 0, 1e-3);
        float[] g = {1f, 2f, 3f};
        float[] state = new float[3];
        float[] out = new float[3];
        NoiseRandom rng = NoiseRandom.of(1);
        off.start(g, state, rng);
        for (int r = 0; r < 5; r++) {
            off.next(g, state, out, rng);
            for (int i = 0; i < 3; i++) {
                assertEquals(g[i], out[i], 0.0f);
            }
        }
    }

    @Test
    void refusesBadParameters() {
        assertThrows(BadInputException.class, () -> RandomTelegraphNoise.of(0, 1, 1, 1));
        assertThrows(BadInputException.class, () -> RandomTelegraphNoise.of(1, 1, -1, 1));
        assertThrows(BadInputException.class, () -> RandomTelegraphNoise.of(1, 1, 1, Double.NaN));
    }
}
