package org.bmsim.sim.tile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.bmsim.sim.nn.Parallel;
import org.junit.jupiter.api.Test;

/** The batch-1 panel GEMV and the padded narrow tiles give the general kernel's sums bit for bit. */
class MvmKernelsTest {
    static float[] rand(int n, long seed) {
        Random r = new Random(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextGaussian();
        }
        return a;
    }

    @Test
    void oneReadEqualsTheSameReadInABatch() {
        int[][] shapes = {{300, 200}, {25, 6}, {150, 16}, {64, 64}, {40, 130}};
        try (Parallel par = Parallel.of(2)) {
            for (int[] sh : shapes) {
                int rows = sh[0];
                int cols = sh[1];
                TileMatrix t = TileMatrix.of(rows, cols, rand(rows * cols, 1), null);
                float[] x = rand(3 * rows, 2);
                float[] batch = new float[3 * cols];
                MvmKernels.mean(t, x, 3, batch, par);
                for (int b = 0; b < 3; b++) {
                    float[] one = new float[cols];
                    MvmKernels.mean(t, java.util.Arrays.copyOfRange(x, b * rows, (b + 1) * rows), 1, one, par);
                    for (int j = 0; j < cols; j++) {
                        assertEquals(batch[b * cols + j], one[j], 0, rows + "x" + cols + " read " + b + " column " + j);
                    }
                }
                // against a plain loop (fused multiply-adds in input order)
                for (int j = 0; j < cols; j++) {
                    float s = 0f;
                    for (int i = 0; i < rows; i++) {
                        s = Math.fma(x[i], t.mu(i, j), s);
                    }
                    assertEquals(s, batch[j], 0, rows + "x" + cols + " column " + j + " against the loop");
                }
            }
        }
    }
}
