package org.bmsim.sim.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link Im2col#im2row} is the transpose of {@link Im2col#im2col}, padding included. */
class Im2rowTest {
    @Test
    void rowsAreTheTransposedColumns() {
        int[][] shapes = {{1, 28, 28, 5, 2}, {6, 14, 14, 5, 0}, {2, 5, 7, 3, 1}};
        Random r = new Random(3);
        for (int[] sh : shapes) {
            int c = sh[0];
            int h = sh[1];
            int w = sh[2];
            int k = sh[3];
            int pad = sh[4];
            float[] x = new float[c * h * w + 3];
            for (int i = 0; i < x.length; i++) {
                x[i] = r.nextFloat();
            }
            int q = Im2col.outSize(h, k, pad) * Im2col.outSize(w, k, pad);
            int fan = c * k * k;
            float[] cols = new float[fan * q];
            float[] rows = new float[fan * q + 5];
            Im2col.im2col(x, 3, c, h, w, k, pad, cols, 0);
            Im2col.im2row(x, 3, c, h, w, k, pad, rows, 5);
            for (int f = 0; f < fan; f++) {
                for (int p = 0; p < q; p++) {
                    assertEquals(cols[f * q + p], rows[5 + p * fan + f], 0, "patch " + f + " of position " + p);
                }
            }
        }
    }
}
