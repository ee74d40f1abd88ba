package org.bmsim.examples.dirty;

import java.util.stream.IntStream;
import org.bmsim.common.BadInputException;
import org.bmsim.sim.data.FloatSet;
import org.bmsim.sim.nn.Classifier;
import org.bmsim.sim.nn.ClassifierTrainer;

/**
 * A deterministic one-hidden-layer perceptron (784-H-10, ReLU, softmax cross-entropy), trained by
 * mini-batch SGD with momentum and a cosine learning-rate decay: the interim teacher of the
 * Dirty-MNIST-lite builder until the LeNet-5 trainer of the network core is wired in (the recipe asks
 * for deterministic LeNet-5 teachers; an MLP ensemble plays the same role, labelling blends with a
 * calibrated class distribution, at somewhat lower accuracy). The teacher identifier records which
 * was used, so sets built with different teachers live in different cache folders.
 *
 * <p>Bit-identical at any thread count: work is split only where each output value is computed by
 * one task in a fixed order (per example in the forward pass, per weight row in the gradients).
 */
public final class MlpTeacherTrainer implements ClassifierTrainer {
    private final int hidden;
    private final int epochs;
    private final int batch;
    private final double learningRate;
    private final double momentum;

    public MlpTeacherTrainer(int hidden, int epochs, int batch, double learningRate, double momentum) {
        if (hidden <= 0 || epochs <= 0 || batch <= 0 || !(learningRate > 0) || !(momentum >= 0 && momentum < 1)) {
            throw new BadInputException("MLP teacher: bad hyper-parameters");
        }
        this.hidden = hidden;
        this.epochs = epochs;
        this.batch = batch;
        this.learningRate = learningRate;
        this.momentum = momentum;
    }

    /** The default interim teacher: 784-256-10, 12 epochs, batch 64, learning rate 0.05, momentum 0.9. */
    public static MlpTeacherTrainer standard() {
        return new MlpTeacherTrainer(256, 12, 64, 0.05, 0.9);
    }

    /** Identifier for summaries and the cache key. */
    public String id() {
        return "mlp-" + hidden + "-relu/sgd-momentum-" + momentum + "/lr-" + learningRate + "-cosine/batch-" + batch
                + "/epochs-" + epochs + "/v1";
    }

    /** A trained MLP. Stateless after training: safe to call from several threads. */
    static final class Mlp implements Classifier {
        final int in;
        final int hid;
        final int out;
        final float[] w1; // hid x in
        final float[] b1;
        final float[] w2; // out x hid
        final float[] b2;

        Mlp(int in, int hid, int out, float[] w1, float[] b1, float[] w2, float[] b2) {
            this.in = in;
            this.hid = hid;
            this.out = out;
            this.w1 = w1;
            this.b1 = b1;
            this.w2 = w2;
            this.b2 = b2;
        }

        @Override
        public int classes() {
            return out;
        }

        /** Hidden activations and probabilities of example {@code i} of {@code x}. */
        void forward(float[] x, int i, float[] h, int hOff, float[] p, int pOff) {
            int xo = i * in;
            for (int j = 0; j < hid; j++) {
                float s = b1[j];
                int wo = j * in;
                for (int k = 0; k < in; k++) {
                    s += w1[wo + k] * x[xo + k];
                }
                h[hOff + j] = Math.max(0f, s);
            }
            double max = Double.NEGATIVE_INFINITY;
            double[] z = new double[out];
            for (int c = 0; c < out; c++) {
                float s = b2[c];
                int wo = c * hid;
                for (int j = 0; j < hid; j++) {
                    s += w2[wo + j] * h[hOff + j];
                }
                z[c] = s;
                max = Math.max(max, s);
            }
            double sum = 0;
            for (int c = 0; c < out; c++) {
                z[c] = Math.exp(z[c] - max);
                sum += z[c];
            }
            for (int c = 0; c < out; c++) {
                p[pOff + c] = (float) (z[c] / sum);
            }
        }

        @Override
        public float[] predictProbabilities(float[] x, int n) {
            if (x.length != (long) n * in) {
                throw new BadInputException(x.length + " values are not " + n + " images of " + in);
            }
            float[] p = new float[n * out];
            IntStream.range(0, n).parallel().forEach(i -> forward(x, i, new float[hid], 0, p, i * out));
            return p;
        }
    }

    @Override
    public Classifier train(FloatSet train, long seed) {
        int in = train.imageSize();
        int out = train.classes();
        int n = train.count();
        for (short l : train.labels()) {
            if (l < 0) {
                throw new BadInputException(train.name() + ": the teacher needs labelled rows");
            }
        }
        Rng init = Rng.stream(seed, Rng.Purpose.TEACHER, 0);
        float[] w1 = new float[hidden * in];
        float[] w2 = new float[out * hidden];
        double s1 = Math.sqrt(2.0 / in);
        double s2 = Math.sqrt(2.0 / hidden);
        for (int i = 0; i < w1.length; i++) {
            w1[i] = (float) (s1 * init.nextGaussian());
        }
        for (int i = 0; i < w2.length; i++) {
            w2[i] = (float) (s2 * init.nextGaussian());
        }
        Mlp m = new Mlp(in, hidden, out, w1, new float[hidden], w2, new float[out]);
        float[] v1 = new float[w1.length];
        float[] vb1 = new float[hidden];
        float[] v2 = new float[w2.length];
        float[] vb2 = new float[out];
        int[] order = IntStream.range(0, n).toArray();
        int steps = epochs * ((n + batch - 1) / batch);
        int step = 0;
        float[] h = new float[batch * hidden];
        float[] p = new float[batch * out];
        float[] dh = new float[batch * hidden];
        float[] x = train.x();
        short[] labels = train.labels();
        for (int e = 0; e < epochs; e++) {
            DirtyMnistBuilder.shuffle(order, Rng.stream(seed, Rng.Purpose.TEACHER, 1 + e));
            for (int from = 0; from < n; from += batch, step++) {
                int len = Math.min(batch, n - from);
                int f0 = from;
                float lr = (float) (learningRate * 0.5 * (1 + Math.cos(Math.PI * step / steps)));
                IntStream.range(0, len).parallel().forEach(b -> m.forward(x, order[f0 + b], h, b * hidden, p, b * out));
                // dL/dz = p - onehot, averaged over the batch
                for (int b = 0; b < len; b++) {
                    p[b * out + labels[order[from + b]]] -= 1f;
                    for (int c = 0; c < out; c++) {
                        p[b * out + c] /= len;
                    }
                }
                IntStream.range(0, len).parallel().forEach(b -> {
                    for (int j = 0; j < hidden; j++) {
                        if (h[b * hidden + j] <= 0f) {
                            dh[b * hidden + j] = 0f;
                            continue;
                        }
                        float s = 0;
                        for (int c = 0; c < out; c++) {
                            s += w2[c * hidden + j] * p[b * out + c];
                        }
                        dh[b * hidden + j] = s;
                    }
                });
                for (int c = 0; c < out; c++) {
                    float gb = 0;
                    for (int b = 0; b < len; b++) {
                        gb += p[b * out + c];
                    }
                    vb2[c] = (float) (momentum * vb2[c]) + gb;
                    m.b2[c] -= lr * vb2[c];
                    for (int j = 0; j < hidden; j++) {
                        float g = 0;
                        for (int b = 0; b < len; b++) {
                            g += p[b * out + c] * h[b * hidden + j];
                        }
                        int wi = c * hidden + j;
                        v2[wi] = (float) (momentum * v2[wi]) + g;
                        w2[wi] -= lr * v2[wi];
                    }
                }
                IntStream.range(0, hidden).parallel().forEach(j -> {
                    float gb = 0;
                    float[] g = new float[in];
                    for (int b = 0; b < len; b++) {
                        float d = dh[b * hidden + j];
                        if (d == 0f) {
                            continue;
                        }
                        gb += d;
                        int xo = order[f0 + b] * in;
                        for (int k = 0; k < in; k++) {
                            g[k] += d * x[xo + k];
                        }
                    }
                    vb1[j] = (float) (momentum * vb1[j]) + gb;
                    m.b1[j] -= lr * vb1[j];
                    int wo = j * in;
                    for (int k = 0; k < in; k++) {
                        v1[wo + k] = (float) (momentum * v1[wo + k]) + g[k];
                        w1[wo + k] -= lr * v1[wo + k];
                    }
                });
            }
        }
        return m;
    }
}
