package org.bmsim.examples.dirty;

import java.util.SplittableRandom;
import org.bmsim.sim.data.FloatSet;
import org.bmsim.sim.nn.Classifier;
import org.bmsim.sim.nn.ClassifierTrainer;

/**
 * A real, small teacher for the builder's tests: multinomial logistic regression on the pixels,
 * trained by a few epochs of plain mini-batch SGD on the cross-entropy (single-threaded, so
 * deterministic). On 1,000 MNIST digits it reaches about 85-90% on held-out digits.
 */
final class SoftmaxRegressionTrainer implements ClassifierTrainer {
    private final int epochs;
    private final float lr;

    SoftmaxRegressionTrainer(int epochs, float lr) {
        this.epochs = epochs;
        this.lr = lr;
    }

    String id() {
        return "test-softmax-regression/epochs-" + epochs + "/lr-" + lr;
    }

    record Model(int in, int classes, float[] w, float[] b) implements Classifier {
        void probs(float[] x, int i, float[] p, int off) {
            double max = Double.NEGATIVE_INFINITY;
            double[] z = new double[classes];
            for (int c = 0; c < classes; c++) {
                float s = b[c];
                for (int k = 0; k < in; k++) {
                    s += w[c * in + k] * x[i * in + k];
                }
                z[c] = s;
                max = Math.max(max, s);
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                z[c] = Math.exp(z[c] - max);
                sum += z[c];
            }
            for (int c = 0; c < classes; c++) {
                p[off + c] = (float) (z[c] / sum);
            }
        }

        @Override
        public float[] predictProbabilities(float[] x, int n) {
            float[] p = new float[n * classes];
            for (int i = 0; i < n; i++) {
                probs(x, i, p, i * classes);
            }
            return p;
        }
    }

    @Override
    public Classifier train(FloatSet train, long seed) {
        int in = train.imageSize();
        int k = train.classes();
        SplittableRandom r = new SplittableRandom(seed);
        float[] w = new float[k * in];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (0.01 * r.nextGaussian());
        }
        Model m = new Model(in, k, w, new float[k]);
        int n = train.count();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        float[] p = new float[k];
        for (int e = 0; e < epochs; e++) {
            for (int i = n - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            for (int idx : order) {
                m.probs(train.x(), idx, p, 0);
                p[train.labels()[idx]] -= 1f;
                for (int c = 0; c < k; c++) {
                    float g = lr * p[c];
                    m.b()[c] -= g;
                    for (int q = 0; q < in; q++) {
                        w[c * in + q] -= g * train.x()[idx * in + q];
                    }
                }
            }
        }
        return m;
    }
}
