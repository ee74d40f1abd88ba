package org.bmsim.sim.quant;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bmsim.common.BadInputException;
import org.bmsim.sim.nn.Layer;
import org.bmsim.sim.nn.Network;

/**
 * Stochastic weight sharing, 2DGBNN (Lin, Guan, Jing, Botterweck, Patane, "Stochastic Weight Sharing
 * for Bayesian Neural Networks", AISTATS 2025, arXiv 2505.17856), as fixed by the quantization spec.
 * Per weight tensor, each weight is the point (mu, sigma):
 * <ol>
 *   <li>outliers keep their own Gaussian: |mu| &gt;= {@link #OUTLIER_MU}, or members of a cluster of
 *       at most {@link #MIN_CLUSTER} points (the spec's third criterion, the top 1% of gradient
 *       magnitude, needs training gradients and is not applied to a trained model file);
 *   <li>the rest are clustered by k-means (Lloyd, {@link #KMEANS_ITERATIONS} iterations, centres
 *       initialised at the quantiles of mu) into K Gaussians with full 2x2 covariances. The plane is
 *       standardised per tensor (each axis divided by its standard deviation over the inliers) so
 *       that k-means weighs both coordinates and the spec's absolute merge threshold is scale-free;
 *   <li>Gaussians with W2^2 &lt; {@link #MERGE_W2} (standardised) whose covariances both have trace
 *       below {@link #MERGE_W2} are merged (mean and covariance averaged);
 *   <li>points beyond the 95% chi-square(2) Mahalanobis radius of their Gaussian are ellipse points,
 *       alpha-blended between their two most likely Gaussians, alpha = softmax of the two log pdfs.
 * </ol>
 * In a forward pass Gaussian k draws one weight w_k = m_mu,k + m_sigma,k eps_k (its mean point read
 * as a weight's (mu, sigma)), which every inlier of the cluster takes; an ellipse point takes
 * alpha w_k1 + (1 - alpha) w_k2; an outlier draws mu + sigma eps. Storage: a ceil(log2 K)-bit label
 * per inlier (two labels and an 8-bit alpha per ellipse point), the table of 5 floats per Gaussian,
 * per outlier its index and two floats, biases as floats.
 */
public final class WeightSharing implements WeightSource {
    public static final double OUTLIER_MU = 0.2;
    public static final int MIN_CLUSTER = 20;
    public static final double MERGE_W2 = 1e-2;
    public static final int KMEANS_ITERATIONS = 30;
    public static final int ALPHA_BITS = 8;

    /** Default share of each tensor's weights, by |mu|, kept as outliers (the relative outlier rule). */
    public static final double DEFAULT_OUTLIER_FRACTION = 0.01;

    /**
     * How the Gaussians are built and drawn.
     *
     * @param perWeightDraws  true (default): every weight draws its own eps from its Gaussian,
     *                        w_i = m_mu,k + m_sigma,k eps_i, so weights share the (mu, sigma) of their
     *                        Gaussian but not its noise (on a Bayesian machine: K programmed device
     *                        states, each device with its own intrinsic noise); false: one draw per
     *                        Gaussian per forward pass, taken by all its inliers (the spec's reading)
     * @param outlierMu       absolute outlier rule |mu| &gt;= outlierMu (the spec's 0.2), or NaN for none
     * @param outlierFraction relative outlier rule: the top fraction of each tensor's |mu| (0 for none)
     * @param standardise     cluster in the plane standardised per tensor (true) or in the raw (mu, sigma)
     *                        plane (false, default), where the squared distance of two points is the
     *                        squared 2-Wasserstein distance of their Gaussians N(mu, sigma^2), so k-means
     *                        minimises the summed W2^2 between each weight's posterior and its Gaussian's
     */
    public record Options(boolean perWeightDraws, double outlierMu, double outlierFraction, boolean standardise) {
        public Options {
            if (!(outlierFraction >= 0 && outlierFraction < 1)) {
                throw new BadInputException("outlier fraction must be in [0, 1), got " + outlierFraction);
            }
            if (!Double.isNaN(outlierMu) && !(outlierMu > 0)) {
                throw new BadInputException("outlier |mu| threshold must be positive, got " + outlierMu);
            }
        }

        /** The defaults: per-weight draws, the top 1% of |mu| as outliers, the raw (W2) plane. */
        public static Options defaults() {
            return new Options(true, Double.NaN, DEFAULT_OUTLIER_FRACTION, false);
        }

        /** The spec's literal reading: one draw per Gaussian, |mu| &gt;= 0.2 outliers, a standardised plane. */
        public static Options spec() {
            return new Options(false, OUTLIER_MU, 0, true);
        }

        public String describe() {
            return (perWeightDraws ? "per-weight draws" : "one draw per Gaussian") + ", outliers "
                    + (Double.isNaN(outlierMu) ? "" : "|mu| >= " + outlierMu + (outlierFraction > 0 ? " or " : ""))
                    + (outlierFraction > 0 ? "top " + 100 * outlierFraction + "% of |mu|" : "")
                    + (standardise ? ", standardised plane" : ", W2 plane");
        }
    }

    private final Network net;
    private final QuantSpec spec;
    private final Options options;
    private final List<Tensor> tensors = new ArrayList<>();
    private final int epsCount;

    /** The shared form of one weight tensor. */
    static final class Tensor {
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
    }

    private WeightSharing(Network net, int k, Options options, HessianCompensation compensation) {
        if (!net.bayesian()) {
            throw new BadInputException("weight sharing needs a Bayesian network");
        }
        this.net = net;
        this.spec = QuantSpec.share(k);
        this.options = options;
        float[] p = net.params();
        float[] sig = new float[p.length];
        net.sigmas(sig, null, null, 0, p.length);
        int eps = 0;
        List<Layer.TensorSlot> ts = net.tensors();
        for (int t = 0; t < ts.size(); t++) {
            Layer.TensorSlot s = ts.get(t);
            if (s.kind() != Layer.TensorSlot.Kind.WEIGHT_MU) {
                continue;
            }
            float[] mu = Arrays.copyOfRange(p, s.offset(), s.offset() + s.size());
            float[] sg = Arrays.copyOfRange(sig, s.offset() + s.size(), s.offset() + 2 * s.size());
            Tensor x = share(mu, sg, k, options);
            double[] u = compensation == null ? null : compensation.factor(s.offset());
            if (u != null) {
                compensate(x, mu, sg, s.shape()[0], u);
            }
            x.name = s.name();
            x.off = s.offset();
            x.size = s.size();
            x.biasSize = t + 2 < ts.size() && ts.get(t + 2).kind() == Layer.TensorSlot.Kind.BIAS ? ts.get(t + 2).size() : 0;
            tensors.add(x);
            eps += (options.perWeightDraws() ? s.size() - x.outliers.length : x.gMu.length) + x.outliers.length;
        }
        this.epsCount = eps;
    }

    /** Shares the weights of a Bayesian network with {@code k} Gaussians per weight tensor, default options. */
    public static WeightSharing of(Network net, int k) {
        return of(net, k, Options.defaults());
    }

    /** Shares the weights of a Bayesian network with {@code k} Gaussians per weight tensor. */
    public static WeightSharing of(Network net, int k, Options options) {
        if (k < 2 || k > QuantSpec.MAX_CLUSTERS) {
            throw new BadInputException("share:K needs K in 2.." + QuantSpec.MAX_CLUSTERS + ", got " + k);
        }
        return new WeightSharing(net, k, options, null);
    }

    /**
     * As {@link #of(Network, int, Options)}, the plain inliers labelled with Hessian compensation
     * ({@link HessianCompensation}, measured on this network; null: nearest Gaussian of k-means).
     */
    public static WeightSharing of(Network net, int k, Options options, HessianCompensation compensation) {
        if (k < 2 || k > QuantSpec.MAX_CLUSTERS) {
            throw new BadInputException("share:K needs K in 2.." + QuantSpec.MAX_CLUSTERS + ", got " + k);
        }
        return new WeightSharing(net, k, options, compensation);
    }

    public Options options() {
        return options;
    }

    static Tensor share(float[] mu, float[] sigma, int k, Options opt) {
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
        int[] lab = kmeans(pts, idx, kk, KMEANS_ITERATIONS);
        // Gaussians, small clusters to outliers, iterate until stable
        List<Gaussian2> gs = new ArrayList<>();
        int[] map = new int[kk];
        int[] count = new int[kk];
        for (int j = 0; j < idx.length; j++) {
            count[lab[j]]++;
        }
        for (int c = 0; c < kk; c++) {
            map[c] = -1;
            if (count[c] <= MIN_CLUSTER) {
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
                    if (b == null || a.c00() + a.c11() >= MERGE_W2 || b.c00() + b.c11() >= MERGE_W2) {
                        continue;
                    }
                    if (Gaussian2.w2Squared(a, b) < MERGE_W2) {
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
        Tensor t = new Tensor();
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
    static void compensate(Tensor t, float[] mu, float[] sigma, int rows, double[] u) {
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

    /**
     * Lloyd's k-means of the points {@code pts[idx[j]]} into k clusters, centres initialised at the
     * (j + 1/2)/k quantiles of the first coordinate; ties go to the lower centre. Deterministic.
     * Returns the label of each j.
     */
    public static int[] kmeans(double[][] pts, int[] idx, int k, int iterations) {
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

    @Override
    public Network network() {
        return net;
    }

    @Override
    public QuantSpec spec() {
        return spec;
    }

    @Override
    public int epsCount() {
        return epsCount;
    }

    @Override
    public void weights(int[] eps, float[] dst) {
        System.arraycopy(net.params(), 0, dst, 0, net.paramCount());
        int k = 0;
        final float es = CommonRandomNumbers.EPS_SCALE;
        for (Tensor t : tensors) {
            if (options.perWeightDraws()) {
                for (int i = 0; i < t.size; i++) {
                    int l = t.label[i];
                    if (l < 0) {
                        continue;
                    }
                    int l2 = t.label2[i];
                    double e = eps[k++] * es;
                    double w1 = t.gMu[l] + t.gSigma[l] * e;
                    dst[t.off + i] = (float) (l2 < 0 ? w1 : t.alpha[i] * w1 + (1 - t.alpha[i]) * (t.gMu[l2] + t.gSigma[l2] * e));
                }
                for (int o = 0; o < t.outliers.length; o++) {
                    dst[t.off + t.outliers[o]] = Math.fma(t.outSigma[o], eps[k++] * es, t.outMu[o]);
                }
                continue;
            }
            double[] wg = new double[t.gMu.length];
            for (int g = 0; g < wg.length; g++) {
                wg[g] = t.gMu[g] + t.gSigma[g] * eps[k++] * CommonRandomNumbers.EPS_SCALE;
            }
            for (int i = 0; i < t.size; i++) {
                int l = t.label[i];
                if (l < 0) {
                    continue;
                }
                int l2 = t.label2[i];
                dst[t.off + i] = (float) (l2 < 0 ? wg[l] : t.alpha[i] * wg[l] + (1 - t.alpha[i]) * wg[l2]);
            }
            for (int o = 0; o < t.outliers.length; o++) {
                dst[t.off + t.outliers[o]] = Math.fma(t.outSigma[o], eps[k++] * CommonRandomNumbers.EPS_SCALE, t.outMu[o]);
            }
        }
    }

    public int outlierCount() {
        return tensors.stream().mapToInt(t -> t.outliers.length).sum();
    }

    public int ellipseCount() {
        return tensors.stream().mapToInt(t -> t.ellipse).sum();
    }

    public int gaussianCount() {
        return tensors.stream().mapToInt(t -> t.gMu.length).sum();
    }

    /** Parameters stored: 5 per Gaussian, 2 per outlier, 1 alpha per ellipse point, the biases. */
    public long storedParameters() {
        long s = 0;
        for (Tensor t : tensors) {
            s += 5L * t.gMu.length + 2L * t.outliers.length + t.ellipse + t.biasSize;
        }
        return s;
    }

    /** Parameters of the mean-field network: mu and sigma per weight, the biases. */
    public long meanFieldParameters() {
        long s = 0;
        for (Tensor t : tensors) {
            s += 2L * t.size + t.biasSize;
        }
        return s;
    }

    /** Storage in bits (see the class comment); scales: none. */
    public Storage storage() {
        List<Storage.Layer> layers = new ArrayList<>();
        int lb = spec.bits();
        for (Tensor t : tensors) {
            int idxBits = 32 - Integer.numberOfLeadingZeros(Math.max(1, t.size - 1));
            long inliers = t.size - t.outliers.length;
            long bits = inliers * lb + (long) t.ellipse * (lb + ALPHA_BITS) + 5L * 32 * t.gMu.length
                    + (long) t.outliers.length * (idxBits + 64) + 32L * t.biasSize;
            layers.add(new Storage.Layer(t.name, t.size + t.biasSize, bits, 0, 0));
        }
        return Storage.of(layers);
    }
}
