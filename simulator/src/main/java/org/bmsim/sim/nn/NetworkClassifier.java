package org.bmsim.sim.nn;

import org.bmsim.common.BadInputException;

/**
 * A {@link Classifier} from a network's mean weights (for a deterministic network, its weights):
 * softmax of {@link MonteCarloInference#logits}. Bayesian predictions with uncertainty come from
 * {@link MonteCarloInference#predict} instead.
 */
public final class NetworkClassifier implements Classifier {
    private final Network net;

    public NetworkClassifier(Network net) {
        this.net = net;
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
        float[] z = MonteCarloInference.logits(net, net.params(), x, n);
        int c = net.classes();
        float[] p = new float[z.length];
        for (int i = 0; i < n; i++) {
            Softmax.softmax(z, i * c, c, p, i * c);
        }
        return p;
    }
}
