package org.bmsim.sim.nn;

import java.util.ArrayList;
import java.util.List;

/**
 * Fully connected layer y = W x + b, W of shape [out, in] (PyTorch's layout), deterministic or
 * Bayesian (mean-field Gaussian weights, deterministic bias).
 *
 * <p>A Bayesian training pass uses the local reparameterisation trick (Kingma, Salimans, Welling
 * 2015, "Variational Dropout and the Local Reparameterization Trick"): given the input x, each
 * pre-activation is Gaussian with mean {@code sum_i mu_ji x_i + b_j} and variance
 * {@code sum_i sigma_ji^2 x_i^2}, so it is sampled directly, with independent noise per example and
 * unit; this is exact in distribution for a dense layer and has lower gradient variance than
 * sampling the weights. Other passes use the weights in {@link Pass#w()} as they are.
 */
public final class Dense extends Layer {
    final int in;
    final int out;
    final boolean bayesian;
    final int muOff;
    final int rhoOff;
    final int biasOff;

    Dense(String name, int in, int out, boolean bayesian, int offset) {
        super(name, in, out);
        this.in = in;
        this.out = out;
        this.bayesian = bayesian;
        this.muOff = offset;
        this.rhoOff = bayesian ? offset + in * out : -1;
        this.biasOff = offset + (bayesian ? 2 : 1) * in * out;
    }

    @Override
    int paramCount() {
        return (bayesian ? 2 : 1) * in * out + out;
    }

    @Override
    List<TensorSlot> tensors() {
        List<TensorSlot> t = new ArrayList<>();
        int[] shape = {out, in};
        t.add(new TensorSlot(name + (bayesian ? ".weight_mu" : ".weight"), muOff, shape, TensorSlot.Kind.WEIGHT_MU));
        if (bayesian) {
            t.add(new TensorSlot(name + ".weight_rho", rhoOff, shape, TensorSlot.Kind.WEIGHT_RHO));
        }
        t.add(new TensorSlot(name + ".bias", biasOff, new int[] {out}, TensorSlot.Kind.BIAS));
        return t;
    }

    /** Scratch of a noisy pass: x^2, the sampled noise, the pre-activation std, and temporaries. */
    private static final class Scratch {
        final float[] x2;
        final float[] eps;
        final float[] std;
        final float[] dv;
        final float[] ds2;
        final float[] tmp;

        Scratch(int maxBatch, int in, int out) {
            x2 = new float[maxBatch * in];
            eps = new float[maxBatch * out];
            std = new float[maxBatch * out];
            dv = new float[maxBatch * out];
            ds2 = new float[in * out];
            tmp = new float[maxBatch * in];
        }
    }

    @Override
    Object newScratch(int maxBatch) {
        return bayesian ? new Scratch(maxBatch, in, out) : null;
    }

    @Override
    void forward(Pass pass, Object scratch, float[] x, float[] y, int n) {
        float[] w = pass.w();
        Gemm.mulTransB(n, out, in, x, 0, w, muOff, y, 0, false);
        for (int e = 0; e < n; e++) {
            int row = e * out;
            for (int j = 0; j < out; j++) {
                y[row + j] += w[biasOff + j];
            }
        }
        if (pass.noisy() && bayesian) {
            Scratch s = (Scratch) scratch;
            int ni = n * in;
            for (int i = 0; i < ni; i++) {
                s.x2[i] = x[i] * x[i];
            }
            Gemm.mulTransB(n, out, in, s.x2, 0, pass.sigma2(), rhoOff, s.std, 0, false);
            int no = n * out;
            for (int i = 0; i < no; i++) {
                float sd = (float) Math.sqrt(s.std[i]);
                float z = (float) pass.rng().nextGaussian();
                s.std[i] = sd;
                s.eps[i] = z;
                y[i] = Math.fma(sd, z, y[i]);
            }
        }
    }

    @Override
    void backward(Pass pass, Object scratch, float[] x, float[] y, float[] g, float[] dx, int n, float[] grad) {
        float[] w = pass.w();
        Gemm.mulTransA(out, in, n, g, 0, x, 0, grad, muOff, true);
        for (int e = 0; e < n; e++) {
            int row = e * out;
            for (int j = 0; j < out; j++) {
                grad[biasOff + j] += g[row + j];
            }
        }
        if (dx != null) {
            Gemm.mul(n, in, out, g, 0, w, muOff, dx, 0, false);
        }
        if (pass.noisy() && bayesian) {
            Scratch s = (Scratch) scratch;
            int no = n * out;
            for (int i = 0; i < no; i++) {
                // y = m + sqrt(v) z  =>  dL/dv = g z / (2 sqrt(v)); v = 0 only when x = 0, where dv/dsigma = 0
                s.dv[i] = s.std[i] > 0f ? g[i] * s.eps[i] / (2f * s.std[i]) : 0f;
            }
            Gemm.mulTransA(out, in, n, s.dv, 0, s.x2, 0, s.ds2, 0, false);
            float[] sigma = pass.sigma();
            int nw = in * out;
            for (int i = 0; i < nw; i++) {
                // v = sum sigma^2 x^2  =>  dL/dsigma = 2 sigma dL/d(sigma^2)
                grad[rhoOff + i] = Math.fma(2f * sigma[rhoOff + i], s.ds2[i], grad[rhoOff + i]);
            }
            if (dx != null) {
                Gemm.mul(n, in, out, s.dv, 0, pass.sigma2(), rhoOff, s.tmp, 0, false);
                int ni = n * in;
                for (int i = 0; i < ni; i++) {
                    dx[i] = Math.fma(2f * x[i], s.tmp[i], dx[i]);
                }
            }
        }
    }
}
