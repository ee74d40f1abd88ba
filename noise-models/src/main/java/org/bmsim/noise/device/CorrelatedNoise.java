package org.bmsim.noise.device;

/**
 * Read noise that is correlated across successive reads of the same device: a stationary random
 * process sampled once per read, every {@link #readIntervalSeconds()}. The object holds only
 * parameters (immutable, shareable across threads); each device's process state lives in a
 * caller-owned {@code float[]} of {@link #stateSize()} floats per device, device {@code d} at
 * offset {@code d * stateSize()}, so a tile of 1024 x 1024 devices is one flat array.
 *
 * <p>Use: {@link #start} once per device (a draw from the stationary distribution, after
 * programming), then {@link #next} once per read. Successive samples are dependent, so Monte Carlo
 * samples drawn from successive reads are too; {@link #autocorrelation(int)} gives the correlation
 * between reads {@code lag} intervals apart, from which a caller computes the effective sample
 * size.
 */
public interface CorrelatedNoise {

    /** Floats of state per device. */
    int stateSize();

    /** Time between two successive reads of a device, in seconds. */
    double readIntervalSeconds();

    /**
     * Draws device {@code device}'s state from the stationary distribution.
     *
     * @param gProgrammedMicroSiemens the conductance the device was programmed to (state-dependent
     *     amplitudes are fixed from it)
     */
    void start(float[] state, int device, double gProgrammedMicroSiemens, NoiseRandom rng);

    /**
     * Advances device {@code device}'s process by one read interval and returns the conductance read:
     * {@code gMicroSiemens} plus the process's current (zero-mean) offset.
     */
    double next(float[] state, int device, double gMicroSiemens, NoiseRandom rng);

    /** Standard deviation of the offset in microsiemens, for a device programmed to gProgrammed and now at g. */
    double stdDevMicroSiemens(double gProgrammedMicroSiemens, double gMicroSiemens);

    /** Correlation between the offsets of two reads {@code lag} read intervals apart (1 at lag 0). */
    double autocorrelation(int lag);

    /** {@link #start} for devices 0 .. n-1 with {@code n = gProgrammed.length}. */
    default void start(float[] gProgrammedMicroSiemens, float[] state, NoiseRandom rng) {
        checkState(gProgrammedMicroSiemens.length, state);
        for (int d = 0; d < gProgrammedMicroSiemens.length; d++) {
            start(state, d, gProgrammedMicroSiemens[d], rng);
        }
    }

    /** {@link #next} for devices 0 .. n-1: {@code out[d] = next(state, d, g[d])}; out may be g. */
    default void next(float[] gMicroSiemens, float[] state, float[] out, NoiseRandom rng) {
        checkState(gMicroSiemens.length, state);
        if (out.length != gMicroSiemens.length) {
            throw new IllegalArgumentException("out has " + out.length + " elements, g has " + gMicroSiemens.length);
        }
        for (int d = 0; d < gMicroSiemens.length; d++) {
            out[d] = (float) next(state, d, gMicroSiemens[d], rng);
        }
    }

    private void checkState(int devices, float[] state) {
        if (state.length != (long) devices * stateSize()) {
            throw new IllegalArgumentException("state has " + state.length + " floats, need " + devices + " x "
                    + stateSize());
        }
    }
}
