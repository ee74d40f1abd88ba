package org.bmsim.sim.train;

import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.bmsim.common.BadInputException;
import org.bmsim.sim.data.FloatSet;
import org.bmsim.sim.nn.Layer;
import org.bmsim.sim.nn.Network;
import org.bmsim.sim.nn.Parallel;
import org.bmsim.sim.nn.Pass;
import org.bmsim.sim.nn.RandomStreams;
import org.bmsim.sim.nn.Softmax;
import org.bmsim.sim.nn.Workspace;

/**
 * Stochastic variational inference of a mean-field Gaussian network by Bayes by backprop (Blundell,
 * Cornebise, Kavukcuoglu, Wierstra 2015, "Weight Uncertainty in Neural Networks"): minimise the
 * negative ELBO per example,
 * <pre>  L = mean_batch[-ln p(y | x, w)] + klScale * KL(q || prior) / N</pre>
 * with one noise draw per example (Flipout in convolutions, local reparameterisation in dense
 * layers; see {@link org.bmsim.sim.nn.Conv2d} and {@link org.bmsim.sim.nn.Dense}), N the number of
 * training rows and klScale a tempering factor (1 = the exact ELBO; the reference recipe uses 0.1).
 * Optimiser: {@link Adam} with optional cosine decay. A deterministic network is trained the same
 * way with plain cross-entropy.
 *
 * <p>Reproducibility: each epoch shuffles with the stream (seed, SHUFFLE, epoch); each batch is cut
 * into fixed chunks of {@link #CHUNK} examples, chunk c of batch b in epoch e draws its noise from
 * the stream (seed, NOISE, e, b, c) and accumulates its gradient into its own buffer; the buffers
 * are summed in chunk order; parameter-wise work runs over fixed ranges. So the trained network is
 * bit-identical for any thread count, and resuming from a checkpoint taken after an epoch gives the
 * same network as an uninterrupted run.
 */
public final class BayesByBackprop {
    /** Examples per chunk, the unit of parallel work and of noise streams. */
    public static final int CHUNK = 32;
    /** Parameters per range of parameter-wise work. */
    static final int RANGE = 8192;

    private BayesByBackprop() {
    }

    /** Training state: the network, Adam's moments and how far training went. */
    public record State(Network net, float[] adamM, float[] adamV, int epochsDone) {
    }

    /** Statistics of one epoch. */
    public record EpochStats(int epoch, int epochs, double nll, double kl, double trainAccuracy, double seconds) {
    }

    /** Progress callbacks, on the training thread. */
    public interface Listener {
        default void started(int fromEpoch, int epochs, int stepsPerEpoch) {
        }

        default void stepDone(int epoch, int step) {
        }

        default void epochDone(EpochStats stats) {
        }
    }

    /** A freshly initialised state (seed stream INIT). */
    public static State start(TrainConfig cfg) {
        Network net = Network.initialised(cfg.architecture(), cfg.bayesian(), cfg.sigmaTransform(), cfg.rhoInit(),
                cfg.seed());
        return new State(net, new float[net.paramCount()], new float[net.paramCount()], 0);
    }

    /**
     * Trains from {@code from} (a fresh {@link #start} or a checkpoint) to {@code cfg.epochs()};
     * {@code afterEpoch}, if not null, receives the state after every epoch (for checkpoints). The
     * network in {@code from} is updated in place and returned in the final state.
     */
    public static State train(FloatSet data, TrainConfig cfg, State from, Parallel par, Listener listener,
            Consumer<State> afterEpoch) {
        return train(data, cfg, from, par, listener, afterEpoch, null);
    }

    /**
     * As {@link #train(FloatSet, TrainConfig, State, Parallel, Listener, Consumer)}, with the
     * posterior of the layers in {@code bounds} (may be null) held inside the laws a device realises
     * (device-aware training, docs/device-aware.md): their rho are the bounded family's, so the
     * network's own rho must be restored with {@link SigmaBounds#toNetworkRho} after training.
     */
    public static State train(FloatSet data, TrainConfig cfg, State from, Parallel par, Listener listener,
            Consumer<State> afterEpoch, SigmaBounds bounds) {
        Objects.requireNonNull(data);
        Listener l = listener == null ? new Listener() { } : listener;
        Network net = from.net();
        if (data.imageSize() != net.inputSize()) {
            throw new BadInputException(data.name() + ": images of " + data.imageSize() + " values, " + cfg.arch()
                    + " takes " + net.inputSize());
        }
        if (data.count() == 0) {
            throw new BadInputException(data.name() + ": no training rows");
        }
        for (int i = 0; i < data.count(); i++) {
            int y = data.labels()[i];
            if (y < 0 || y >= net.classes()) {
                throw new BadInputException(data.name() + ": training row " + i + " has label " + y + ", need 0.."
                        + (net.classes() - 1));
            }
        }
        int n = data.count();
        int size = data.imageSize();
        int c = net.classes();
        int steps = (n + cfg.batch() - 1) / cfg.batch();
        long totalSteps = (long) steps * cfg.epochs();
        int maxChunks = (Math.min(cfg.batch(), n) + CHUNK - 1) / CHUNK;
        int p = net.paramCount();
        float[] params = net.params();
        Workspace[] ws = new Workspace[maxChunks];
        float[][] grads = new float[maxChunks][p];
        for (int i = 0; i < maxChunks; i++) {
            ws[i] = new Workspace(net, CHUNK);
        }
        byte[] kind = kinds(net);
        boolean bayes = net.bayesian();
        float[] sigma = bayes ? new float[p] : null;
        float[] sigma2 = bayes ? new float[p] : null;
        float[] dSigma = bayes ? new float[p] : null;
        float[] dSigmaDmu = bounds != null ? new float[p] : null;
        int[] rhoOf = bounds != null ? rhoOfMu(bounds, p) : null;
        float klw = bayes ? cfg.klScale() / n : 0f;
        float prior = cfg.priorSigma();
        double[] chunkNll = new double[maxChunks];
        int[] chunkCorrect = new int[maxChunks];
        float[] adamM = from.adamM();
        float[] adamV = from.adamV();
        l.started(from.epochsDone(), cfg.epochs(), steps);
        State state = from;
        for (int epoch = from.epochsDone(); epoch < cfg.epochs(); epoch++) {
            long t0 = System.nanoTime();
            int[] perm = permutation(n, RandomStreams.stream(cfg.seed(), RandomStreams.SHUFFLE, epoch));
            double nll = 0;
            long correct = 0;
            for (int b = 0; b < steps; b++) {
                int start = b * cfg.batch();
                int bs = Math.min(cfg.batch(), n - start);
                int chunks = (bs + CHUNK - 1) / CHUNK;
                if (bayes) {
                    par.forRanges(p, RANGE, (a, z) -> net.sigmas(sigma, sigma2, dSigma, a, z));
                    if (bounds != null) {
                        bounds.apply(params, sigma, sigma2, dSigma, dSigmaDmu);
                    }
                }
                float scale = 1f / bs;
                int ep = epoch;
                int bb = b;
                par.forEach(chunks, (ch, worker) -> {
                    int from0 = start + ch * CHUNK;
                    int m = Math.min(CHUNK, start + bs - from0);
                    float[] g = grads[ch];
                    java.util.Arrays.fill(g, 0f);
                    Workspace w = ws[ch];
                    float[] in = w.input();
                    for (int e = 0; e < m; e++) {
                        System.arraycopy(data.x(), perm[from0 + e] * size, in, e * size, size);
                    }
                    SplittableRandom rng = bayes ? RandomStreams.stream(cfg.seed(), RandomStreams.NOISE, ep, bb, ch) : null;
                    Pass pass = new Pass(params, sigma, sigma2, rng);
                    float[] z = w.forward(pass, m);
                    float[] dz = new float[m * c];
                    double s = 0;
                    int right = 0;
                    for (int e = 0; e < m; e++) {
                        int y = data.labels()[perm[from0 + e]];
                        s += Softmax.crossEntropy(z, e * c, c, y, scale, dz, e * c);
                        if (argmax(z, e * c, c) == y) {
                            right++;
                        }
                    }
                    chunkNll[ch] = s;
                    chunkCorrect[ch] = right;
                    w.backward(pass, dz, m, g);
                });
                for (int ch = 0; ch < chunks; ch++) {
                    nll += chunkNll[ch];
                    correct += chunkCorrect[ch];
                }
                long t = (long) epoch * steps + b;
                float lr = cfg.cosine() ? Adam.cosine(cfg.lr(), t, totalSteps) : cfg.lr();
                float[] corr = Adam.corrections(lr, t + 1);
                par.forRanges(p, RANGE, (a, z) -> {
                    for (int i = a; i < z; i++) {
                        float g = grads[0][i];
                        for (int ch = 1; ch < chunks; ch++) {
                            g += grads[ch][i];
                        }
                        if (kind[i] == MU) {
                            g += klw * GaussianKl.dMu(params[i], prior);
                            if (rhoOf != null && rhoOf[i] >= 0) {
                                // bounded sigma depends on |mu| through the device's band: chain dL/dsigma
                                int r = rhoOf[i];
                                float gs = grads[0][r];
                                for (int ch = 1; ch < chunks; ch++) {
                                    gs += grads[ch][r];
                                }
                                g += (gs + klw * GaussianKl.dSigma(sigma[r], prior)) * dSigmaDmu[i];
                            }
                        } else if (kind[i] == RHO) {
                            g = (g + klw * GaussianKl.dSigma(sigma[i], prior)) * dSigma[i];
                        }
                        params[i] = Adam.update(params[i], g, adamM, adamV, i, corr);
                    }
                });
                l.stepDone(epoch, b);
            }
            state = new State(net, adamM, adamV, epoch + 1);
            l.epochDone(new EpochStats(epoch + 1, cfg.epochs(), nll / n, bayes ? kl(net, prior) : 0, (double) correct / n,
                    (System.nanoTime() - t0) / 1e9));
            if (afterEpoch != null) {
                afterEpoch.accept(state);
            }
        }
        return state;
    }

    /** For each bounded mu slot, its rho slot (-1 elsewhere). */
    private static int[] rhoOfMu(SigmaBounds b, int p) {
        int[] r = new int[p];
        java.util.Arrays.fill(r, -1);
        for (SigmaBounds.Layer l : b.layers()) {
            for (int i = 0; i < l.size(); i++) {
                r[l.muOffset() + i] = l.rhoOffset() + i;
            }
        }
        return r;
    }

    private static final byte PLAIN = 0;
    private static final byte MU = 1;
    private static final byte RHO = 2;

    /** Per parameter: a Bayesian weight mean, a rho, or a plain value (bias or deterministic weight). */
    private static byte[] kinds(Network net) {
        byte[] k = new byte[net.paramCount()];
        if (net.bayesian()) {
            for (Layer.TensorSlot t : net.tensors()) {
                byte v = t.kind() == Layer.TensorSlot.Kind.WEIGHT_MU ? MU
                        : t.kind() == Layer.TensorSlot.Kind.WEIGHT_RHO ? RHO : PLAIN;
                java.util.Arrays.fill(k, t.offset(), t.offset() + t.size(), v);
            }
        }
        return k;
    }

    /** KL(q || prior) summed over all Bayesian weights. */
    public static double kl(Network net, float priorSigma) {
        double s = 0;
        float[] p = net.params();
        for (Layer.TensorSlot t : net.tensors()) {
            if (t.kind() == Layer.TensorSlot.Kind.WEIGHT_MU) {
                int rho = t.offset() + t.size();
                for (int i = 0; i < t.size(); i++) {
                    s += GaussianKl.value(p[t.offset() + i], net.transform().sigma(p[rho + i]), priorSigma);
                }
            }
        }
        return s;
    }

    static int[] permutation(int n, SplittableRandom rng) {
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

    static int argmax(float[] z, int off, int c) {
        int best = 0;
        for (int j = 1; j < c; j++) {
            if (z[off + j] > z[off + best]) {
                best = j;
            }
        }
        return best;
    }
}
