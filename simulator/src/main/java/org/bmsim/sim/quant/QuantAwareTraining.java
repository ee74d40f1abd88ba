package org.bmsim.sim.quant;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.Consumer;
import org.bmsim.common.BadInputException;
import org.bmsim.sim.data.FloatSet;
import org.bmsim.sim.nn.ActivationHook;
import org.bmsim.sim.nn.Layer;
import org.bmsim.sim.nn.Network;
import org.bmsim.sim.nn.Parallel;
import org.bmsim.sim.nn.Pass;
import org.bmsim.sim.nn.RandomStreams;
import org.bmsim.sim.nn.Softmax;
import org.bmsim.sim.nn.Workspace;
import org.bmsim.sim.train.Adam;
import org.bmsim.sim.train.GaussianKl;

/**
 * Quantization-aware fine-tuning of a Bayesian network from its float parent, with straight-through
 * gradients (Bengio, Leonard, Courville 2013, arXiv 1308.3432; the QBNN paper's QAT, Borras et al.,
 * arXiv 2512.10602). Each chunk of examples draws one explicit weight sample eps (Q3.12, the
 * bit-exact sampler, as in evaluation) and runs
 * <ul>
 *   <li>the float parent with w = mu_p + sigma_p eps (the teacher, fixed), and
 *   <li>the student under the strategy, w_q = Q(mu, sigma, eps) ({@link QuantizedNetwork}, scales
 *       recomputed every step) with its b-bit activations (clips calibrated once on the parent),
 * </ul>
 * with the same eps (common random numbers), and minimises
 * <pre>  L = mean_batch[ KL(p_parent(x; w) || p_student(x; w_q)) ] + hardWeight * mean_batch[-ln p_student(y | x)]
 *     + klScale * KL(q || N(0, prior^2)) / N</pre>
 * The first term asks each quantized weight sample to reproduce the parent's prediction under the
 * same noise, so the quantized network keeps the parent's aleatoric and epistemic uncertainty; it
 * is the "KL term" the quantization spec suggests. Straight-through: dw_q/dmu = 1,
 * dw_q/dsigma = eps (inside and outside the clip range; quantization itself is skipped by the
 * backward pass). Work is split into fixed chunks with their own streams and summed in order, so
 * the result is bit-identical for any thread count.
 */
public final class QuantAwareTraining {
    public static final int CHUNK = 32;
    static final long QAT_STREAM = 11;

    private QuantAwareTraining() {
    }

    /**
     * @param spec        strategy of the student (vpq, spq or jq)
     * @param options     quantization options
     * @param epochs      passes over {@code data}
     * @param batch       examples per step
     * @param lr          Adam learning rate (cosine decay to 0)
     * @param hardWeight  weight of the hard-label cross-entropy beside the distillation term
     * @param klScale     tempering of the KL to the prior (0 leaves it out)
     * @param priorSigma  prior N(0, s^2)
     * @param seed        seed of shuffling and noise
     */
    public record Config(QuantSpec spec, QuantOptions options, int epochs, int batch, float lr, float hardWeight,
            float klScale, float priorSigma, long seed) {
        public Config {
            Objects.requireNonNull(spec);
            Objects.requireNonNull(options);
            if (spec.strategy() == Strategy.FP || spec.strategy() == Strategy.SHARE) {
                throw new BadInputException("quantization-aware training needs vpq:B, spq:B or jq:B, not " + spec.id());
            }
            if (epochs < 1 || epochs > 10_000) {
                throw new BadInputException("epochs must be 1..10000, got " + epochs);
            }
            if (batch < 1 || batch > 65_536) {
                throw new BadInputException("batch must be 1..65536, got " + batch);
            }
            if (!(lr > 0 && lr < 10)) {
                throw new BadInputException("learning rate must be in (0, 10), got " + lr);
            }
            if (!(hardWeight >= 0 && hardWeight <= 100)) {
                throw new BadInputException("hard-label weight must be in [0, 100], got " + hardWeight);
            }
            if (!(klScale >= 0) || !(priorSigma > 0)) {
                throw new BadInputException("KL scale must be >= 0 and prior sigma > 0");
            }
        }
    }

    /** Statistics of one epoch. */
    public record EpochStats(int epoch, int epochs, double distill, double nll, double seconds) {
    }

    /**
     * Fine-tunes a copy of {@code parent} and returns it: a float network whose quantization under
     * {@code cfg.spec()} is the QAT result. {@code calibration} gives the activation clips.
     */
    public static Network train(Network parent, FloatSet data, FloatSet calibration, Config cfg, Parallel par,
            Consumer<EpochStats> listener) {
        if (!parent.bayesian()) {
            throw new BadInputException("quantization-aware training needs a Bayesian parent");
        }
        Network net = parent.copy();
        QuantizedNetwork teacher = QuantizedNetwork.of(parent, QuantSpec.fp(), QuantOptions.defaults());
        int ab = cfg.options().activationBitsFor(cfg.spec());
        ActivationHook hook = ab < 0 ? null
                : ActivationQuantizer.calibrate(parent, parent.params(), calibration, 1024, ab,
                        cfg.options().clipPercentile());
        int n = data.count();
        int size = data.imageSize();
        int c = net.classes();
        int p = net.paramCount();
        int steps = (n + cfg.batch() - 1) / cfg.batch();
        long total = (long) steps * cfg.epochs();
        int maxChunks = (Math.min(cfg.batch(), n) + CHUNK - 1) / CHUNK;
        Workspace[] wsT = new Workspace[maxChunks];
        Workspace[] wsS = new Workspace[maxChunks];
        float[][] grads = new float[maxChunks][p];
        float[][] wT = new float[maxChunks][p];
        float[][] wS = new float[maxChunks][p];
        int[][] eps = new int[maxChunks][teacher.epsCount()];
        for (int i = 0; i < maxChunks; i++) {
            wsT[i] = new Workspace(parent, CHUNK);
            wsS[i] = new Workspace(net, CHUNK);
            wsS[i].activationHook(hook);
        }
        byte[] kind = new byte[p];
        int[] epsIndex = new int[p];
        int[] muOf = new int[p];
        Arrays.fill(epsIndex, -1);
        int k = 0;
        for (Layer.TensorSlot t : net.tensors()) {
            byte v = t.kind() == Layer.TensorSlot.Kind.WEIGHT_MU ? (byte) 1 : t.kind() == Layer.TensorSlot.Kind.WEIGHT_RHO
                    ? (byte) 2 : (byte) 0;
            Arrays.fill(kind, t.offset(), t.offset() + t.size(), v);
            if (v == 1) {
                for (int i = 0; i < t.size(); i++) {
                    epsIndex[t.offset() + i] = k++;
                    muOf[t.offset() + t.size() + i] = t.offset() + i;
                }
            }
        }
        float[] params = net.params();
        float[] sigma = new float[p];
        float[] dSigma = new float[p];
        float[] adamM = new float[p];
        float[] adamV = new float[p];
        double[] chunkDistill = new double[maxChunks];
        double[] chunkNll = new double[maxChunks];
        float klw = cfg.klScale() / n;
        for (int epoch = 0; epoch < cfg.epochs(); epoch++) {
            long t0 = System.nanoTime();
            int[] perm = permutation(n, RandomStreams.stream(cfg.seed(), RandomStreams.SHUFFLE, QAT_STREAM, epoch));
            double distill = 0;
            double nll = 0;
            for (int b = 0; b < steps; b++) {
                int start = b * cfg.batch();
                int bs = Math.min(cfg.batch(), n - start);
                int chunks = (bs + CHUNK - 1) / CHUNK;
                net.sigmas(sigma, null, dSigma, 0, p);
                QuantizedNetwork student = QuantizedNetwork.of(net, cfg.spec(), cfg.options());
                float scale = 1f / bs;
                long streamSeed = RandomStreams.stream(cfg.seed(), RandomStreams.NOISE, QAT_STREAM, epoch, b).nextLong();
                par.forEach(chunks, (ch, worker) -> {
                    int from = start + ch * CHUNK;
                    int m = Math.min(CHUNK, start + bs - from);
                    float[] g = grads[ch];
                    Arrays.fill(g, 0f);
                    CommonRandomNumbers.fill(streamSeed, ch, eps[ch]);
                    teacher.weights(eps[ch], wT[ch]);
                    student.weights(eps[ch], wS[ch]);
                    float[] inT = wsT[ch].input();
                    float[] inS = wsS[ch].input();
                    for (int e = 0; e < m; e++) {
                        System.arraycopy(data.x(), perm[from + e] * size, inT, e * size, size);
                        System.arraycopy(data.x(), perm[from + e] * size, inS, e * size, size);
                    }
                    float[] zt = wsT[ch].forward(Pass.fixed(wT[ch]), m);
                    Pass ps = Pass.fixed(wS[ch]);
                    float[] zs = wsS[ch].forward(ps, m);
                    float[] pt = new float[c];
                    float[] pq = new float[c];
                    float[] dz = new float[m * c];
                    double dsum = 0;
                    double hsum = 0;
                    for (int e = 0; e < m; e++) {
                        Softmax.softmax(zt, e * c, c, pt, 0);
                        Softmax.softmax(zs, e * c, c, pq, 0);
                        int y = data.labels()[perm[from + e]];
                        for (int j = 0; j < c; j++) {
                            double tj = pt[j];
                            if (tj > 0) {
                                dsum += tj * (Math.log(tj) - Math.log(pq[j] + 1e-12));
                            }
                            float target = (pt[j] + cfg.hardWeight() * (j == y ? 1f : 0f));
                            dz[e * c + j] = scale * ((1 + cfg.hardWeight()) * pq[j] - target);
                        }
                        hsum += -Math.log(pq[y] + 1e-12);
                    }
                    chunkDistill[ch] = dsum;
                    chunkNll[ch] = hsum;
                    wsS[ch].backward(ps, dz, m, g);
                });
                for (int ch = 0; ch < chunks; ch++) {
                    distill += chunkDistill[ch];
                    nll += chunkNll[ch];
                }
                long t = (long) epoch * steps + b;
                float[] corr = Adam.corrections(Adam.cosine(cfg.lr(), t, total), t + 1);
                int nch = chunks;
                par.forRanges(p, 8192, (a, z) -> {
                    for (int i = a; i < z; i++) {
                        float gi;
                        if (kind[i] == 2) {
                            // rho slot: dL/dsigma = sum over chunks of dL/dw * eps (straight-through), then d sigma / d rho
                            int mu = muOf[i];
                            gi = 0f;
                            int ei = epsIndex[mu];
                            for (int ch = 0; ch < nch; ch++) {
                                gi += grads[ch][mu] * eps[ch][ei] * CommonRandomNumbers.EPS_SCALE;
                            }
                            gi = (gi + klw * GaussianKl.dSigma(sigma[i], cfg.priorSigma())) * dSigma[i];
                        } else {
                            gi = 0f;
                            for (int ch = 0; ch < nch; ch++) {
                                gi += grads[ch][i];
                            }
                            if (kind[i] == 1) {
                                gi += klw * GaussianKl.dMu(params[i], cfg.priorSigma());
                            }
                        }
                        params[i] = Adam.update(params[i], gi, adamM, adamV, i, corr);
                    }
                });
            }
            if (listener != null) {
                listener.accept(new EpochStats(epoch + 1, cfg.epochs(), distill / n, nll / n, (System.nanoTime() - t0) / 1e9));
            }
        }
        return net;
    }

    static int[] permutation(int n, java.util.SplittableRandom rng) {
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int tmp = perm[i];
            perm[i] = perm[j];
            perm[j] = tmp;
        }
        return perm;
    }
}
