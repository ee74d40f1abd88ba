package org.bmsim.sim.nn;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Single-precision matrix products on plain row-major {@code float[]} arrays with offsets: the hot
 * loops of every layer (dense layers directly, convolutions after {@link Im2col}).
 *
 * <p>Three forms cover forward and backward passes:
 * <ul>
 * <li>{@link #mul}: C (+)= A B, A m x k, B k x n;</li>
 * <li>{@link #mulTransA}: C (+)= A<sup>T</sup> B, A k x m, B k x n;</li>
 * <li>{@link #mulTransB}: C (+)= A B<sup>T</sup>, A m x k, B n x k.</li>
 * </ul>
 *
 * <p>The kernels use {@code jdk.incubator.vector} with a fixed 256-bit species (8 floats) and fused
 * multiply-adds, with register-blocked micro-kernels (one accumulator register per row and column
 * block; accumulators in an array would defeat register allocation). The order of every sum
 * depends only on the shapes, never on threads or on the machine's preferred vector width, so a
 * result is the same bit for bit on any x86-64 or AArch64 JVM that runs this code.
 */
public final class Gemm {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
    private static final int L = F.length();

    private Gemm() {
    }

    /** C[m x n] (+)= A[m x k] B[k x n]. */
    public static void mul(int m, int n, int k, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff,
            boolean accumulate) {
        axpyForm(m, n, k, a, aOff, k, 1, b, bOff, c, cOff, accumulate);
    }

    /** C[m x n] (+)= A[k x m]<sup>T</sup> B[k x n]. */
    public static void mulTransA(int m, int n, int k, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff,
            boolean accumulate) {
        axpyForm(m, n, k, a, aOff, 1, m, b, bOff, c, cOff, accumulate);
    }

    /**
     * C (+)= A B where A's element (i, p) is {@code a[aOff + i * ars + p * acs]}: every output row is
     * a combination of the rows of B, vectorised along n. The column block is the outer loop, so the
     * k x 16 tile of B it reads stays in L1 while 4 rows x 2 vectors of C accumulate in registers.
     * Columns past the last full vector are computed by one more vector ending at column n (it
     * overlaps columns already done, whose lanes are discarded), with the same order of FMAs.
     */
    private static void axpyForm(int m, int n, int k, float[] a, int aOff, int ars, int acs, float[] b, int bOff,
            float[] c, int cOff, boolean accumulate) {
        int n2 = n - n % (2 * L);
        int n1 = n - n % L;
        int m4 = m - m % 4;
        for (int j = 0; j < n2; j += 2 * L) {
            for (int i = 0; i < m4; i += 4) {
                block4x2(i, j, n, k, a, aOff, ars, acs, b, bOff, c, cOff, accumulate);
            }
            for (int i = m4; i < m; i++) {
                int a0 = aOff + i * ars;
                int c0 = cOff + i * n;
                FloatVector s0 = accumulate ? FloatVector.fromArray(F, c, c0 + j) : FloatVector.zero(F);
                FloatVector s1 = accumulate ? FloatVector.fromArray(F, c, c0 + j + L) : FloatVector.zero(F);
                int bp = bOff + j;
                for (int p = 0; p < k; p++, bp += n) {
                    FloatVector x = FloatVector.broadcast(F, a[a0 + p * acs]);
                    s0 = FloatVector.fromArray(F, b, bp).fma(x, s0);
                    s1 = FloatVector.fromArray(F, b, bp + L).fma(x, s1);
                }
                s0.intoArray(c, c0 + j);
                s1.intoArray(c, c0 + j + L);
            }
        }
        if (n2 < n1) {
            for (int i = 0; i < m; i++) {
                column(i, n2, n, k, a, aOff, ars, acs, b, bOff, c, cOff, accumulate, 0);
            }
        }
        if (n1 < n) {
            if (n >= L) {
                for (int i = 0; i < m; i++) {
                    column(i, n - L, n, k, a, aOff, ars, acs, b, bOff, c, cOff, accumulate, n1 - (n - L));
                }
            } else {
                scalarTail(m, n, k, a, aOff, ars, acs, b, bOff, c, cOff, accumulate);
            }
        }
    }

    /**
     * C (+ row stride ldc) = A B where A is m x k (row-major) and row p of B starts at
     * {@code b[bBase + rowOff[p]]}: a convolution at one output position over a batch-minor input,
     * whose k taps are rows at fixed offsets (implicit im2col). Same blocking and sum order as
     * {@link #mul}.
     */
    public static void mulRows(int m, int n, int k, float[] a, int aOff, float[] b, int bBase, int[] rowOff, float[] c,
            int cOff, int ldc) {
        int n2 = n - n % (2 * L);
        
        int m4 = m - m % 4;
        for (int j = 0; j < n2; j += 2 * L) {
            int i = 0;
            for (; i < m4; i += 4) {
                int a0 = aOff + i * k;
                int a1 = a0 + k;
                int a2 = a1 + k;
                int a3 = a2 + k;
                FloatVector s00 = FloatVector.zero(F);
                FloatVector s01 = s00;
                FloatVector s10 = s00;
                FloatVector s11 = s00;
                FloatVector s20 = s00;
                FloatVector s21 = s00;
                FloatVector s30 = s00;
                FloatVector s31 = s00;
                for (int p = 0; p < k; p++) {
                    int bp = bBase + rowOff[p] + j;
                    FloatVector b0 = FloatVector.fromArray(F, b, bp);
                    FloatVector b1 = FloatVector.fromArray(F, b, bp + L);
                    FloatVector x0 = FloatVector.broadcast(F, a[a0 + p]);
                    FloatVector x1 = FloatVector.broadcast(F, a[a1 + p]);
                    FloatVector x2 = FloatVector.broadcast(F, a[a2 + p]);
                    FloatVector x3 = FloatVector.broadcast(F, a[a3 + p]);
                    s00 = b0.fma(x0, s00);
                    s01 = b1.fma(x0, s01);
                    s10 = b0.fma(x1, s10);
                    s11 = b1.fma(x1, s11);
                    s20 = b0.fma(x2, s20);
                    s21 = b1.fma(x2, s21);
                    s30 = b0.fma(x3, s30);
                    s31 = b1.fma(x3, s31);
                }
                int c0 = cOff + i * ldc + j;
                s00.intoArray(c, c0);
                s01.intoArray(c, c0 + L);
                s10.intoArray(c, c0 + ldc);
                s11.intoArray(c, c0 + ldc + L);
                s20.intoArray(c, c0 + 2 * ldc);
                s21.intoArray(c, c0 + 2 * ldc + L);
                s30.intoArray(c, c0 + 3 * ldc);
                s31.intoArray(c, c0 + 3 * ldc + L);
            }
            for (; i < m; i++) {
                int a0 = aOff + i * k;
                FloatVector s0 = FloatVector.zero(F);
                FloatVector s1 = s0;
                for (int p = 0; p < k; p++) {
                    int bp = bBase + rowOff[p] + j;
                    FloatVector x = FloatVector.broadcast(F, a[a0 + p]);
                    s0 = FloatVector.fromArray(F, b, bp).fma(x, s0);
                    s1 = FloatVector.fromArray(F, b, bp + L).fma(x, s1);
                }
                s0.intoArray(c, cOff + i * ldc + j);
                s1.intoArray(c, cOff + i * ldc + j + L);
            }
        }
        for (int j = n2; j < n; j++) {
            for (int i = 0; i < m; i++) {
                float s = 0f;
                for (int p = 0; p < k; p++) {
                    s = Math.fma(a[aOff + i * k + p], b[bBase + rowOff[p] + j], s);
                }
                c[cOff + i * ldc + j] = s;
            }
        }
    }

    private static void block4x2(int i, int j, int n, int k, float[] a, int aOff, int ars, int acs, float[] b,
            int bOff, float[] c, int cOff, boolean accumulate) {
        int a0 = aOff + i * ars;
        int a1 = a0 + ars;
        int a2 = a1 + ars;
        int a3 = a2 + ars;
        int c0 = cOff + i * n + j;
        int c1 = c0 + n;
        int c2 = c1 + n;
        int c3 = c2 + n;
        FloatVector s00;
        FloatVector s01;
        FloatVector s10;
        FloatVector s11;
        FloatVector s20;
        FloatVector s21;
        FloatVector s30;
        FloatVector s31;
        if (accumulate) {
            s00 = FloatVector.fromArray(F, c, c0);
            s01 = FloatVector.fromArray(F, c, c0 + L);
            s10 = FloatVector.fromArray(F, c, c1);
            s11 = FloatVector.fromArray(F, c, c1 + L);
            s20 = FloatVector.fromArray(F, c, c2);
            s21 = FloatVector.fromArray(F, c, c2 + L);
            s30 = FloatVector.fromArray(F, c, c3);
            s31 = FloatVector.fromArray(F, c, c3 + L);
        } else {
            s00 = FloatVector.zero(F);
            s01 = s00;
            s10 = s00;
            s11 = s00;
            s20 = s00;
            s21 = s00;
            s30 = s00;
            s31 = s00;
        }
        int bp = bOff + j;
        for (int p = 0; p < k; p++, bp += n) {
            FloatVector b0 = FloatVector.fromArray(F, b, bp);
            FloatVector b1 = FloatVector.fromArray(F, b, bp + L);
            int pa = p * acs;
            FloatVector x0 = FloatVector.broadcast(F, a[a0 + pa]);
            FloatVector x1 = FloatVector.broadcast(F, a[a1 + pa]);
            FloatVector x2 = FloatVector.broadcast(F, a[a2 + pa]);
            FloatVector x3 = FloatVector.broadcast(F, a[a3 + pa]);
            s00 = b0.fma(x0, s00);
            s01 = b1.fma(x0, s01);
            s10 = b0.fma(x1, s10);
            s11 = b1.fma(x1, s11);
            s20 = b0.fma(x2, s20);
            s21 = b1.fma(x2, s21);
            s30 = b0.fma(x3, s30);
            s31 = b1.fma(x3, s31);
        }
        s00.intoArray(c, c0);
        s01.intoArray(c, c0 + L);
        s10.intoArray(c, c1);
        s11.intoArray(c, c1 + L);
        s20.intoArray(c, c2);
        s21.intoArray(c, c2 + L);
        s30.intoArray(c, c3);
        s31.intoArray(c, c3 + L);
    }

    /** Row i, the L columns from j; lanes before {@code firstLane} are computed but not stored. */
    private static void column(int i, int j, int n, int k, float[] a, int aOff, int ars, int acs, float[] b, int bOff,
            float[] c, int cOff, boolean accumulate, int firstLane) {
        int a0 = aOff + i * ars;
        int c0 = cOff + i * n + j;
        FloatVector s = accumulate ? FloatVector.fromArray(F, c, c0) : FloatVector.zero(F);
        int bp = bOff + j;
        for (int p = 0; p < k; p++, bp += n) {
            s = FloatVector.fromArray(F, b, bp).fma(FloatVector.broadcast(F, a[a0 + p * acs]), s);
        }
        if (firstLane == 0) {
            s.intoArray(c, c0);
        } else {
            for (int q = firstLane; q < L; q++) {
                c[c0 + q] = s.lane(q);
            }
        }
    }

    /** Matrices narrower than one vector, summed over p in ascending order like the vector part. */
    private static void scalarTail(int m, int n, int k, float[] a, int aOff, int ars, int acs, float[] b, int bOff,
            float[] c, int cOff, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            int ar = aOff + i * ars;
            int cr = cOff + i * n;
            for (int j = 0; j < n; j++) {
                float s = accumulate ? c[cr + j] : 0f;
                int bp = bOff + j;
                for (int p = 0; p < k; p++, bp += n) {
                    s = Math.fma(a[ar + p * acs], b[bp], s);
                }
                c[cr + j] = s;
            }
        }
    }

    /**
     * C[m x n] (+)= A[m x k] B[n x k]<sup>T</sup>: dot products of rows, vectorised along k, 2 x 2
     * rows per micro-kernel; each dot product is reduced lane-wise then finished with scalar FMAs.
     */
    public static void mulTransB(int m, int n, int k, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff,
            boolean accumulate) {
        int k1 = k - k % L;
        int i = 0;
        for (; i + 2 <= m; i += 2) {
            int a0 = aOff + i * k;
            int a1 = a0 + k;
            int c0 = cOff + i * n;
            int j = 0;
            for (; j + 2 <= n; j += 2) {
                int b0 = bOff + j * k;
                int b1 = b0 + k;
                FloatVector s00 = FloatVector.zero(F);
                FloatVector s01 = s00;
                FloatVector s10 = s00;
                FloatVector s11 = s00;
                for (int p = 0; p < k1; p += L) {
                    FloatVector x0 = FloatVector.fromArray(F, a, a0 + p);
                    FloatVector x1 = FloatVector.fromArray(F, a, a1 + p);
                    FloatVector y0 = FloatVector.fromArray(F, b, b0 + p);
                    FloatVector y1 = FloatVector.fromArray(F, b, b1 + p);
                    s00 = x0.fma(y0, s00);
                    s01 = x0.fma(y1, s01);
                    s10 = x1.fma(y0, s10);
                    s11 = x1.fma(y1, s11);
                }
                float r00 = sum(s00);
                float r01 = sum(s01);
                float r10 = sum(s10);
                float r11 = sum(s11);
                for (int p = k1; p < k; p++) {
                    r00 = Math.fma(a[a0 + p], b[b0 + p], r00);
                    r01 = Math.fma(a[a0 + p], b[b1 + p], r01);
                    r10 = Math.fma(a[a1 + p], b[b0 + p], r10);
                    r11 = Math.fma(a[a1 + p], b[b1 + p], r11);
                }
                store(c, c0 + j, r00, accumulate);
                store(c, c0 + j + 1, r01, accumulate);
                store(c, c0 + n + j, r10, accumulate);
                store(c, c0 + n + j + 1, r11, accumulate);
            }
            for (; j < n; j++) {
                store(c, c0 + j, dot(a, a0, b, bOff + j * k, k, k1), accumulate);
                store(c, c0 + n + j, dot(a, a1, b, bOff + j * k, k, k1), accumulate);
            }
        }
        for (; i < m; i++) {
            int a0 = aOff + i * k;
            int c0 = cOff + i * n;
            for (int j = 0; j < n; j++) {
                store(c, c0 + j, dot(a, a0, b, bOff + j * k, k, k1), accumulate);
            }
        }
    }

    private static float dot(float[] a, int a0, float[] b, int b0, int k, int k1) {
        FloatVector s = FloatVector.zero(F);
        for (int p = 0; p < k1; p += L) {
            s = FloatVector.fromArray(F, a, a0 + p).fma(FloatVector.fromArray(F, b, b0 + p), s);
        }
        float r = sum(s);
        for (int p = k1; p < k; p++) {
            r = Math.fma(a[a0 + p], b[b0 + p], r);
        }
        return r;
    }

    /**
     * Sum of the 8 lanes in a fixed pairwise order. {@code reduceLanes(ADD)} leaves the order to the
     * implementation, which may differ between the interpreter's fallback and the compiled
     * intrinsic; this way the result never depends on when the JIT compiled the caller.
     */
    private static float sum(FloatVector v) {
        return ((v.lane(0) + v.lane(1)) + (v.lane(2) + v.lane(3))) + ((v.lane(4) + v.lane(5)) + (v.lane(6) + v.lane(7)));
    }

    private static void store(float[] c, int at, float v, boolean accumulate) {
        c[at] = accumulate ? c[at] + v : v;
    }
}
