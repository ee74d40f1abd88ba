package org.bmsim.noise.device;

/**
 * Gaussian read noise with a state-dependent sigma, drawn fresh on every read, independent across
 * reads and devices:
 *
 * <pre>
 *   g_read = g + sigma(g) * z,   z ~ N(0, 1)
 * </pre>
 *
 * Not clipped: a read is a measurement, and clipping would bias its mean. For noise correlated
 * across reads use {@link FlickerNoise} or {@link RandomTelegraphNoise}. With mean and variance
 * fixed, wide layers are insensitive to the noise's shape (Patel et al., arXiv 2501.05564), which
 * is why the Gaussian form is the default; {@link LaplaceReadNoise} is the heavier-tailed
 * alternative.
 *
 * @param sigma the standard deviation in microsiemens as a function of the conductance read
 */
public record GaussianReadNoise(ConductanceFunction sigma) implements ConductanceNoise {

    public GaussianReadNoise {
        if (sigma == null) {
            throw new NullPointerException("sigma");
        }
    }

    public static GaussianReadNoise of(ConductanceFunction sigmaMicroSiemens) {
        return new GaussianReadNoise(sigmaMicroSiemens);
    }

    @Override
    public double sample(double gMicroSiemens, NoiseRandom rng) {
        return gMicroSiemens + sigma.at(gMicroSiemens) * rng.gaussian();
    }

    @Override
    public double stdDevMicroSiemens(double gMicroSiemens) {
        return sigma.at(gMicroSiemens);
    }

    @Override
    public ConductanceRange range() {
        return sigma.range();
    }
}
