package org.bmsim.sim.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.bmsim.sim.data.FloatSet;
import org.bmsim.sim.nn.Layer;
import org.bmsim.sim.nn.Network;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

/** Hessian-compensated rounding: a hand case, the factor against a direct inverse, and the error it saves. */
class HessianCompensationTest {
    /** (w - q)^T H (w - q). */
    static double error(double[] h, double[] w, double[] q) {
        int f = w.length;
        double e = 0;
        for (int i = 0; i < f; i++) {
            for (int j = 0; j < f; j++) {
                e += (w[i] - q[i]) * h[i * f + j] * (w[j] - q[j]);
            }
        }
        return e;
    }

    @Test
    void twoWeightsByHand() {
        // H = [[1, 0.5], [0.5, 1]]: H^-1 = (4/3) [[1, -0.5], [-0.5, 1]], so after rounding w0 the update of w1
        // is -(w0 - q0) H^-1_01 / H^-1_00 = +0.5 (w0 - q0); w = (0.4, 0.4) to integers: q0 = 0, w1 -> 0.6, q1 = 1
        float[] hSum = {1, 0.5f, 0.5f, 1};
        double[] u = HessianCompensation.factor(hSum, 2, 1);
        // the factor includes the damping 0.01 * mean diagonal = 0.01
        double[] w = {0.4, 0.4};
        double[] q = w.clone();
        HessianCompensation.roundRow(u, q, (i, t) -> Math.rint(t));
        assertEquals(0.0, q[0], 0);
        assertEquals(1.0, q[1], 0);
        double[] h = {1, 0.5, 0.5, 1};
        // independent rounding (0, 0): 0.16 + 0.16 + 2 * 0.5 * 0.16 = 0.48; compensated (0, 1): 0.16 + 0.36 - 0.24 = 0.28
        assertEquals(0.48, error(h, w, new double[] {0, 0}), 1e-12);
        assertEquals(0.28, error(h, w, q), 1e-12);
    }

    @Test
    void factorIsTheCholeskyOfTheDampedInverse() {
        int f = 6;
        SplittableRandom rng = new SplittableRandom(3);
        float[] hSum = new float[f * f];
        double[] x = new double[f];
        for (int n = 0; n < 40; n++) {
            for (int i = 0; i < f; i++) {
                x[i] = rng.nextGaussian();
            }
            for (int i = 0; i < f; i++) {
                for (int j = 0; j < f; j++) {
                    hSum[i * f + j] += (float) (x[i] * x[j]);
                }
            }
        }
        double[] u = HessianCompensation.factor(hSum, f, 40);
        DMatrixRMaj h = new DMatrixRMaj(f, f);
        double diag = 0;
        for (int i = 0; i < f; i++) {
            for (int j = 0; j < f; j++) {
                h.set(i, j, hSum[i * f + j] / 40.0);
            }
            diag += h.get(i, i);
        }
        for (int i = 0; i < f; i++) {
            h.add(i, i, HessianCompensation.DAMPING * diag / f);
        }
        DMatrixRMaj inv = new DMatrixRMaj(f, f);
        CommonOps_DDRM.invert(h, inv);
        for (int i = 0; i < f; i++) {
            for (int j = 0; j < f; j++) {
                double uu = 0;
                for (int k = 0; k < f; k++) {
                    uu += u[k * f + i] * u[k * f + j];
                }
                assertEquals(inv.get(i, j), uu, 1e-9 * Math.max(1, Math.abs(inv.get(i, j))), "U^T U at " + i + "," + j);
                if (j < i) {
                    assertEquals(0.0, u[i * f + j], 0, "upper triangular");
                }
            }
        }
    }

    @Test
    void compensationLowersTheOutputErrorOfRounding() {
        // correlated inputs (x = common factor + noise): independent rounding errors add up in the output,
        // compensated ones cancel; over 200 random rows the summed output error must drop by half or more
        int f = 16;
        SplittableRandom rng = new SplittableRandom(11);
        float[] hSum = new float[f * f];
        double[] x = new double[f];
        for (int n = 0; n < 500; n++) {
            double c = rng.nextGaussian();
            for (int i = 0; i < f; i++) {
                x[i] = c + 0.5 * rng.nextGaussian();
            }
            for (int i = 0; i < f; i++) {
                for (int j = 0; j < f; j++) {
                    hSum[i * f + j] += (float) (x[i] * x[j]);
                }
            }
        }
        double[] h = new double[f * f];
        for (int i = 0; i < f * f; i++) {
            h[i] = hSum[i] / 500.0;
        }
        double[] u = HessianCompensation.factor(hSum, f, 500);
        double plain = 0;
        double comp = 0;
        for (int r = 0; r < 200; r++) {
            double[] w = new double[f];
            double[] q = new double[f];
            for (int i = 0; i < f; i++) {
                w[i] = 3 * rng.nextDouble() - 1.5;
                q[i] = Math.rint(w[i]);
            }
            plain += error(h, w, q);
            double[] qc = w.clone();
            HessianCompensation.roundRow(u, qc, (i, t) -> Math.rint(t));
            for (double v : qc) {
                assertEquals(Math.rint(v), v, 0, "every compensated weight is on the grid");
            }
            comp += error(h, w, qc);
        }
        assertTrue(comp < 0.5 * plain, "compensated " + comp + " against independent " + plain);
    }

    @Test
    void measuresEveryMatrixLayerOfANetwork() {
        Network net = QuantizedNetworkTest.tiny();
        SplittableRandom rng = new SplittableRandom(5);
        int n = 64;
        float[] x = new float[n * 784];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextDouble();
        }
        FloatSet data = new FloatSet("random", n, 1, 28, 28, x, new short[n], new byte[n], null, 10);
        HessianCompensation hc = HessianCompensation.of(net, data, 32);
        assertEquals(32, hc.images());
        for (Layer.TensorSlot t : net.tensors()) {
            if (t.kind() == Layer.TensorSlot.Kind.WEIGHT_MU) {
                int fanIn = t.size() / t.shape()[0];
                double[] u = hc.factor(t.offset());
                assertNotNull(u, t.name());
                assertEquals(fanIn * fanIn, u.length);
                assertTrue(u[0] > 0);
            }
        }
    }
}
