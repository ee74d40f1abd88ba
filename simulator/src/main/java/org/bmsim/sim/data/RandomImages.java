package org.bmsim.sim.data;

import java.util.Random;

/**
 * Seeded random 28x28 image sets: values uniform in [-0.4, 1.6) (java.util.Random's floats), labels
 * i mod 10 (-1 for OOD rows). For tests, smoke runs and cost-only sweeps ({@code data: random-images}):
 * accuracy and uncertainty on them mean nothing, cycles, latency and energy are those of real images.
 */
public final class RandomImages {
    private RandomImages() {
    }

    /** {@code n} rows named {@code name}; row i belongs to {@code subsets[i % subsets.length]}. */
    public static FloatSet of(String name, int n, long seed, byte... subsets) {
        Random r = new Random(seed);
        float[] x = new float[n * 784];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextFloat() * 2 - 0.4f;
        }
        short[] labels = new short[n];
        byte[] subset = new byte[n];
        for (int i = 0; i < n; i++) {
            subset[i] = subsets[i % subsets.length];
            labels[i] = subset[i] == FloatSet.OOD ? -1 : (short) (i % 10);
        }
        return new FloatSet(name, n, 1, 28, 28, x, labels, subset, null, 10);
    }
}
