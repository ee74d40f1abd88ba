package org.bmsim.noise.device;

/**
 * The RRAM programming-error curve of Milo et al., IEEE International Reliability Physics
 * Symposium (IRPS) 2021. The one place this formula lives.
 *
 * <pre>
 *   sigma_G(G) = max(-0.009107 G + 4.782321, 0)   [uS],   62.5 &lt;= G &lt;= 110 uS
 * </pre>
 *
 * Left out: the I-V nonlinearity I = G V + NL2 V^2 + NL3 V^3 of the same source (its NL2, NL3
 * polynomials in log10 G are not reproduced here, so reads are linear in V), read noise, drift,
 * stuck devices.
 */
public final class MiloRram2021 {
    public static final double G_MIN_MICRO_SIEMENS = 62.5;
    public static final double G_MAX_MICRO_SIEMENS = 110.0;

    static final double[] COEFFICIENTS = {4.782321, -0.009107};

    private MiloRram2021() {
    }

    public static ConductanceRange range() {
        return ConductanceRange.of(G_MIN_MICRO_SIEMENS, G_MAX_MICRO_SIEMENS, "Milo et al. 2021 RRAM");
    }

    /** sigma_G(G) in uS. */
    public static PolynomialCurve programmingSigma() {
        return PolynomialCurve.of(range(), COEFFICIENTS);
    }
}
