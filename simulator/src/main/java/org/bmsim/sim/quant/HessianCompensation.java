package org.bmsim.sim.quant;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bmsim.common.BadInputException;
import org.bmsim.sim.data.FloatSet;
import org.bmsim.sim.nn.Gemm;
import org.bmsim.sim.nn.Im2col;
import org.bmsim.sim.nn.Layer;
import org.bmsim.sim.nn.LayerViews;
import org.bmsim.sim.nn.Network;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;

/**
 * Hessian-compensated rounding of the mean weights (GPTQ: Frantar, Ashkboos, Hoefler, Alistarh,
 * ICLR 2023, arXiv 2210.17323, after Optimal Brain Surgeon, Hassibi and Stork, NIPS 1992). The
 * error a layer's output makes when its weight row w is replaced by q, over the layer's inputs x,
 * is (w - q)^T H (w - q) with H = E[x x^T]. Rounding the weights of a row one at a time and, after
 * each, moving the row's not yet rounded weights by {@code -(w_i - q_i) / U_ii * U_i,j} (U the upper
 * Cholesky factor of H^-1) keeps that error near its minimum instead of letting the rounding errors
 * add up: at 4 bits, independent rounding of mu is the largest part of the quantized network's
 * uncertainty error (docs/quantization.md).
 *
 * <p>H is measured once per network on calibration images through the mean network (float weights
 * mu, float activations), per matrix layer (dense: its input vector; convolution: every im2col
 * patch), damped by {@link #DAMPING} times its mean diagonal (GPTQ's default), inputs that are
 * always zero given a unit diagonal. What is rounded is the mean of the stored weight: the mu code
 * (VPQ, nearest JQ) or the mean of the rounded sample (moment-matched JQ); sigma is coded as before.
 */
public final class HessianCompensation {
    /** Calibration images used by default (the first of the training split). */
    public static final int DEFAULT_IMAGES = 256;
    /** Damping of H relative to its mean diagonal. */
    public static final double DAMPING = 0.01;

    private final Map<Integer, double[]> factors;
    private final int images;

    private HessianCompensation(Map<Integer, double[]> factors, int images) {
        this.factors = factors;
        this.images = images;
    }

    /** Measures H on the first {@link #DEFAULT_IMAGES} images of {@code calibration}. */
    public static HessianCompensation of(Network net, FloatSet calibration) {
        return of(net, calibration, DEFAULT_IMAGES);
    }

    /** Measures H for every matrix layer of {@code net} on the first {@code images} images of {@code calibration}. */
    public static HessianCompensation of(Network net, FloatSet calibration, int images) {
        int n = Math.min(images, calibration.count());
        if (n < 1) {
            throw new BadInputException("Hessian compensation needs at least one calibration image");
        }
        if (calibration.imageSize() != net.inputSize()) {
            throw new BadInputException(calibration.name() + ": images of " + calibration.imageSize()
                    + " values, the network takes " + net.inputSize());
        }
        List<LayerViews.MatrixLayer> views = LayerViews.matrixLayers(net);
        List<Layer> layers = net.layers();
        float[][] h = new float[views.size()][];
        float[] p = net.params();
        for (int e = 0; e < n; e++) {
            float[] x = java.util.Arrays.copyOfRange(calibration.x(), e * net.inputSize(), (e + 1) * net.inputSize());
            for (int li = 0; li < layers.size(); li++) {
                Layer l = layers.get(li);
                LayerViews.MatrixLayer v = views.get(li);
                float[] y = new float[l.outSize()];
                if (v == null) {
                    LayerViews.forwardOther(l, x, y, 1);
                } else {
                    int f = v.fanIn();
                    int rpi = v.readsPerImage();
                    float[] cols;
                    if (v.conv()) {
                        cols = new float[f * rpi];
                        Im2col.im2col(x, 0, v.cin(), v.h(), v.w(), v.k(), v.pad(), cols, 0);
                    } else {
                        cols = x;
                    }
                    if (h[li] == null) {
                        h[li] = new float[f * f];
                    }
                    // H += X X^T over this image's patches (X: fanIn x reads)
                    Gemm.mulTransB(f, f, rpi, cols, 0, cols, 0, h[li], 0, true);
                    // y[o][q] = W[o][:] X[:][q] + b[o]
                    Gemm.mul(v.out(), rpi, f, p, v.muOff(), cols, 0, y, 0, false);
                    for (int o = 0; o < v.out(); o++) {
                        for (int q = 0; q < rpi; q++) {
                            y[o * rpi + q] += p[v.biasOff() + o];
                        }
                    }
                }
                x = y;
            }
        }
        Map<Integer, double[]> factors = new HashMap<>();
        for (int li = 0; li < views.size(); li++) {
            LayerViews.MatrixLayer v = views.get(li);
            if (v != null) {
                factors.put(v.muOff(), factor(h[li], v.fanIn(), (double) n * v.readsPerImage()));
            }
        }
        return new HessianCompensation(factors, n);
    }

    /** U with U^T U = (H / count + damping)^-1, row-major F x F, upper triangular. */
    static double[] factor(float[] hSum, int f, double count) {
        DMatrixRMaj h = new DMatrixRMaj(f, f);
        double diag = 0;
        for (int i = 0; i < f; i++) {
            for (int j = 0; j < f; j++) {
                h.set(i, j, hSum[i * f + j] / count);
            }
            diag += h.get(i, i);
        }
        double damp = DAMPING * (diag > 0 ? diag / f : 1);
        for (int i = 0; i < f; i++) {
            if (h.get(i, i) == 0) {
                h.set(i, i, 1);
            }
            h.add(i, i, damp);
        }
        DMatrixRMaj inv = new DMatrixRMaj(f, f);
        if (!CommonOps_DDRM.invert(h, inv)) {
            throw new IllegalStateException("singular damped Hessian of size " + f);
        }
        CholeskyDecomposition_F64<DMatrixRMaj> chol = DecompositionFactory_DDRM.chol(f, false);
        if (!chol.decompose(inv)) {
            throw new IllegalStateException("the inverse Hessian of size " + f + " is not positive definite");
        }
        DMatrixRMaj u = chol.getT(null);
        double[] out = new double[f * f];
        for (int i = 0; i < f; i++) {
            for (int j = i; j < f; j++) {
                out[i * f + j] = u.get(i, j);
            }
        }
        return out;
    }

    /** Calibration images used. */
    public int images() {
        return images;
    }

    /** The factor U of the weight tensor whose mu starts at {@code muOff} (fanIn x fanIn), or null. */
    double[] factor(int muOff) {
        return factors.get(muOff);
    }

    /**
     * Rounds one row in place: {@code w} holds the row's target means on entry; for i = 0, 1, ...
     * {@code rounder} turns w[i] into the mean of the stored weight (and records its codes), and the
     * rest of the row absorbs the error. {@code u} is the layer's factor (w.length x w.length).
     */
    static void roundRow(double[] u, double[] w, Rounder rounder) {
        int f = w.length;
        for (int i = 0; i < f; i++) {
            double q = rounder.round(i, w[i]);
            double err = (w[i] - q) / u[i * f + i];
            for (int j = i + 1; j < f; j++) {
                w[j] -= err * u[i * f + j];
            }
            w[i] = q;
        }
    }

    /** Rounds weight i of a row, given its (compensated) target mean; returns the stored weight's mean. */
    @FunctionalInterface
    interface Rounder {
        double round(int i, double target);
    }
}
