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
        float[] probs = new float[Math.multiplyExact(Math.multiplyExact(samples, n), c)];
        float[] sigma = new float[net.paramCount()];
        net.sigmas(sigma, null, null, 0, net.paramCount());
        Workspace[] ws = new Workspace[par.threads()];
        float[][] w = new float[par.threads()][];
        java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
        par.forEach(samples, (s, worker) -> {
            if (ws[worker] == null) {
                ws[worker] = new Workspace(net, BLOCK);
                w[worker] = new float[net.paramCount()];
            }
            SplittableRandom rng = RandomStreams.stream(seed, RandomStreams.MONTE_CARLO, s);
            net.sample(sigma, rng, w[worker]);
            probabilities(ws[worker], Pass.fixed(w[worker]), data.x(), n, probs, (long) s * n * c);
            if (progress != null) {
                progress.accept(done.incrementAndGet());
            }
        });
        return new McPredictions(samples, n, c, probs, data.labels().clone(), data.subset().clone());
    }

    /** Softmax outputs of n images under one pass into {@code out} from {@code outOff}. */
    static void probabilities(Workspace ws, Pass pass, float[] x, int n, float[] out, long outOff) {
        int size = ws.network().inputSize();
        int c = ws.network().classes();
        for (int b = 0; b < n; b += BLOCK) {
            int m = Math.min(BLOCK, n - b);
            System.arraycopy(x, b * size, ws.input(), 0, m * size);
            float[] z = ws.forward(pass, m);
            for (int e = 0; e < m; e++) {
                Softmax.softmax(z, e * c, c, out, Math.toIntExact(outOff + (long) (b + e) * c));
            }
        }
    }

    /** Logits of n images with the weights in {@code w} (for example the mean network, {@code net.params()}). */
    public static float[] logits(Network net, float[] w, float[] x, int n) {
        Workspace ws = new Workspace(net, BLOCK);
        int size = net.inputSize();
        int c = net.classes();
        float[] out = new float[n * c];
        for (int b = 0; b < n; b += BLOCK) {
            int m = Math.min(BLOCK, n - b);
            System.arraycopy(x, b * size, ws.input(), 0, m * size);
            float[] z = ws.forward(Pass.fixed(w), m);
            System.arraycopy(z, 0, out, b * c, m * c);
        }
        return out;
    }
}
