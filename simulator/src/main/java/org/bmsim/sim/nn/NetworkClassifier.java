package org.bmsim.sim.nn;

import org.bmsim.common.BadInputException;

/**
 * A {@link Classifier} from a network's mean weights (for a deterministic network, its weights):
 * the softmax of the logits, blocks of {@link MonteCarloInference#BLOCK} images spread over
 * {@code threads} threads (each block computed alone, so the result does not depend on the thread
 * count). Safe to call from several threads. Bayesian predictions with uncertainty come from
 * {@link MonteCarloInference#predict} instead.
 */
public final class NetworkClassifier implements Classifier {
    private final Network net;
    private final int threads;

    public NetworkClassifier(Network net) {
        this(net, 1);
    }

    public NetworkClassifier(Network net, int threads) {
        this.net = net;
        this.threads = Parallel.checkThreads(threads);
    }

    public Network network() {
        return net;
    }

    @Override
    public int classes() {
        return net.classes();
    }

    @Override
    public float[] predictProbabilities(float[] x, int n) {
        if (x.length < (long) n * net.inputSize()) {
            throw new BadInputException(n + " images need " + (long) n * net.inputSize() + " values, got " + x.length);
        }
        int c = net.classes();
        float[] p = new float[n * c];
        int block = MonteCarloInference.BLOCK;
        int blocks = (n + block - 1) / block;
        BatchMinorForward[] engines = new BatchMinorForward[threads];
        try (Parallel par = Parallel.of(Math.max(1, Math.min(threads, blocks)))) {
            par.forEach(blocks, (b, worker) -> {
                if (engines[worker] == null) {
                    engines[worker] = new BatchMinorForward(net, block);
                }
                int from = b * block;
                int m = Math.min(block, n - from);
                engines[worker].logits(net.params(), x, from, m, p, from * c);
                for (int i = from; i < from + m; i++) {
                    Softmax.softmax(p, i * c, c, p, i * c);
                }
            });
        }
        return p;
    }
}
