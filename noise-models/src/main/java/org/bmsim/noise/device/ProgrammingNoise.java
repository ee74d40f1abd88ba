package org.bmsim.noise.device;

/**
 * Gaussian programming noise with a state-dependent sigma, drawn once when a device is programmed
 * (the device then keeps that conductance until drift or reprogramming):
 *
 * <pre>
 *   1. noise: g' = g_target + sigma(g_target) * z,   z ~ N(0, 1)
 *   2. clip:  g_prog = clip(g', g_min, g_max)         (the device's conductance window)
 * </pre>
 *
 * The published curves are fitted to the spread of programmed conductances around their targets:
 * Joshi et al., Nat. Commun. 11, 2473 (2020), PCM; Wan et al., Nature 608, 504 (2022), RRAM; Milo
 * et al., IRPS (2021), RRAM. The target must lie in the range of the fit; a target outside it is
 * refused. The clip keeps programmed conductances inside the window so that every later
 * state-dependent model is evaluated where it was measured; it biases the mean by a fraction of
 * sigma within about 2 sigma of either end (IBM's aihwkit clamps only at 0).
 *
 * @param sigma the standard deviation in microsiemens as a function of the target conductance;
 *     its range is the device window
 */
public record ProgrammingNoise(ConductanceFunction sigma) implements ConductanceNoise {

    public ProgrammingNoise {
        if (sigma == null) {
            throw new NullPointerException("sigma");
        }
    }

    public static ProgrammingNoise of(ConductanceFunction sigmaMicroSiemens) {
        return new ProgrammingNoise(sigmaMicroSiemens);
    }

    @Override
    public double sample(double gTargetMicroSiemens, NoiseRandom rng) {
        double noisy = gTargetMicroSiemens + sigma.at(gTargetMicroSiemens) * rng.gaussian();
        return sigma.range().clip(noisy);
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
