package org.bmsim.sim.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Back-propagation against central finite differences of the loss, for every layer kind in both
 * the deterministic pass and the Bayesian training pass (Flipout convolutions, locally
 * reparameterised dense layers), with the noise stream replayed identically at every evaluation.
 * A smooth activation (softplus) keeps finite differences meaningful.
 */
class GradientCheckTest {
    private static final int N = 3;

    private static double loss(Network net, float[] x, int[] y, long noiseSeed, float[] dLogitsOut, float[] grad) {
        Workspace ws = new Workspace(net, N);
        System.arraycopy(x, 0, ws.input(), 0, x.length);
        Pass pass = pass(net, noiseSeed);
        float[] z = ws.forward(pass, N);
        int c = net.classes();
        float[] dz = new float[N * c];
        double l = 0;
        for (int e = 0; e < N; e++) {
            l += Softmax.crossEntropy(z, e * c, c, y[e], 1f, dz, e * c);
        }
        if (grad != null) {
            ws.backward(pass, dz, N, grad);
        }
        return l;
    }

    private static Pass pass(Network net, long noiseSeed) {
        if (!net.bayesian()) {
            return Pass.fixed(net.params());
        }
        float[] sigma = new float[net.paramCount()];
        float[] sigma2 = new float[net.paramCount()];
        net.sigmas(sigma, sigma2, null, 0, net.paramCount());
        return new Pass(net.params(), sigma, sigma2, new SplittableRandom(noiseSeed));
    }

    @ParameterizedTest
    @CsvSource({"lenet5, false", "lenet5, true", "mlp:784-12-9-10, false", "mlp:784-12-9-10, true"})
    void backpropMatchesFiniteDifferences(String arch, boolean bayesian) {
        Network net = Network.initialised(Architecture.of(arch, Activation.SOFTPLUS), bayesian, SigmaTransform.SOFTPLUS,
                -2f, 11);
        SplittableRandom r = new SplittableRandom(5);
        float[] x = new float[N * net.inputSize()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        int[] y = {1, 7, 3};
        float[] grad = new float[net.paramCount()];
        loss(net, x, y, 99, null, grad);
        float[] p = net.params();
        int checked = 0;
        for (Layer.TensorSlot t : net.tensors()) {
            for (int s = 0; s < 6; s++) {
                int i = t.offset() + r.nextInt(t.size());
                float analytic = grad[i];
                if (t.kind() == Layer.TensorSlot.Kind.WEIGHT_RHO) {
                    analytic *= net.transform().derivative(p[i]);
                }
                float keep = p[i];
                float h = 1e-2f;
                p[i] = keep + h;
                double up = loss(net, x, y, 99, null, null);
                p[i] = keep - h;
                double down = loss(net, x, y, 99, null, null);
                p[i] = keep;
                double fd = (up - down) / (2 * h);
                assertEquals(fd, analytic, 2e-3 + 3e-2 * Math.abs(fd), t.name() + "[" + (i - t.offset()) + "]");
                checked++;
            }
        }
        assertTrue(checked >= 18);
    }
}
