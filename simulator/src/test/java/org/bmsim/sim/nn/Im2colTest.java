package org.bmsim.sim.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** im2col against a hand-computed case and a direct convolution; col2im as its adjoint. */
class Im2colTest {
    @Test
    void handComputedPatches() {
        // 1 x 3 x 3 image 1..9, kernel 2, no padding: 4 patches, columns in output order
        float[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        float[] cols = new float[4 * 4];
        Im2col.im2col(x, 0, 1, 3, 3, 2, 0, cols, 0);
        assertArrayEquals(new float[] {1, 2, 4, 5, 2, 3, 5, 6, 4, 5, 7, 8, 5, 6, 8, 9}, cols);
        // padding 1, kernel 3: the centre tap row is the image, the top-left tap row is shifted in with zeros
        float[] cp = new float[9 * 9];
        Im2col.im2col(x, 0, 1, 3, 3, 3, 1, cp, 0);
        assertArrayEquals(x, java.util.Arrays.copyOfRange(cp, 4 * 9, 5 * 9));
        assertArrayEquals(new float[] {0, 0, 0, 0, 1, 2, 0, 4, 5}, java.util.Arrays.copyOfRange(cp, 0, 9));
    }

    @Test
    void convolutionMatchesDirectLoops() {
        SplittableRandom r = new SplittableRandom(3);
        int c = 3;
        int h = 7;
        int w = 6;
        int k = 3;
        int cout = 5;
        for (int pad : new int[] {0, 1, 2}) {
            int oh = Im2col.outSize(h, k, pad);
            int ow = Im2col.outSize(w, k, pad);
            float[] x = new float[c * h * w];
            float[] wt = new float[cout * c * k * k];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) r.nextGaussian();
            }
            for (int i = 0; i < wt.length; i++) {
                wt[i] = (float) r.nextGaussian();
            }
            float[] cols = new float[c * k * k * oh * ow];
            Im2col.im2col(x, 0, c, h, w, k, pad, cols, 0);
            float[] y = new float[cout * oh * ow];
            Gemm.mul(cout, oh * ow, c * k * k, wt, 0, cols, 0, y, 0, false);
            for (int o = 0; o < cout; o++) {
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        double s = 0;
                        for (int ch = 0; ch < c; ch++) {
                            for (int i = 0; i < k; i++) {
                                for (int j = 0; j < k; j++) {
                                    int iy = oy + i - pad;
                                    int ix = ox + j - pad;
                                    if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                                        s += wt[((o * c + ch) * k + i) * k + j] * x[(ch * h + iy) * w + ix];
                                    }
                                }
                            }
                        }
                        assertEquals(s, y[(o * oh + oy) * ow + ox], 1e-4);
                    }
                }
            }
            // adjoint: <im2col(x), g> = <x, col2im(g)>
            float[] g = new float[cols.length];
            for (int i = 0; i < g.length; i++) {
                g[i] = (float) r.nextGaussian();
            }
            float[] dx = new float[x.length];
            Im2col.col2im(g, 0, c, h, w, k, pad, dx, 0);
            double lhs = 0;
            double rhs = 0;
            for (int i = 0; i < g.length; i++) {
                lhs += (double) cols[i] * g[i];
            }
            for (int i = 0; i < x.length; i++) {
                rhs += (double) x[i] * dx[i];
            }
            assertEquals(lhs, rhs, 1e-3);
        }
    }
}
