package org.bmsim.noise.device;

/**
 * Memoryless, state-dependent conductance noise: each call draws a fresh, independent sample whose
 * distribution depends only on the conductance passed in. Programming noise (drawn once per
 * programming) and read noise (drawn once per read) are of this kind; noise correlated across
 * successive reads is a {@link CorrelatedNoise}.
 *
 * <p>Hot-loop use: the array form walks plain float arrays, one draw per device, with no
 * allocation; randomness comes only from the caller's {@link NoiseRandom}, so a caller that gives
 * each row or tile its own {@link NoiseRandom#split(long)} gets the same numbers at any thread
 * count.
 */
public interface ConductanceNoise {

    /**
     * One noisy conductance for a device at {@code gMicroSiemens}.
     *
     * @throws org.bmsim.common.BadInputException if g is outside {@link #range()}
     */
    double sample(double gMicroSiemens, NoiseRandom rng);

    /** The standard deviation of {@link #sample} around g, in microsiemens (before any clipping). */
    double stdDevMicroSiemens(double gMicroSiemens);

    /** The conductances the model is valid for. */
    ConductanceRange range();

    /** {@code out[i] = sample(g[i])} for every i; {@code out} may be {@code g}. */
    default void sample(float[] gMicroSiemens, float[] out, NoiseRandom rng) {
        if (out.length != gMicroSiemens.length) {
            throw new IllegalArgumentException("out has " + out.length + " elements, g has " + gMicroSiemens.length);
        }
        for (int i = 0; i < gMicroSiemens.length; i++) {
            out[i] = (float) sample(gMicroSiemens[i], rng);
        }
    }
}
