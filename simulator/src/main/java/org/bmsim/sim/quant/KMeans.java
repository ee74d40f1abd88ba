package org.bmsim.sim.quant;

import java.util.Arrays;

/**
 * Lloyd's k-means (S. P. Lloyd, "Least squares quantization in PCM", IEEE Trans. Inf. Theory
 * 28(2), 1982) on points of the plane, deterministic: the clustering step of stochastic weight
 * sharing ({@link WeightSharing}).
 */
public final class KMeans {
    private KMeans() {
    }

    /**
     * Lloyd's k-means of the points {@code pts[idx[j]]} into k clusters, centres initialised at the
     * (j + 1/2)/k quantiles of the first coordinate; ties go to the lower centre. Deterministic.
     * Returns the label of each j.
     */
    public static int[] lloyd(double[][] pts, int[] idx, int k, int iterations) {
        int n = idx.length;
        int[] lab = new int[n];
        if (n == 0) {
            return lab;
        }
        Integer[] order = new Integer[n];
        for (int j = 0; j < n; j++) {
            order[j] = j;
        }
        Arrays.sort(order, (x, y) -> Double.compare(pts[idx[x]][0], pts[idx[y]][0]));
        double[][] c = new double[k][2];
        for (int q = 0; q < k; q++) {
            double[] p = pts[idx[order[(int) ((q + 0.5) * n / k)]]];
            c[q][0] = p[0];
            c[q][1] = p[1];
        }
        for (int it = 0; it < iterations; it++) {
            boolean changed = false;
            for (int j = 0; j < n; j++) {
                double[] p = pts[idx[j]];
                int best = 0;
                double bd = Double.POSITIVE_INFINITY;
                for (int q = 0; q < k; q++) {
                    double d0 = p[0] - c[q][0];
                    double d1 = p[1] - c[q][1];
                    double d = d0 * d0 + d1 * d1;
                    if (d < bd) {
                        bd = d;
                        best = q;
                    }
                }
                if (lab[j] != best || it == 0) {
                    changed |= lab[j] != best;
                    lab[j] = best;
                }
            }
            double[][] sum = new double[k][2];
            int[] cnt = new int[k];
            for (int j = 0; j < n; j++) {
                sum[lab[j]][0] += pts[idx[j]][0];
                sum[lab[j]][1] += pts[idx[j]][1];
                cnt[lab[j]]++;
            }
            for (int q = 0; q < k; q++) {
                if (cnt[q] > 0) {
                    c[q][0] = sum[q][0] / cnt[q];
                    c[q][1] = sum[q][1] / cnt[q];
                }
            }
            if (!changed && it > 0) {
                break;
            }
        }
        return lab;
    }
}
