package org.bmsim.sim.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The batch-minor inference engine against the row-major training forward pass (another implementation). */
class BatchMinorForwardTest {
    @ParameterizedTest
    @CsvSource({"lenet5, relu", "lenet5, softplus", "lenet5, leaky-relu", "mlp-large, hardtanh", "mlp:784-20-10, clipped-relu"})
    void agreesWithTheTrainingForwardPass(String arch, String act) {
        Network net = Network.initialised(Architecture.of(arch, Activation.of(act)), true, SigmaTransform.SOFTPLUS, -3f, 4);
        SplittableRandom r = new SplittableRandom(6);
        int n = 19;
        float[] x = new float[n * 784];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (2 * r.nextGaussian());
        }
        float[] sigma = new float[net.paramCount()];
        net.sigmas(sigma, null, null, 0, net.paramCount());
        float[] w = new float[net.paramCount()];
        net.sample(sigma, r, w);
        Workspace ws = new Workspace(net, n);
        System.arraycopy(x, 0, ws.input(), 0, x.length);
        float[] want = ws.forward(Pass.fixed(w), n);
        // blocks narrower than n (partial last block) and wider than n
        for (int width : new int[] {8, 64}) {
            BatchMinorForward f = new BatchMinorForward(net, width);
            float[] got = new float[n * 10];
            for (int b = 0; b < n; b += width) {
                f.logits(w, x, b, Math.min(width, n - b), got, b * 10);
            }
            for (int i = 0; i < n * 10; i++) {
                assertEquals(want[i], got[i], 1e-4 * (1 + Math.abs(want[i])), arch + " width " + width + " logit " + i);
            }
        }
    }
}
