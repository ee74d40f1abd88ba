package org.bmsim.sim.quant;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The shared form of one weight tensor in stochastic weight sharing ({@link WeightSharing}, whose
 * class comment gives the algorithm): its Gaussians, each weight's label(s) and blend, its
 * outliers; built by {@link #share}, re-labelled with Hessian compensation by {@link #compensate},
 * drawn by {@link #draw}.
 */
final class SharedTensor {
    String name;
    int off;
    int size;
    int biasSize;
    /** Gaussians in original units: mean mu, mean sigma (weights take m_mu + m_sigma eps). */
    double[] gMu;
    double[] gSigma;
    /** Per weight: label, second label (ellipse points) or -1, alpha; outliers: label -1. */
    int[] label;
    int[] label2;
    float[] alpha;
    int[] outliers;
    float[] outMu;
    float[] outSigma;
    int ellipse;

    /**
     * Writes this tensor's weights for one forward pass into {@code dst} (at {@link #off}), reading
     * eps codes from {@code eps} at {@code k}; returns the next unread index. Per-weight draws: every
     * inlier its own eps from its Gaussian; otherwise one eps per Gaussian, taken by its inliers.
     * Outliers draw mu + sigma eps. Ellipse points blend their two Gaussians' draws by alpha.
     */
    int draw(int[] eps, int k, boolean perWeightDraws, float[] dst) {
        final float es = CommonRandomNumbers.EPS_SCALE;
        if (perWeightDraws) {
            for (int i = 0; i < size; i++) {
                int l = label[i];
                if (l < 0) {
                    continue;
                }
                int l2 = label2[i];
                double e = eps[k++] * es;
                double w1 = gMu[l] + gSigma[l] * e;
                dst[off + i] = (float) (l2 < 0 ? w1 : alpha[i] * w1 + (1 - alpha[i]) * (gMu[l2] + gSigma[l2] * e));
            }
        } else {
            double[] wg = new double[gMu.length];
            for (int g = 0; g < wg.length; g++) {
                wg[g] = gMu[g] + gSigma[g] * eps[k++] * es;
            }
            for (int i = 0; i < size; i++) {
                int l = label[i];
                if (l < 0) {
                    continue;
                }
                int l2 = label2[i];
                dst[off + i] = (float) (l2 < 0 ? wg[l] : alpha[i] * wg[l] + (1 - alpha[i]) * wg[l2]);
            }
        }
        for (int o = 0; o < outliers.length; o++) {
            dst[off + outliers[o]] = Math.fma(outSigma[o], eps[k++] * es, outMu[o]);
        }
        return k;
    }

    static SharedTensor share(float[] mu, float[] sigma, int k, WeightSharing.Options opt) {
        int n = mu.length;
        boolean[] out = new boolean[n];
        double cut = Double.POSITIVE_INFINITY;
        if (opt.outlierFraction() > 0) {
            float[] a = new float[n];
            for (int i = 0; i < n; i++) {
                a[i] = Math.abs(mu[i]);
            }
            Arrays.sort(a);
            int keep = (int) Math.floor(opt.outlierFraction() * n);
            cut = keep == 0 ? Double.POSITIVE_INFINITY : a[n - keep];
        }
        int inl = 0;
        for (int i = 0; i < n; i++) {
            out[i] = Math.abs(mu[i]) >= cut || (!Double.isNaN(opt.outlierMu()) && Math.abs(mu[i]) >= opt.outlierMu());
            if (!out[i]) {
                inl++;
            }
        }
        // standardise the plane over the inliers
        double s0 = 0;
        double s1 = 0;
        double q0 = 0;
        double q1 = 0;
        for (int i = 0; i < n; i++) {
            if (!out[i]) {
                s0 += mu[i];
                s1 += sigma[i];
                q0 += (double) mu[i] * mu[i];
                q1 += (double) sigma[i] * sigma[i];
            }
        }
        int m = Math.max(1, inl);
        double t0 = Math.sqrt(Math.max(1e-30, q0 / m - (s0 / m) * (s0 / m)));
        double t1 = Math.sqrt(Math.max(1e-30, q1 / m - (s1 / m) * (s1 / m)));
        double sd0 = opt.standardise() ? t0 : 1;
        double sd1 = opt.standardise() ? t1 : 1;
        // the merge rule's threshold is read in the standardised plane either way (scale-free)
        double r0 = sd0 / t0;
        double r1 = sd1 / t1;
        double[][] pts = new double[n][];
        for (int i = 0; i < n; i++) {
            pts[i] = new double[] {mu[i] / sd0, sigma[i] / sd1};
        }
        int[] idx = new int[inl];
        for (int i = 0, j = 0; i < n; i++) {
            if (!out[i]) {
                idx[j++] = i;
            }
        }
        int kk = Math.min(k, Math.max(1, inl));
        int[] lab = KMeans.lloyd(pts, idx, kk, WeightSharing.KMEANS_ITERATIONS);
        // Gaussians, small clusters to outliers, iterate until stable
        List<Gaussian2> gs = new ArrayList<>();
        int[] map = new int[kk];
        int[] count = new int[kk];
        for (int j = 0; j < idx.length; j++) {
            count[lab[j]]++;
        }
        for (int c = 0; c < kk; c++) {
            map[c] = -1;
            if (count[c] <= WeightSharing.MIN_CLUSTER) {
                continue;
            }
            map[c] = gs.size();
            gs.add(fit(pts, idx, lab, c));
        }
        for (int j = 0; j < idx.length; j++) {
            if (map[lab[j]] < 0) {
                out[idx[j]] = true;
            }
        }
        // merge close Gaussians (W2 in the standardised plane)
        int[] alias = new int[gs.size()];
        for (int i = 0; i < alias.length; i++) {
            alias[i] = i;
        }
        boolean merged = true;
        while (merged) {
            merged = false;
            for (int i = 0; i < gs.size() && !merged; i++) {
                if (gs.get(i) == null) {
                    continue;
                }
                for (int j = i + 1; j < gs.size() && !merged; j++) {
                    Gaussian2 a = standardised(gs.get(i), r0, r1);
                    Gaussian2 b = gs.get(j) == null ? null : standardised(gs.get(j), r0, r1);
                    if (b == null || a.c00() + a.c11() >= WeightSharing.MERGE_W2 || b.c00() + b.c11() >= WeightSharing.MERGE_W2) {
                        continue;
                    }
                    if (Gaussian2.w2Squared(a, b) < WeightSharing.MERGE_W2) {
                        gs.set(i, Gaussian2.average(gs.get(i), gs.get(j)));
                        gs.set(j, null);
                        for (int q = 0; q < alias.length; q++) {
                            if (alias[q] == j) {
                                alias[q] = i;
                            }
                        }
                        merged = true;
                    }
                }
            }
        }
        int[] compact = new int[gs.size()];
        List<Gaussian2> kept = new ArrayList<>();
        for (int i = 0; i < gs.size(); i++) {
            compact[i] = -1;
            if (gs.get(i) != null) {
                compact[i] = kept.size();
                kept.add(gs.get(i));
            }
        }
        SharedTensor t = new SharedTensor();
        t.label = new int[n];
        t.label2 = new int[n];
        t.alpha = new float[n];
        Arrays.fill(t.label, -1);
        Arrays.fill(t.label2, -1);
        int nOut = 0;
        for (int j = 0; j < idx.length; j++) {
            int i = idx[j];
            if (out[i]) {
                continue;
            }
            int g = compact[alias[map[lab[j]]]];
            t.label[i] = g;
            t.alpha[i] = 1f;
            Gaussian2 own = kept.get(g);
            if (own.mahalanobis2(pts[i][0], pts[i][1]) > Gaussian2.CHI2_95 && kept.size() > 1) {
                int b1 = -1;
                int b2 = -1;
                double l1 = Double.NEGATIVE_INFINITY;
                double l2 = Double.NEGATIVE_INFINITY;
                for (int q = 0; q < kept.size(); q++) {
                    double l = kept.get(q).logPdf(pts[i][0], pts[i][1]);
                    if (l > l1) {
                        l2 = l1;
                        b2 = b1;
                        l1 = l;
                        b1 = q;
                    } else if (l > l2) {
                        l2 = l;
                        b2 = q;
                    }
                }
                t.label[i] = b1;
                t.label2[i] = b2;
                t.alpha[i] = (float) (1 / (1 + Math.exp(l2 - l1)));
                t.ellipse++;
            }
        }
        for (int i = 0; i < n; i++) {
            if (out[i]) {
                nOut++;
            }
        }
        t.outliers = new int[nOut];
        t.outMu = new float[nOut];
        t.outSigma = new float[nOut];
        for (int i = 0, o = 0; i < n; i++) {
            if (out[i]) {
                t.outliers[o] = i;
                t.outMu[o] = mu[i];
                t.outSigma[o] = sigma[i];
                o++;
            }
        }
        t.gMu = new double[kept.size()];
        t.gSigma = new double[kept.size()];
        for (int g = 0; g < kept.size(); g++) {
            t.gMu[g] = kept.get(g).m0() * sd0;
            t.gSigma[g] = Math.max(0, kept.get(g).m1() * sd1);
        }
        return t;
    }

    /**
     * Re-labels the plain inliers of {@code t} row by row with Hessian compensation
     * ({@link HessianCompensation}): each takes the Gaussian nearest, in W2, to N(target, sigma^2),
     * the target being its mu moved by the rounding errors of the row's earlier weights; outliers
     * and ellipse points keep their values, and their errors are compensated too.
     */
    static void compensate(SharedTensor t, float[] mu, float[] sigma, int rows, double[] u) {
        int cols = mu.length / rows;
        int[] outlierAt = new int[mu.length];
        Arrays.fill(outlierAt, -1);
        for (int o = 0; o < t.outliers.length; o++) {
            outlierAt[t.outliers[o]] = o;
        }
        for (int r = 0; r < rows; r++) {
            int base = r * cols;
            double[] w = new double[cols];
            for (int j = 0; j < cols; j++) {
                w[j] = mu[base + j];
            }
            HessianCompensation.roundRow(u, w, (j, target) -> {
                int i = base + j;
                if (outlierAt[i] >= 0) {
                    return mu[i];
                }
                if (t.label2[i] >= 0) {
                    return t.alpha[i] * t.gMu[t.label[i]] + (1 - t.alpha[i]) * t.gMu[t.label2[i]];
                }
                int best = t.label[i];
                double bd = Double.MAX_VALUE;
                for (int g = 0; g < t.gMu.length; g++) {
                    double d = t.gMu[g] - target;
                    double e = t.gSigma[g] - sigma[i];
                    double w2 = d * d + e * e;
                    if (w2 < bd) {
                        bd = w2;
                        best = g;
                    }
                }
                t.label[i] = best;
                return t.gMu[best];
            });
        }
    }

    /** {@code g} in a plane whose axes are multiplied by r0 and r1. */
    static Gaussian2 standardised(Gaussian2 g, double r0, double r1) {
        return new Gaussian2(g.m0() * r0, g.m1() * r1, g.c00() * r0 * r0, g.c01() * r0 * r1, g.c11() * r1 * r1);
    }

    /** The Gaussian (mean, covariance plus a ridge) of the points of cluster c. */
    static Gaussian2 fit(double[][] pts, int[] idx, int[] lab, int c) {
        double n = 0;
        double a = 0;
        double b = 0;
        for (int j = 0; j < idx.length; j++) {
            if (lab[j] == c) {
                n++;
                a += pts[idx[j]][0];
                b += pts[idx[j]][1];
            }
        }
        a /= n;
        b /= n;
        double c00 = 0;
        double c01 = 0;
        double c11 = 0;
        for (int j = 0; j < idx.length; j++) {
            if (lab[j] == c) {
                double d0 = pts[idx[j]][0] - a;
                double d1 = pts[idx[j]][1] - b;
                c00 += d0 * d0;
                c01 += d0 * d1;
                c11 += d1 * d1;
            }
        }
        return new Gaussian2(a, b, c00 / n + Gaussian2.RIDGE, c01 / n, c11 / n + Gaussian2.RIDGE);
    }
}
