package org.bmsim.sim.train;

import java.util.SplittableRandom;
import org.bmsim.sim.data.FloatSet;

/** A small seeded 10-class image task for tests: each class a fixed random blob pattern plus noise. */
final class Synthetic {
    private Synthetic() {
    }

    static FloatSet set(int n, long seed) {
        SplittableRandom proto = new SplittableRandom(12345);
        float[][] p = new float[10][784];
        for (int c = 0; c < 10; c++) {
            for (int i = 0; i < 784; i++) {
                int row = i / 28;
                int col = i % 28;
                // a border of 3 pixels stays 0 in every image: its weights see no data
                boolean inside = row >= 3 && row < 25 && col >= 3 && col < 25;
                p[c][i] = inside && proto.nextDouble() < 0.3 ? 2f : 0f;
            }
        }
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * 784];
        short[] y = new short[n];
        for (int e = 0; e < n; e++) {
            int c = r.nextInt(10);
            y[e] = (short) c;
            for (int i = 0; i < 784; i++) {
                x[e * 784 + i] = p[c][i] == 0f ? 0f : p[c][i] + (float) r.nextGaussian();
            }
        }
        return new FloatSet("synthetic", n, 1, 28, 28, x, y, new byte[n], null, 10);
    }
}
