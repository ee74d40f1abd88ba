package org.bmsim.noise.device;

import org.bmsim.common.BadInputException;

/**
 * Random telegraph noise (RTN): a two-state continuous-time Markov process, one trap switching
 * between empty (state 0) and filled (state 1), sampled at the reads.
 *
 * <pre>
 *   mean dwell time in state 0: tau_0 (rate of 0 -> 1 is 1/tau_0)
 *   mean dwell time in state 1: tau_1 (rate of 1 -> 0 is 1/tau_1)
 *   lambda = 1/tau_0 + 1/tau_1,   pi_1 = tau_1 / (tau_0 + tau_1),   pi_0 = 1 - pi_1
 *
 *   exact transition probabilities over one read interval dt:
 *     P(0 -> 1) = pi_1 (1 - exp(-lambda dt)),   P(1 -> 0) = pi_0 (1 - exp(-lambda dt))
 *
 *   read:     g_read = g + a (s - pi_1)          (zero mean in the stationary state)
 *   autocorrelation of the offset at lag m reads: exp(-lambda m dt)
 *   variance: a^2 pi_0 pi_1
 * </pre>
 *
 * The constant part a pi_1 is absorbed into the programmed conductance (a program-and-verify loop
 * sees the average), so RTN adds no bias. This is the textbook two-level model (Machlup, "Noise in
 * semiconductors: spectrum of a two-parameter random signal", J. Appl. Phys. 25, 341 (1954),
 * Lorentzian spectrum); a sum of such traps with log-spread time constants gives 1/f noise, which
 * {@link FlickerNoise} builds from the Gaussian limit. Left out: state-dependent amplitude and
 * dwell times (bias and conductance dependence), multi-level traps.
 */
public final class RandomTelegraphNoise implements CorrelatedNoise {
    private final double tauEmptySeconds;
    private final double tauFilledSeconds;
    private final double amplitudeMicroSiemens;
    private final double readIntervalSeconds;
    private final double piFilled;
    private final double pFill;
    private final double pEmpty;
    private final double lambdaDt;

    private RandomTelegraphNoise(double tau0, double tau1, double amplitude, double dt) {
        this.tauEmptySeconds = tau0;
        this.tauFilledSeconds = tau1;
        this.amplitudeMicroSiemens = amplitude;
        this.readIntervalSeconds = dt;
        this.piFilled = tau1 / (tau0 + tau1);
        this.lambdaDt = (1.0 / tau0 + 1.0 / tau1) * dt;
        double mix = -Math.expm1(-lambdaDt);
        this.pFill = piFilled * mix;
        this.pEmpty = (1.0 - piFilled) * mix;
    }

    /**
     * @param tauEmptySeconds mean dwell time in state 0, &gt; 0
     * @param tauFilledSeconds mean dwell time in state 1, &gt; 0
     * @param amplitudeMicroSiemens conductance step between the states, &gt;= 0 (0 switches it off)
     * @param readIntervalSeconds time between successive reads, &gt; 0
     */
    public static RandomTelegraphNoise of(double tauEmptySeconds, double tauFilledSeconds,
            double amplitudeMicroSiemens, double readIntervalSeconds) {
        positive("tau_empty (s)", tauEmptySeconds);
        positive("tau_filled (s)", tauFilledSeconds);
        positive("read interval (s)", readIntervalSeconds);
        if (!(amplitudeMicroSiemens >= 0) || !Double.isFinite(amplitudeMicroSiemens)) {
            throw new BadInputException("RTN amplitude must be a finite conductance >= 0 uS, got "
                    + amplitudeMicroSiemens);
        }
        return new RandomTelegraphNoise(tauEmptySeconds, tauFilledSeconds, amplitudeMicroSiemens,
                readIntervalSeconds);
    }

    private static void positive(String what, double v) {
        if (!(v > 0) || !Double.isFinite(v)) {
            throw new BadInputException("RTN " + what + " must be finite and > 0, got " + v);
        }
    }

    @Override
    public int stateSize() {
        return 1;
    }

    @Override
    public double readIntervalSeconds() {
        return readIntervalSeconds;
    }

    @Override
    public void start(float[] state, int device, double gProgrammedMicroSiemens, NoiseRandom rng) {
        state[device] = rng.uniform() < piFilled ? 1f : 0f;
    }

    @Override
    public double next(float[] state, int device, double gMicroSiemens, NoiseRandom rng) {
        double u = rng.uniform();
        float s = state[device];
        if (s == 0f) {
            s = u < pFill ? 1f : 0f;
        } else {
            s = u < pEmpty ? 0f : 1f;
        }
        state[device] = s;
        return gMicroSiemens + amplitudeMicroSiemens * (s - piFilled);
    }

    @Override
    public double stdDevMicroSiemens(double gProgrammedMicroSiemens, double gMicroSiemens) {
        return amplitudeMicroSiemens * Math.sqrt(piFilled * (1.0 - piFilled));
    }

    @Override
    public double autocorrelation(int lag) {
        return Math.exp(-lambdaDt * Math.abs(lag));
    }

    /** Stationary probability of state 1, tau_1 / (tau_0 + tau_1). */
    public double filledProbability() {
        return piFilled;
    }

    /** Exact P(0 -&gt; 1) over one read interval. */
    public double fillProbabilityPerRead() {
        return pFill;
    }

    /** Exact P(1 -&gt; 0) over one read interval. */
    public double emptyProbabilityPerRead() {
        return pEmpty;
    }

    public double tauEmptySeconds() {
        return tauEmptySeconds;
    }

    public double tauFilledSeconds() {
        return tauFilledSeconds;
    }

    public double amplitudeMicroSiemens() {
        return amplitudeMicroSiemens;
    }
}
