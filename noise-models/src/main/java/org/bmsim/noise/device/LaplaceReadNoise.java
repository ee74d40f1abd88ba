package org.bmsim.noise.device;

/**
 * Laplace read noise with a state-dependent scale, drawn fresh on every read, independent across
 * reads and devices:
 *
 * <pre>
 *   g_read = g + b(g) * L,   L ~ Laplace(0, 1),   density exp(-|x|) / 2
 *   Var(g_read) = 2 b(g)^2,  E|g_read - g| = b(g)
 * </pre>
 *
 * After Lin et al., "Uncertainty quantification via a memristor Bayesian deep neural network for
 * risk-sensitive reinforcement learning", Nature Machine Intelligence 5, 714-723 (2023), who fit
 * the cycle-to-cycle read variability of their memristors with a Laplace distribution whose scale
 * depends on the device state. Their fitted scale curve is not reproduced here; supply b(g) as a
 * {@link PolynomialCurve} or a measured {@link ConductanceTable}. Not clipped (see
 * {@link GaussianReadNoise}).
 *
 * @param scale the Laplace scale b in microsiemens as a function of the conductance read
 */
public record LaplaceReadNoise(ConductanceFunction scale) implements ConductanceNoise {
    private static final double SQRT2 = Math.sqrt(2.0);

    public LaplaceReadNoise {
        if (scale == null) {
            throw new NullPointerException("scale");
        }
    }

    public static LaplaceReadNoise of(ConductanceFunction scaleMicroSiemens) {
        return new LaplaceReadNoise(scaleMicroSiemens);
    }

    @Override
    public double sample(double gMicroSiemens, NoiseRandom rng) {
        return gMicroSiemens + scale.at(gMicroSiemens) * rng.laplace();
    }

    /** sqrt(2) b(g). */
    @Override
    public double stdDevMicroSiemens(double gMicroSiemens) {
        return SQRT2 * scale.at(gMicroSiemens);
    }

    @Override
    public ConductanceRange range() {
        return scale.range();
    }
}
