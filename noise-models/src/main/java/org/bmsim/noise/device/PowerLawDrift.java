package org.bmsim.noise.device;

import org.bmsim.common.BadInputException;

/**
 * Power-law conductance drift with a state-dependent, per-device random exponent:
 *
 * <pre>
 *   nu     = max(mu_nu(g_target) + sigma_nu(g_target) z, 0),   z ~ N(0, 1), drawn once per device
 *   g(t)   = g_prog (t / t0)^(-nu),                             t &gt;= t0 (time since programming)
 * </pre>
 *
 * After Joshi et al., "Accurate deep neural network inference using computational phase-change
 * memory", Nat. Commun. 11, 2473 (2020), where t0 = 20 s is the first read after programming and
 * mu_nu, sigma_nu are clamped functions of g_r = g / g_max ({@link JoshiPcm2020#driftOf(double)}).
 * Times before t0 are outside the fit and refused. Note: IBM's aihwkit counts its
 * {@code t_inference} from t0 (its t_inference = t - t0 here) and folds negative exponents
 * (|nu|) where this class clamps them at 0 as the source's nu &gt;= 0 states; with the published
 * mu_nu &gt;= 0.049 and sigma_nu &lt;= 0.045 the two differ with probability below 1.4%.
 *
 * @param t0Seconds reference time of the fit, &gt; 0
 * @param muNu mean drift exponent as a function of the target conductance (dimensionless)
 * @param sigmaNu its standard deviation (dimensionless, &gt;= 0)
 */
public record PowerLawDrift(double t0Seconds, ConductanceFunction muNu, ConductanceFunction sigmaNu) {

    public PowerLawDrift {
        if (!(t0Seconds > 0) || !Double.isFinite(t0Seconds)) {
            throw new BadInputException("drift: t0 must be finite and > 0 s, got " + t0Seconds);
        }
        if (muNu == null || sigmaNu == null) {
            throw new NullPointerException("muNu and sigmaNu are required");
        }
    }

    public static PowerLawDrift of(double t0Seconds, ConductanceFunction muNu, ConductanceFunction sigmaNu) {
        return new PowerLawDrift(t0Seconds, muNu, sigmaNu);
    }

    /** One device's drift exponent for its target conductance. */
    public double sampleNu(double gTargetMicroSiemens, NoiseRandom rng) {
        double nu = muNu.at(gTargetMicroSiemens) + sigmaNu.at(gTargetMicroSiemens) * rng.gaussian();
        return Math.max(nu, 0.0);
    }

    /** {@code nu[i] = sampleNu(gTarget[i])}. */
    public void sampleNu(float[] gTargetMicroSiemens, float[] nu, NoiseRandom rng) {
        if (nu.length != gTargetMicroSiemens.length) {
            throw new IllegalArgumentException("nu has " + nu.length + " elements, g has " + gTargetMicroSiemens.length);
        }
        for (int i = 0; i < nu.length; i++) {
            nu[i] = (float) sampleNu(gTargetMicroSiemens[i], rng);
        }
    }

    /** g_prog (t / t0)^(-nu); t must be &gt;= t0. */
    public double drifted(double gProgMicroSiemens, double nu, double tSeconds) {
        return gProgMicroSiemens * Math.pow(requireTime(tSeconds) / t0Seconds, -nu);
    }

    /** {@code out[i] = drifted(gProg[i], nu[i], t)}; out may be gProg. */
    public void drifted(float[] gProgMicroSiemens, float[] nu, double tSeconds, float[] out) {
        if (nu.length != gProgMicroSiemens.length || out.length != gProgMicroSiemens.length) {
            throw new IllegalArgumentException("g, nu and out must have equal lengths");
        }
        double lnRatio = Math.log(requireTime(tSeconds) / t0Seconds);
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (gProgMicroSiemens[i] * Math.exp(-nu[i] * lnRatio));
        }
    }

    private double requireTime(double tSeconds) {
        if (!(tSeconds >= t0Seconds) || !Double.isFinite(tSeconds)) {
            throw new BadInputException("drift: time since programming must be finite and >= t0 = " + t0Seconds
                    + " s (the start of the fit), got " + tSeconds);
        }
        return tSeconds;
    }
}
