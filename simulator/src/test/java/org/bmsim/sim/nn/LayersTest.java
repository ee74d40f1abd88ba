package org.bmsim.sim.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.bmsim.common.BadInputException;
import org.junit.jupiter.api.Test;

/** Activations, pooling and shapes on hand-computed cases. */
class LayersTest {
    @Test
    void activationsOnHandValues() {
        float[] x = {-2f, -0.5f, 0.5f, 7f};
        assertArrayEquals(new float[] {0, 0, 0.5f, 7}, map(Activation.RELU, x));
        assertArrayEquals(new float[] {0, 0, 0.5f, 6}, map(Activation.CLIPPED_RELU, x));
        assertArrayEquals(new float[] {-1, -0.5f, 0.5f, 1}, map(Activation.HARDTANH, x));
        assertArrayEquals(new float[] {-0.02f, -0.005f, 0.5f, 7}, map(Activation.LEAKY_RELU, x));
        assertEquals(Math.log(2), Activation.SOFTPLUS.apply(0f), 1e-7);
        assertEquals(Math.log1p(Math.exp(-2)), Activation.SOFTPLUS.apply(-2f), 1e-7);
        assertEquals(30f, Activation.SOFTPLUS.apply(30f));
        assertEquals(Activation.CLIPPED_RELU, Activation.of("clipped-relu"));
        assertThrows(BadInputException.class, () -> Activation.of("swish"));
    }

    @Test
    void derivativesMatchFiniteDifferencesAwayFromKinks() {
        float[] xs = {-3f, -1.5f, -0.3f, 0.4f, 0.9f, 2.5f, 7f};
        for (Activation a : Activation.values()) {
            for (float x : xs) {
                double h = 1e-3;
                double fd = (a.apply((float) (x + h)) - a.apply((float) (x - h))) / (2 * h);
                assertEquals(fd, a.derivative(x), 2e-3, a + " at " + x);
            }
        }
    }

    @Test
    void sigmaTransforms() {
        assertEquals(Math.log1p(Math.exp(-5)), SigmaTransform.SOFTPLUS.sigma(-5f), 1e-9);
        assertEquals(Math.exp(-5), SigmaTransform.EXP.sigma(-5f), 1e-9);
        for (SigmaTransform t : SigmaTransform.values()) {
            assertEquals(-3f, t.rho(t.sigma(-3f)), 1e-4);
            double h = 1e-3;
            assertEquals((t.sigma((float) (-2 + h)) - t.sigma((float) (-2 - h))) / (2 * h), t.derivative(-2f), 1e-4);
        }
    }

    private static float[] map(Activation a, float[] x) {
        float[] y = new float[x.length];
        a.apply(x, y, x.length);
        return y;
    }

    @Test
    void maxPoolForwardAndBackward() {
        MaxPool2d pool = new MaxPool2d("p", 1, 4, 4);
        float[] x = {1, 2, 0, 0, 3, 4, 0, 9, -1, -2, 5, 5, -3, -4, 6, 5};
        float[] y = new float[4];
        Object s = pool.newScratch(1);
        pool.forward(Pass.fixed(new float[0]), s, x, y, 1);
        assertArrayEquals(new float[] {4, 9, -1, 6}, y);
        float[] dx = new float[16];
        pool.backward(Pass.fixed(new float[0]), s, x, y, new float[] {1, 2, 3, 4}, dx, 1, null);
        assertArrayEquals(new float[] {0, 0, 0, 0, 0, 1, 0, 2, 3, 0, 0, 0, 0, 0, 4, 0}, dx);
    }

    @Test
    void lenet5HasTheSpecifiedShapesAndCount() {
        Network n = Network.of(Architecture.of("lenet5", Activation.RELU), true, SigmaTransform.SOFTPLUS);
        // 61,706 weights and biases (quantization spec, storage accounting), plus one rho per weight
        assertEquals(61_706, n.weightCount());
        assertEquals(61_706 + 150 + 2400 + 48_000 + 10_080 + 840, n.paramCount());
        assertArrayEquals(new int[] {16, 6, 5, 5}, n.tensor("conv2.weight_rho").shape());
        assertArrayEquals(new int[] {120, 400}, n.tensor("fc1.weight_mu").shape());
        Network mlp = Network.of(Architecture.of("mlp-large", Activation.RELU), false, SigmaTransform.SOFTPLUS);
        assertEquals(784 * 400 + 400 + 400 * 400 + 400 + 4010, mlp.paramCount());
        assertArrayEquals(new int[] {10}, mlp.tensor("fc3.bias").shape());
        assertThrows(BadInputException.class, () -> Architecture.of("mlp:100-10", Activation.RELU));
        assertThrows(BadInputException.class, () -> Architecture.of("resnet", Activation.RELU));
    }
}
