package org.bmsim.sim.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;
import org.junit.jupiter.api.Test;

/** The three matrix-product forms against a hand-computed case, naive double loops and EJML. */
class GemmTest {
    @Test
    void handComputedCase() {
        float[] a = {1, 2, 3, 4, 5, 6}; // 2 x 3
        float[] b = {7, 8, 9, 10, 11, 12}; // 3 x 2
        float[] c = new float[4];
        Gemm.mul(2, 2, 3, a, 0, b, 0, c, 0, false);
        assertArrayEquals(new float[] {58, 64, 139, 154}, c);
        // A^T with A stored as 3 x 2 = b: b^T b
        Gemm.mulTransA(2, 2, 3, b, 0, b, 0, c, 0, false);
        assertArrayEquals(new float[] {7 * 7 + 9 * 9 + 11 * 11, 7 * 8 + 9 * 10 + 11 * 12, 7 * 8 + 9 * 10 + 11 * 12,
            8 * 8 + 10 * 10 + 12 * 12}, c);
        // A B^T with B stored as 2 x 3 = a: a a^T, accumulated onto 1s
        java.util.Arrays.fill(c, 1f);
        Gemm.mulTransB(2, 2, 3, a, 0, a, 0, c, 0, true);
        assertArrayEquals(new float[] {15, 33, 33, 78}, c);
    }

    private static float[] random(SplittableRandom r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return x;
    }

    /** Every shape class the micro-kernels split into: row blocks of 4, column blocks of 16 and 8, tails. */
    @Test
    void matchesNaiveLoopsOnAllTailShapes() {
        SplittableRandom r = new SplittableRandom(1);
        int[] ms = {1, 3, 4, 5, 9};
        int[] ns = {1, 7, 8, 15, 16, 17, 33};
        int[] ks = {1, 5, 8, 25};
        for (int m : ms) {
            for (int n : ns) {
                for (int k : ks) {
                    int off = 3;
                    float[] a = random(r, off + m * k);
                    float[] b = random(r, off + k * n);
                    float[] c0 = random(r, off + m * n);
                    for (int form = 0; form < 3; form++) {
                        for (boolean acc : new boolean[] {false, true}) {
                            float[] c = c0.clone();
                            double[] want = new double[m * n];
                            for (int i = 0; i < m; i++) {
                                for (int j = 0; j < n; j++) {
                                    double s = acc ? c0[off + i * n + j] : 0;
                                    for (int p = 0; p < k; p++) {
                                        float av = form == 1 ? a[off + p * m + i] : a[off + i * k + p];
                                        float bv = form == 2 ? b[off + j * k + p] : b[off + p * n + j];
                                        s += (double) av * bv;
                                    }
                                    want[i * n + j] = s;
                                }
                            }
                            switch (form) {
                                case 0 -> Gemm.mul(m, n, k, a, off, b, off, c, off, acc);
                                case 1 -> Gemm.mulTransA(m, n, k, a, off, b, off, c, off, acc);
                                default -> Gemm.mulTransB(m, n, k, a, off, b, off, c, off, acc);
                            }
                            for (int i = 0; i < m * n; i++) {
                                assertEquals(want[i], c[off + i], 1e-5 * (k + 1), "form " + form + " " + m + "x" + n + "x" + k);
                            }
                            for (int i = 0; i < off; i++) {
                                assertEquals(c0[i], c[i], "prefix untouched");
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void matchesEjmlOnLeNetShapes() {
        SplittableRandom r = new SplittableRandom(2);
        int[][] shapes = {{16, 100, 150}, {6, 784, 25}, {32, 120, 400}};
        for (int[] s : shapes) {
            int m = s[0];
            int n = s[1];
            int k = s[2];
            FMatrixRMaj a = new FMatrixRMaj(m, k, true, random(r, m * k));
            FMatrixRMaj b = new FMatrixRMaj(k, n, true, random(r, k * n));
            FMatrixRMaj want = new FMatrixRMaj(m, n);
            CommonOps_FDRM.mult(a, b, want);
            float[] c = new float[m * n];
            Gemm.mul(m, n, k, a.data, 0, b.data, 0, c, 0, false);
            for (int i = 0; i < m * n; i++) {
                assertEquals(want.data[i], c[i], 1e-4);
            }
            FMatrixRMaj bt = new FMatrixRMaj(n, k);
            CommonOps_FDRM.transpose(b, bt);
            Gemm.mulTransB(m, n, k, a.data, 0, bt.data, 0, c, 0, false);
            for (int i = 0; i < m * n; i++) {
                assertEquals(want.data[i], c[i], 1e-4);
            }
            FMatrixRMaj at = new FMatrixRMaj(k, m);
            CommonOps_FDRM.transpose(a, at);
            Gemm.mulTransA(m, n, k, at.data, 0, b.data, 0, c, 0, false);
            for (int i = 0; i < m * n; i++) {
                assertEquals(want.data[i], c[i], 1e-4);
            }
        }
    }
}
