package org.bmsim.sim.nn;

/** 2 x 2 max pooling, stride 2, per channel (odd trailing rows/columns are dropped, as in PyTorch). */
public final class MaxPool2d extends Layer {
    private final int c;
    private final int h;
    private final int w;
    private final int oh;
    private final int ow;

    MaxPool2d(String name, int c, int h, int w) {
        super(name, c * h * w, c * (h / 2) * (w / 2));
        this.c = c;
        this.h = h;
        this.w = w;
        this.oh = h / 2;
        this.ow = w / 2;
    }

    @Override
    Object newScratch(int maxBatch) {
        return new int[maxBatch * outSize];
    }

    @Override
    void forward(Pass pass, Object scratch, float[] in, float[] out, int n) {
        int[] arg = (int[]) scratch;
        for (int e = 0; e < n; e++) {
            for (int ch = 0; ch < c; ch++) {
                int ib = e * inSize + ch * h * w;
                int ob = e * outSize + ch * oh * ow;
                for (int y = 0; y < oh; y++) {
                    for (int x = 0; x < ow; x++) {
                        int p = ib + 2 * y * w + 2 * x;
                        int best = p;
                        if (in[p + 1] > in[best]) {
                            best = p + 1;
                        }
                        if (in[p + w] > in[best]) {
                            best = p + w;
                        }
                        if (in[p + w + 1] > in[best]) {
                            best = p + w + 1;
                        }
                        out[ob + y * ow + x] = in[best];
                        if (arg != null) {
                            arg[ob + y * ow + x] = best;
                        }
                    }
                }
            }
        }
    }

    @Override
    void backward(Pass pass, Object scratch, float[] in, float[] out, float[] dOut, float[] dIn, int n, float[] grad) {
        if (dIn == null) {
            return;
        }
        int[] arg = (int[]) scratch;
        java.util.Arrays.fill(dIn, 0, n * inSize, 0f);
        for (int i = 0; i < n * outSize; i++) {
            dIn[arg[i]] += dOut[i];
        }
    }
}
