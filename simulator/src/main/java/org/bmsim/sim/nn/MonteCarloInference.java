package org.bmsim.sim.nn;

import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import org.bmsim.common.BadInputException;
import org.bmsim.sim.data.FloatSet;
import org.bmsim.sim.metrics.McPredictions;

/**
 * Monte Carlo inference of a Bayesian network: for each of S samples, one weight sample
 * w_s = mu + sigma * eps_s (eps_s ~ N(0, I), biases deterministic) is drawn and shared by every
 * input, as a deployed network draws its weights; the softmax outputs p_s(c | x_i) form
 * {@link McPredictions}. Sample s draws its eps from its own stream (seed, s), and the samples are
 * spread over the threads, so the result is bit-identical for any thread count. A deterministic
 * network gives S identical samples.
 */
public final class MonteCarloInference {
    /** Images per forward block. */
    public static final int BLOCK = 64;

    private MonteCarloInference() {
    }

    /**
     * Class probabilities p[s][i][c] for S samples.
     *
     * @param progress called with the number of samples finished so far (from worker threads), or null
     */
    public static McPredictions predict(Network net, FloatSet data, int samples, long seed, Parallel par,
            IntConsumer progress) {
        Objects.requireNonNull(net);
        if (samples < 1) {
            throw new BadInputException("samples must be at least 1, got " + samples);
        }
        if (data.imageSize() != net.inputSize()) {
            throw new BadInputException(data.name() + ": images of " + data.imageSize() + " values, the network takes "
                    + net.inputSize());
        }
        int n = data.count();
        int c = net.classes();
        float[] probs = McPredictions.allocate(samples, n, c);
        float[] sigma = new float[net.paramCount()];
        net.sigmas(sigma, null, null, 0, net.paramCount());
        BatchMinorForward[] ws = new BatchMinorForward[par.threads()];
        float[][] w = new float[par.threads()][];
        java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
        par.forEach(samples, (s, worker) -> {
            if (ws[worker] == null) {
                ws[worker] = new BatchMinorForward(net, BLOCK);
                w[worker] = new float[net.paramCount()];
            }
            SplittableRandom rng = RandomStreams.stream(seed, RandomStreams.MONTE_CARLO, s);
            net.sample(sigma, rng, w[worker]);
            probabilities(ws[worker], w[worker], data.x(), n, probs, (long) s * n * c);
            if (progress != null) {
                progress.accept(done.incrementAndGet());
            }
        });
        return new McPredictions(samples, n, c, probs, data.labels().clone(), data.subset().clone());
    }

    /** Softmax outputs of n images with weights {@code w} into {@code out} from {@code outOff}. */
    static void probabilities(BatchMinorForward f, float[] w, float[] x, int n, float[] out, long outOff) {
        int c = f.network().classes();
        float[] z = new float[f.width() * c];
        for (int b = 0; b < n; b += f.width()) {
            int m = Math.min(f.width(), n - b);
            f.logits(w, x, b, m, z, 0);
            for (int e = 0; e < m; e++) {
                Softmax.softmax(z, e * c, c, out, Math.toIntExact(outOff + (long) (b + e) * c));
            }
        }
    }

    /** Logits of n images with the weights in {@code w} (for example the mean network, {@code net.params()}). */
    public static float[] logits(Network net, float[] w, float[] x, int n) {
        BatchMinorForward f = new BatchMinorForward(net, Math.min(BLOCK, Math.max(n, 1)));
        float[] out = new float[n * net.classes()];
        for (int b = 0; b < n; b += f.width()) {
            f.logits(w, x, b, Math.min(f.width(), n - b), out, b * net.classes());
        }
        return out;
    }
}
