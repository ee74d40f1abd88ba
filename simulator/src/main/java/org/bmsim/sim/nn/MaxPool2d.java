package org.bmsim.sim.nn;

/** 2 x 2 max pooling, stride 2, per channel (odd trailing rows/columns are dropped, as in PyTorch). */
public final class MaxPool2d extends Layer {
    final int c;
    final int h;
    final int w;
    final int oh;
    final int ow;

    MaxPool2d(String name, int c, int h, int w) {
        super(name, c * h * w, c * (h / 2) * (w / 2));
        this.c = c;
        this.h = h;
        this.w = w;
        this.oh = h / 2;
        this.ow = w / 2;
    }

    @Override
    void forward(Pass pass, Object scratch, float[] in, float[] out, int n) {
        for (int e = 0; e < n; e++) {
            for (int ch = 0; ch < c; ch++) {
                int ib = e * inSize + ch * h * w;
                int ob = e * outSize + ch * oh * ow;
                for (int y = 0; y < oh; y++) {
                    int r = ib + 2 * y * w;
                    int o = ob + y * ow;
                    for (int x = 0; x < ow; x++) {
                        int p = r + 2 * x;
                        // Math.max is a branch-free intrinsic; data-dependent branches mispredict
                        out[o + x] = Math.max(Math.max(in[p], in[p + 1]), Math.max(in[p + w], in[p + w + 1]));
                    }
                }
            }
        }
    }

    /** The gradient goes to the first input of each window (row-major) that equals the window's max. */
    @Override
    void backward(Pass pass, Object scratch, float[] in, float[] out, float[] dOut, float[] dIn, int n, float[] grad) {
        if (dIn == null) {
            return;
        }
        java.util.Arrays.fill(dIn, 0, n * inSize, 0f);
        for (int e = 0; e < n; e++) {
            for (int ch = 0; ch < c; ch++) {
                int ib = e * inSize + ch * h * w;
                int ob = e * outSize + ch * oh * ow;
                for (int y = 0; y < oh; y++) {
                    for (int x = 0; x < ow; x++) {
                        int p = ib + 2 * y * w + 2 * x;
                        int o = ob + y * ow + x;
                        float m = out[o];
                        int at = in[p] == m ? p : in[p + 1] == m ? p + 1 : in[p + w] == m ? p + w : p + w + 1;
                        dIn[at] += dOut[o];
                    }
                }
            }
        }
    }
}
