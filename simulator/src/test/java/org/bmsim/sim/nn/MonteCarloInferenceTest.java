package org.bmsim.sim.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.bmsim.sim.data.FloatSet;
import org.bmsim.sim.metrics.McPredictions;
import org.junit.jupiter.api.Test;

/** Monte Carlo inference: reproducible across threads, right shapes, and weight samples of the right law. */
class MonteCarloInferenceTest {
    private static FloatSet data(int n) {
        SplittableRandom r = new SplittableRandom(4);
        float[] x = new float[n * 784];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        short[] y = new short[n];
        byte[] sub = new byte[n];
        for (int i = 0; i < n; i++) {
            y[i] = (short) (i % 3 == 2 ? -1 : i % 10);
            sub[i] = (byte) (i % 3);
        }
        return new FloatSet("t", n, 1, 28, 28, x, y, sub, null, 10);
    }

    @Test
    void bitIdenticalForOneAndTwoThreadsAndRowsSumToOne() {
        Network net = Network.initialised(Architecture.of("lenet5", Activation.RELU), true, SigmaTransform.SOFTPLUS, -2f, 1);
        FloatSet d = data(70); // a full block of 64 and a partial one
        McPredictions one;
        McPredictions two;
        try (Parallel p = Parallel.of(1)) {
            one = MonteCarloInference.predict(net, d, 5, 9, p, null);
        }
        try (Parallel p = Parallel.of(2)) {
            two = MonteCarloInference.predict(net, d, 5, 9, p, null);
        }
        assertArrayEquals(one.probs(), two.probs());
        assertArrayEquals(d.labels(), one.labels());
        assertArrayEquals(d.subset(), one.subset());
        for (int s = 0; s < 5; s++) {
            for (int i = 0; i < 70; i++) {
                double sum = 0;
                for (int c = 0; c < 10; c++) {
                    sum += one.prob(s, i, c);
                }
                assertEquals(1.0, sum, 1e-5);
            }
        }
        assertFalse(one.prob(0, 0, 0) == one.prob(1, 0, 0), "samples differ");
    }

    @Test
    void deterministicNetworkGivesIdenticalSamplesEqualToItsClassifier() {
        Network net = Network.initialised(Architecture.of("mlp", Activation.RELU), false, SigmaTransform.SOFTPLUS, -5f, 2);
        FloatSet d = data(9);
        McPredictions mc;
        try (Parallel p = Parallel.of(2)) {
            mc = MonteCarloInference.predict(net, d, 3, 1, p, null);
        }
        float[] p0 = new NetworkClassifier(net).predictProbabilities(d.x(), 9);
        for (int s = 0; s < 3; s++) {
            assertArrayEquals(p0, java.util.Arrays.copyOfRange(mc.probs(), s * 90, (s + 1) * 90));
        }
    }

    /**
     * A one-layer network z = W x + b with W ~ N(mu, sigma^2): over 4,000 weight samples each logit's
     * sample mean and variance must match mu x + b and sum sigma^2 x^2. The checks are 4.5-sigma
     * z-tests (mean) and a 4.5-sigma normal approximation of the variance ratio (sd sqrt(2/(S-1))):
     * 20 checks at 7e-6 each, a false-failure probability below 2e-4 for an arbitrary seed; the seed is fixed.
     */
    @Test
    void weightSamplesHaveTheirMeanAndVariance() {
        Network net = Network.initialised(Architecture.of("mlp:784-10", Activation.RELU), true, SigmaTransform.SOFTPLUS,
                -3f, 3);
        float[] p = net.params();
        SplittableRandom r = new SplittableRandom(8);
        int rhoOff = net.tensor("fc1.weight_rho").offset();
        for (int i = 0; i < 7840; i++) {
            p[rhoOff + i] = (float) (-4 + 2 * r.nextDouble());
        }
        float[] x = new float[784];
        for (int i = 0; i < 784; i++) {
            x[i] = (float) r.nextGaussian();
        }
        float[] sigma = new float[net.paramCount()];
        net.sigmas(sigma, null, null, 0, net.paramCount());
        int s = 4000;
        double[] sum = new double[10];
        double[] sq = new double[10];
        float[] w = new float[net.paramCount()];
        for (int k = 0; k < s; k++) {
            net.sample(sigma, RandomStreams.stream(5, RandomStreams.MONTE_CARLO, k), w);
            float[] z = MonteCarloInference.logits(net, w, x, 1);
            for (int j = 0; j < 10; j++) {
                sum[j] += z[j];
                sq[j] += (double) z[j] * z[j];
            }
        }
        float[] mean = MonteCarloInference.logits(net, p, x, 1);
        int muOff = net.tensor("fc1.weight_mu").offset();
        for (int j = 0; j < 10; j++) {
            double var = 0;
            for (int i = 0; i < 784; i++) {
                var += (double) sigma[muOff + 7840 + j * 784 + i] * sigma[muOff + 7840 + j * 784 + i] * x[i] * x[i];
            }
            double m = sum[j] / s;
            double v = (sq[j] - s * m * m) / (s - 1);
            assertEquals(mean[j], m, 4.5 * Math.sqrt(var / s), "mean of logit " + j);
            assertEquals(1.0, v / var, 4.5 * Math.sqrt(2.0 / (s - 1)), "variance ratio of logit " + j);
        }
        assertTrue(rhoOff == muOff + 7840);
    }
}
