package org.bmsim.sim.nn;

import java.util.List;

/**
 * The inference engine: a forward pass with fixed weights (the mean network or one Monte Carlo
 * weight sample) over a block of up to {@code width} images held batch-minor, every activation
 * stored as {@code [feature][example]}. A convolution is then, at each output position, a product
 * of the weight matrix with k*k*channels rows of the input that sit at fixed offsets
 * ({@link Gemm#mulRows}, im2col without copying), a dense layer is one {@link Gemm#mul}, pooling
 * and activations run along contiguous example vectors. Not shared between threads.
 */
public final class BatchMinorForward {
    private final Network net;
    private final List<Layer> layers;
    private final int width;
    /** Output of each layer, [outSize][width]; index 0 is the input. */
    private final float[][] acts;
    /** Zero-padded input of each padded convolution (null otherwise). */
    private final float[][] padded;
    /** Row offsets of each convolution's taps in its (padded) input. */
    private final int[][] taps;
    /** Applied to each activation layer's output (null: none). */
    private ActivationHook hook;

    public BatchMinorForward(Network net, int width) {
        this.net = net;
        this.layers = net.layers();
        this.width = width;
        int l = layers.size();
        acts = new float[l + 1][];
        padded = new float[l][];
        taps = new int[l][];
        acts[0] = new float[net.inputSize() * width];
        for (int i = 0; i < l; i++) {
            Layer layer = layers.get(i);
            acts[i + 1] = layer instanceof Flatten ? acts[i] : new float[layer.outSize() * width];
            if (layer instanceof Conv2d c) {
                int hp = c.h + 2 * c.pad;
                int wp = c.w + 2 * c.pad;
                if (c.pad > 0) {
                    padded[i] = new float[c.cin * hp * wp * width];
                }
                int[] t = new int[c.fanIn];
                for (int ch = 0; ch < c.cin; ch++) {
                    for (int ki = 0; ki < c.k; ki++) {
                        for (int kj = 0; kj < c.k; kj++) {
                            t[(ch * c.k + ki) * c.k + kj] = ((ch * hp + ki) * wp + kj) * width;
                        }
                    }
                }
                taps[i] = t;
            }
        }
    }

    public Network network() {
        return net;
    }

    /** Sets the transform applied to every activation layer's output (null removes it). */
    public void activationHook(ActivationHook hook) {
        this.hook = hook;
    }

    public int width() {
        return width;
    }

    /**
     * Logits of images {@code first .. first+n-1} of {@code x} (row-major images) with the weights
     * in {@code w} (parameter layout), into {@code out} from {@code outOff}, n x classes row-major.
     */
    public void logits(float[] w, float[] x, int first, int n, float[] out, int outOff) {
        if (n > width) {
            throw new IllegalArgumentException(n + " images for a block of " + width);
        }
        int size = net.inputSize();
        float[] in = acts[0];
        for (int e = 0; e < n; e++) {
            int src = (first + e) * size;
            for (int i = 0; i < size; i++) {
                in[i * width + e] = x[src + i];
            }
        }
        int activation = 0;
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            float[] a = acts[i];
            float[] b = acts[i + 1];
            if (layer instanceof Conv2d c) {
                conv(c, i, w, a, b);
            } else if (layer instanceof Dense d) {
                Gemm.mul(d.out, width, d.in, w, d.muOff, a, 0, b, 0, false);
                addBias(w, d.biasOff, d.out, 1, b);
            } else if (layer instanceof ActivationLayer f) {
                f.activation().apply(a, b, layer.outSize() * width);
                if (hook != null) {
                    hook.apply(activation, b, layer.outSize() * width);
                }
                activation++;
            } else if (layer instanceof MaxPool2d p) {
                pool(p, a, b);
            } else if (!(layer instanceof Flatten)) {
                throw new IllegalStateException("no batch-minor form of " + layer.getClass().getSimpleName());
            }
        }
        float[] z = acts[layers.size()];
        int c = net.classes();
        for (int e = 0; e < n; e++) {
            for (int j = 0; j < c; j++) {
                out[outOff + e * c + j] = z[j * width + e];
            }
        }
    }

    private void conv(Conv2d c, int li, float[] w, float[] a, float[] b) {
        float[] src = a;
        int wp = c.w + 2 * c.pad;
        if (c.pad > 0) {
            src = padded[li];
            int row = c.w * width;
            for (int ch = 0; ch < c.cin; ch++) {
                for (int y = 0; y < c.h; y++) {
                    System.arraycopy(a, (ch * c.h + y) * row, src,
                            ((ch * (c.h + 2 * c.pad) + y + c.pad) * wp + c.pad) * width, row);
                }
            }
        }
        int hw = c.oh * c.ow;
        for (int oy = 0; oy < c.oh; oy++) {
            for (int ox = 0; ox < c.ow; ox++) {
                int pos = oy * c.ow + ox;
                Gemm.mulRows(c.cout, width, c.fanIn, w, c.muOff, src, (oy * wp + ox) * width, taps[li], b, pos * width,
                        hw * width);
            }
        }
        addBias(w, c.biasOff, c.cout, hw, b);
    }

    private void addBias(float[] w, int biasOff, int channels, int positions, float[] b) {
        int per = positions * width;
        for (int o = 0; o < channels; o++) {
            float bias = w[biasOff + o];
            int base = o * per;
            for (int i = 0; i < per; i++) {
                b[base + i] += bias;
            }
        }
    }

    private void pool(MaxPool2d p, float[] a, float[] b) {
        int h = p.h;
        int wd = p.w;
        for (int ch = 0; ch < p.c; ch++) {
            for (int y = 0; y < p.oh; y++) {
                for (int x = 0; x < p.ow; x++) {
                    int i0 = ((ch * h + 2 * y) * wd + 2 * x) * width;
                    int i1 = i0 + width;
                    int i2 = i0 + wd * width;
                    int i3 = i2 + width;
                    int o = ((ch * p.oh + y) * p.ow + x) * width;
                    for (int e = 0; e < width; e++) {
                        b[o + e] = Math.max(Math.max(a[i0 + e], a[i1 + e]), Math.max(a[i2 + e], a[i3 + e]));
                    }
                }
            }
        }
    }
}
