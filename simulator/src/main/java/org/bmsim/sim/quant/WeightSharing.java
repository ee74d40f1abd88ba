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
    private final List<SharedTensor> tensors = new ArrayList<>();
    private final int epsCount;

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
            SharedTensor x = SharedTensor.share(mu, sg, k, options);
            double[] u = compensation == null ? null : compensation.factor(s.offset());
            if (u != null) {
                SharedTensor.compensate(x, mu, sg, s.shape()[0], u);
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
        return of(net, k, options, null);
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
        for (SharedTensor t : tensors) {
            k = t.draw(eps, k, options.perWeightDraws(), dst);
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
        for (SharedTensor t : tensors) {
            s += 5L * t.gMu.length + 2L * t.outliers.length + t.ellipse + t.biasSize;
        }
        return s;
    }

    /** Parameters of the mean-field network: mu and sigma per weight, the biases. */
    public long meanFieldParameters() {
        long s = 0;
        for (SharedTensor t : tensors) {
            s += 2L * t.size + t.biasSize;
        }
        return s;
    }

    /** Storage in bits (see the class comment); scales: none. */
    public Storage storage() {
        List<Storage.Layer> layers = new ArrayList<>();
        int lb = spec.bits();
        for (SharedTensor t : tensors) {
            int idxBits = 32 - Integer.numberOfLeadingZeros(Math.max(1, t.size - 1));
            long inliers = t.size - t.outliers.length;
            long bits = inliers * lb + (long) t.ellipse * (lb + ALPHA_BITS) + 5L * 32 * t.gMu.length
                    + (long) t.outliers.length * (idxBits + 64) + 32L * t.biasSize;
            layers.add(new Storage.Layer(t.name, t.size + t.biasSize, bits, 0, 0));
        }
        return Storage.of(layers);
    }
}
