package org.bmsim.noise.device;

/**
 * The RRAM programming-error curve of Wan et al., "A compute-in-memory chip based on resistive
 * random-access memory", Nature 608, 504-512 (2022), measured 1 s after programming. The one place
 * this formula lives.
 *
 * <pre>
 *   sigma_G(G) = max(1.536e-4 G^3 - 1.167e-2 G^2 + 0.2374 G + 1.053, 0)   [uS],   0 &lt;= G &lt;= 39.26 uS
 * </pre>
 *
 * Left out: read noise, drift and relaxation after the 1 s point, stuck devices (not in the fit).
 */
public final class WanRram2022 {
    /** Upper end of the fit, in microsiemens. */
    public static final double G_MAX_MICRO_SIEMENS = 39.26;

    static final double[] COEFFICIENTS = {1.053, 0.2374, -1.167e-2, 1.536e-4};

    private WanRram2022() {
    }

    public static ConductanceRange range() {
        return ConductanceRange.of(0.0, G_MAX_MICRO_SIEMENS, "Wan et al. 2022 RRAM");
    }

    /** sigma_G(G) in uS. */
    public static PolynomialCurve programmingSigma() {
        return PolynomialCurve.of(range(), COEFFICIENTS);
    }
}
