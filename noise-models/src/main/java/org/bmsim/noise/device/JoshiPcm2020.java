package org.bmsim.noise.device;

import org.bmsim.common.BadInputException;

/**
 * The PCM noise formulas of Joshi et al., "Accurate deep neural network inference using
 * computational phase-change memory", Nature Communications 11, 2473 (2020), the statistical
 * model IBM's aihwkit ships as {@code PCMLikeNoiseModel}. The one place these formulas live.
 * Conductances in microsiemens; g_r = g / g_max.
 *
 * <pre>
 *   programming:  sigma_prog(g) = (0.26348 + 1.9650 g_r - 1.1731 g_r^2) * g_max / 25      [uS]
 *   drift:        g(t) = g_prog (t / t0)^(-nu),  t0 = 20 s,  nu ~ N(mu_nu, sigma_nu), nu &gt;= 0
 *                 mu_nu    = clamp(-0.0155 ln g_r + 0.0244, 0.049, 0.1)
 *                 sigma_nu = clamp(-0.0125 ln g_r - 0.0059, 0.008, 0.045)
 *   1/f read:     Q_s = min(0.0088 / max(g_r, 1e-3)^0.65, 0.2)
 *                 sigma_read(t) = |g_drift| Q_s sqrt(ln((t + t_read) / (2 t_read))),  t_read = 250 ns
 * </pre>
 *
 * The fit was made at g_max = 25 uS; the programming sigma scales linearly with g_max, the other
 * terms are relative. Valid range: 0 &lt;= g &lt;= g_max. Left out by the source model: read noise
 * independent of time (the 1/f term covers it), temperature dependence, device-to-device
 * variation of g_max, stuck devices.
 */
public final class JoshiPcm2020 {
    /** The g_max of the published fit, in microsiemens. */
    public static final double G_MAX_REFERENCE_MICRO_SIEMENS = 25.0;
    /** Drift reference time t0, in seconds. */
    public static final double T0_SECONDS = 20.0;
    /** Read duration of the 1/f fit, in seconds. */
    public static final double T_READ_SECONDS = 250e-9;

    static final double[] PROGRAMMING_COEFFICIENTS = {0.26348, 1.9650, -1.1731};

    private JoshiPcm2020() {
    }

    /** The device window [0, g_max]. */
    public static ConductanceRange range(double gMaxMicroSiemens) {
        return ConductanceRange.of(0.0, gMaxMicroSiemens, "Joshi et al. 2020 PCM (g_max " + gMaxMicroSiemens + " uS)");
    }

    /** sigma_prog(g) in uS, as a curve in g_r scaled by g_max / 25. */
    public static PolynomialCurve programmingSigma(double gMaxMicroSiemens) {
        return new PolynomialCurve(PROGRAMMING_COEFFICIENTS, gMaxMicroSiemens,
                gMaxMicroSiemens / G_MAX_REFERENCE_MICRO_SIEMENS, range(gMaxMicroSiemens));
    }

    /** mu_nu(g_r). */
    public static double muNu(double gRelative) {
        return clamp(-0.0155 * Math.log(gRelative) + 0.0244, 0.049, 0.1);
    }

    /** sigma_nu(g_r). */
    public static double sigmaNu(double gRelative) {
        return clamp(-0.0125 * Math.log(gRelative) - 0.0059, 0.008, 0.045);
    }

    /**
     * Q_s(g_r), the relative 1/f amplitude per unit log-bandwidth. (aihwkit writes the floor as
     * max(g_r^0.65, 1e-3); both saturate at 0.2 before either floor acts, so the values agree.)
     */
    public static double qS(double gRelative) {
        return Math.min(0.0088 / Math.pow(Math.max(gRelative, 1e-3), 0.65), 0.2);
    }

    /** Drift with the clamped mu_nu and sigma_nu of the fit, t0 = 20 s. */
    public static PowerLawDrift driftOf(double gMaxMicroSiemens) {
        ConductanceRange r = range(gMaxMicroSiemens);
        return PowerLawDrift.of(T0_SECONDS,
                ConductanceFunction.of(g -> muNu(g / gMaxMicroSiemens), r),
                ConductanceFunction.of(g -> sigmaNu(g / gMaxMicroSiemens), r));
    }

    /**
     * The accumulated 1/f read-noise sigma at time t since programming, in uS:
     * |g_drift| Q_s(g_prog / g_max) sqrt(ln((t + t_read) / (2 t_read))).
     */
    public static double accumulatedReadSigma(double gProgMicroSiemens, double gDriftMicroSiemens,
            double tSeconds, double gMaxMicroSiemens) {
        range(gMaxMicroSiemens).require(gProgMicroSiemens);
        return Math.abs(gDriftMicroSiemens) * qS(gProgMicroSiemens / gMaxMicroSiemens)
                * Math.sqrt(Math.log(requireTime(tSeconds) / (2 * T_READ_SECONDS) + 0.5));
    }

    /**
     * The 1/f read noise at inference time t as a process correlated across reads, whose marginal
     * sigma equals {@link #accumulatedReadSigma}: q = Q_s(g_prog / g_max), band [1/(t + t_read),
     * 1/(2 t_read)].
     */
    public static FlickerNoise flickerNoise(double gMaxMicroSiemens, double tSeconds, double readIntervalSeconds,
            int componentsPerDecade) {
        double t = requireTime(tSeconds);
        return FlickerNoise.of(ConductanceFunction.of(g -> qS(g / gMaxMicroSiemens), range(gMaxMicroSiemens)),
                1.0 / (t + T_READ_SECONDS), 1.0 / (2 * T_READ_SECONDS), componentsPerDecade, readIntervalSeconds);
    }

    private static double requireTime(double tSeconds) {
        if (!(tSeconds >= T0_SECONDS) || !Double.isFinite(tSeconds)) {
            throw new BadInputException("Joshi et al. 2020 PCM: time since programming must be finite and >= t0 = "
                    + T0_SECONDS + " s, got " + tSeconds);
        }
        return tSeconds;
    }

    private static double clamp(double x, double lo, double hi) {
        return Math.min(Math.max(x, lo), hi);
    }
}
