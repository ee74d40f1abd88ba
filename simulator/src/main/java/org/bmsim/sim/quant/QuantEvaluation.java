package org.bmsim.sim.quant;

import java.util.Objects;
import org.bmsim.common.BadInputException;
import org.bmsim.sim.data.FloatSet;
import org.bmsim.sim.metrics.McPredictions;
import org.bmsim.sim.nn.ActivationHook;
import org.bmsim.sim.nn.BatchMinorForward;
import org.bmsim.sim.nn.Network;
import org.bmsim.sim.nn.Parallel;
import org.bmsim.sim.nn.Softmax;

/**
 * Monte Carlo inference of a (quantized) Bayesian network with explicit per-sample weights: sample s
 * draws its eps from {@link CommonRandomNumbers} (seed, s), its weights from the
 * {@link WeightSource}, and runs every input with them (activations through the optional hook). Two
 * runs with the same seed share their random numbers (common random numbers). Samples are spread
 * over threads and each has its own stream, so the result does not depend on the thread count.
 */
public final class QuantEvaluation {
    /** Images per forward block. */
    public static final int BLOCK = 64;

    private QuantEvaluation() {
    }

    /** Where sample s's eps come from: {@code fill(seed, s, eps)}. */
    @FunctionalInterface
    public interface EpsSource {
        void fill(long seed, int sample, int[] eps);
    }

    /** Class probabilities of S samples of {@code source} on {@code data}, eps from {@link CommonRandomNumbers}. */
    public static McPredictions predict(WeightSource source, ActivationHook hook, FloatSet data, int samples, long seed,
            Parallel par) {
        return predict(source, hook, data, samples, seed, par, CommonRandomNumbers::fill);
    }

    /** As above with another eps source (a machine's datapath lanes). */
    public static McPredictions predict(WeightSource source, ActivationHook hook, FloatSet data, int samples, long seed,
            Parallel par, EpsSource epsSource) {
        Objects.requireNonNull(source);
        Network net = source.network();
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
        BatchMinorForward[] fw = new BatchMinorForward[par.threads()];
        float[][] w = new float[par.threads()][];
        int[][] eps = new int[par.threads()][];
        par.forEach(samples, (s, worker) -> {
            if (fw[worker] == null) {
                fw[worker] = new BatchMinorForward(net, BLOCK);
                fw[worker].activationHook(hook);
                w[worker] = new float[net.paramCount()];
                eps[worker] = new int[source.epsCount()];
            }
            epsSource.fill(seed, s, eps[worker]);
            source.weights(eps[worker], w[worker]);
            BatchMinorForward f = fw[worker];
            float[] z = new float[BLOCK * c];
            for (int b = 0; b < n; b += BLOCK) {
                int m = Math.min(BLOCK, n - b);
                f.logits(w[worker], data.x(), b, m, z, 0);
                for (int e = 0; e < m; e++) {
                    Softmax.softmax(z, e * c, c, probs, Math.toIntExact(((long) s * n + b + e) * c));
                }
            }
        });
        return new McPredictions(samples, n, c, probs, data.labels().clone(), data.subset().clone());
    }
}
