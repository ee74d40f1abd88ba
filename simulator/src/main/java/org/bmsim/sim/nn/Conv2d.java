package org.bmsim.sim.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * 2-D convolution, stride 1, square kernel, zero padding, computed as im2col then
 * {@link Gemm}: W has shape [out, in, k, k] (PyTorch's layout), deterministic or Bayesian
 * (mean-field Gaussian weights, deterministic bias).
 *
 * <p>A Bayesian training pass uses Flipout (Wen, Vicol, Ba, Tran, Grosse 2018, "Flipout: Efficient
 * Pseudo-Independent Weight Perturbations on Mini-Batches"): one perturbation dW = sigma * eps is
 * drawn per chunk of examples, and example e uses the weights
 * {@code mu + (s_out s_in^T) o dW} with its own random signs s_in (per input channel) and s_out (per
 * output channel), so every example sees a weight sample of the right marginal distribution,
 * decorrelated from the other examples' samples. Since the signs fold into a per-example weight
 * matrix of {@code out x in k k} values, a Flipout pass costs one matrix product per example. Other
 * passes use the weights in {@link Pass#w()} as they are, shared by the batch, so the patches of all
 * examples are laid side by side and convolved by one product.
 */
public final class Conv2d extends Layer {
    final int cin;
    final int h;
    final int w;
    final int cout;
    final int k;
    final int pad;
    final int oh;
    final int ow;
    final int fanIn;
    final boolean bayesian;
    final int muOff;
    final int rhoOff;
    final int biasOff;

    Conv2d(String name, int cin, int h, int w, int cout, int k, int pad, boolean bayesian, int offset) {
        super(name, cin * h * w, cout * Im2col.outSize(h, k, pad) * Im2col.outSize(w, k, pad));
        this.cin = cin;
        this.h = h;
        this.w = w;
        this.cout = cout;
        this.k = k;
        this.pad = pad;
        this.oh = Im2col.outSize(h, k, pad);
        this.ow = Im2col.outSize(w, k, pad);
        this.fanIn = cin * k * k;
        this.bayesian = bayesian;
        this.muOff = offset;
        this.rhoOff = bayesian ? offset + cout * fanIn : -1;
        this.biasOff = offset + (bayesian ? 2 : 1) * cout * fanIn;
    }

    @Override
    int paramCount() {
        return (bayesian ? 2 : 1) * cout * fanIn + cout;
    }

    @Override
    List<TensorSlot> tensors() {
        List<TensorSlot> t = new ArrayList<>();
        int[] shape = {cout, cin, k, k};
        t.add(new TensorSlot(name + (bayesian ? ".weight_mu" : ".weight"), muOff, shape, TensorSlot.Kind.WEIGHT_MU));
        if (bayesian) {
            t.add(new TensorSlot(name + ".weight_rho", rhoOff, shape, TensorSlot.Kind.WEIGHT_RHO));
        }
        t.add(new TensorSlot(name + ".bias", biasOff, new int[] {cout}, TensorSlot.Kind.BIAS));
        return t;
    }

    private static final class Scratch {
        final float[] cols;
        final float[] dcols;
        final float[] big;
        float[] dcolsBig;
        final float[] we;
        final float[] dwe;
        final float[] eps;
        final float[] dw;
        final float[] sin;
        final float[] sout;

        Scratch(Conv2d c, int maxBatch) {
            int hw = c.oh * c.ow;
            cols = new float[maxBatch * c.fanIn * hw];
            dcols = new float[c.fanIn * hw];
            big = new float[maxBatch * c.outSize];
            int nw = c.cout * c.fanIn;
            we = new float[nw];
            dwe = new float[nw];
            eps = new float[nw];
            dw = new float[nw];
            sin = new float[maxBatch * c.cin];
            sout = new float[maxBatch * c.cout];
        }
    }

    @Override
    Object newScratch(int maxBatch) {
        return new Scratch(this, maxBatch);
    }

    private boolean flipout(Pass pass) {
        return pass.noisy() && bayesian;
    }

    /** Example e's weights mu + (s_out s_in^T) o dW into s.we. */
    private void exampleWeights(float[] mu, Scratch s, int e) {
        int kk = k * k;
        for (int o = 0; o < cout; o++) {
            float so = s.sout[e * cout + o];
            for (int c = 0; c < cin; c++) {
                float sign = so * s.sin[e * cin + c];
                int base = o * fanIn + c * kk;
                for (int q = 0; q < kk; q++) {
                    s.we[base + q] = Math.fma(sign, s.dw[base + q], mu[muOff + base + q]);
                }
            }
        }
    }

    private static void signs(SplittableRandom rng, float[] dst, int n) {
        long bits = 0;
        for (int i = 0; i < n; i++) {
            if ((i & 63) == 0) {
                bits = rng.nextLong();
            }
            dst[i] = (bits & 1L) == 0 ? 1f : -1f;
            bits >>>= 1;
        }
    }

    /** Shared weights: one product over the patches of all n examples side by side (row stride n * hw). */
    private void forwardShared(Pass pass, Scratch s, float[] x, float[] y, int n) {
        float[] wts = pass.w();
        int hw = oh * ow;
        int ld = n * hw;
        for (int e = 0; e < n; e++) {
            Im2col.im2col(x, e * inSize, cin, h, w, k, pad, s.cols, e * hw, ld);
        }
        Gemm.mul(cout, ld, fanIn, wts, muOff, s.cols, 0, s.big, 0, false);
        for (int e = 0; e < n; e++) {
            for (int o = 0; o < cout; o++) {
                float b = wts[biasOff + o];
                int src = o * ld + e * hw;
                int dst = e * outSize + o * hw;
                for (int q = 0; q < hw; q++) {
                    y[dst + q] = s.big[src + q] + b;
                }
            }
        }
    }

    private void backwardShared(Pass pass, Scratch s, float[] g, float[] dx, int n, float[] grad) {
        float[] wts = pass.w();
        int hw = oh * ow;
        int ld = n * hw;
        for (int e = 0; e < n; e++) {
            for (int o = 0; o < cout; o++) {
                int src = e * outSize + o * hw;
                int dst = o * ld + e * hw;
                float sum = 0f;
                for (int q = 0; q < hw; q++) {
                    float v = g[src + q];
                    s.big[dst + q] = v;
                    sum += v;
                }
                grad[biasOff + o] += sum;
            }
        }
        Gemm.mulTransB(cout, fanIn, ld, s.big, 0, s.cols, 0, grad, muOff, true);
        if (dx != null) {
            if (s.dcolsBig == null) {
                s.dcolsBig = new float[s.cols.length];
            }
            Gemm.mulTransA(fanIn, ld, cout, wts, muOff, s.big, 0, s.dcolsBig, 0, false);
            java.util.Arrays.fill(dx, 0, n * inSize, 0f);
            for (int e = 0; e < n; e++) {
                Im2col.col2im(s.dcolsBig, e * hw, cin, h, w, k, pad, dx, e * inSize, ld);
            }
        }
    }

    @Override
    void forward(Pass pass, Object scratch, float[] x, float[] y, int n) {
        Scratch s = (Scratch) scratch;
        if (!flipout(pass)) {
            forwardShared(pass, s, x, y, n);
            return;
        }
        float[] wts = pass.w();
        int hw = oh * ow;
        int colSize = fanIn * hw;
        boolean flip = flipout(pass);
        if (flip) {
            int nw = cout * fanIn;
            float[] sigma = pass.sigma();
            for (int i = 0; i < nw; i++) {
                float z = (float) pass.rng().nextGaussian();
                s.eps[i] = z;
                s.dw[i] = sigma[rhoOff + i] * z;
            }
            signs(pass.rng(), s.sin, n * cin);
            signs(pass.rng(), s.sout, n * cout);
        }
        for (int e = 0; e < n; e++) {
            Im2col.im2col(x, e * inSize, cin, h, w, k, pad, s.cols, e * colSize);
            float[] a = wts;
            int aOff = muOff;
            if (flip) {
                exampleWeights(wts, s, e);
                a = s.we;
                aOff = 0;
            }
            int yo = e * outSize;
            Gemm.mul(cout, hw, fanIn, a, aOff, s.cols, e * colSize, y, yo, false);
            for (int o = 0; o < cout; o++) {
                float b = wts[biasOff + o];
                int r = yo + o * hw;
                for (int q = 0; q < hw; q++) {
                    y[r + q] += b;
                }
            }
        }
    }

    @Override
    void backward(Pass pass, Object scratch, float[] x, float[] y, float[] g, float[] dx, int n, float[] grad) {
        Scratch s = (Scratch) scratch;
        if (!flipout(pass)) {
            backwardShared(pass, s, g, dx, n, grad);
            return;
        }
        float[] wts = pass.w();
        int hw = oh * ow;
        int colSize = fanIn * hw;
        boolean flip = flipout(pass);
        for (int e = 0; e < n; e++) {
            int go = e * outSize;
            for (int o = 0; o < cout; o++) {
                float sum = 0f;
                int r = go + o * hw;
                for (int q = 0; q < hw; q++) {
                    sum += g[r + q];
                }
                grad[biasOff + o] += sum;
            }
            float[] a = wts;
            int aOff = muOff;
            if (flip) {
                exampleWeights(wts, s, e);
                a = s.we;
                aOff = 0;
                Gemm.mulTransB(cout, fanIn, hw, g, go, s.cols, e * colSize, s.dwe, 0, false);
                int kk = k * k;
                for (int o = 0; o < cout; o++) {
                    float so = s.sout[e * cout + o];
                    for (int c = 0; c < cin; c++) {
                        float sign = so * s.sin[e * cin + c];
                        int base = o * fanIn + c * kk;
                        for (int q = 0; q < kk; q++) {
                            int i = base + q;
                            float d = s.dwe[i];
                            grad[muOff + i] += d;
                            // w_e = mu + sign sigma eps  =>  dL/dsigma = dL/dw_e sign eps
                            grad[rhoOff + i] = Math.fma(d, sign * s.eps[i], grad[rhoOff + i]);
                        }
                    }
                }
            } else {
                Gemm.mulTransB(cout, fanIn, hw, g, go, s.cols, e * colSize, grad, muOff, true);
            }
            if (dx != null) {
                Gemm.mulTransA(fanIn, hw, cout, a, aOff, g, go, s.dcols, 0, false);
                java.util.Arrays.fill(dx, e * inSize, (e + 1) * inSize, 0f);
                Im2col.col2im(s.dcols, 0, cin, h, w, k, pad, dx, e * inSize);
            }
        }
    }
}
