package org.bmsim.sim.nn;

/**
 * Convolution as a matrix product (im2col): the patches of one image become the columns of a
 * (channels * k * k) x (outRows * outCols) matrix, so that a convolution is
 * {@code W[out x channels*k*k] * cols}. With a row stride {@code ld} larger than outRows * outCols,
 * the patches of several images sit side by side and one product convolves them all. {@link #col2im} is its adjoint (it adds patch gradients back
 * onto the image), used for the input gradient. Stride 1, zero padding {@code pad}.
 */
public final class Im2col {
    private Im2col() {
    }

    /** Output height or width of a stride-1 convolution. */
    public static int outSize(int in, int k, int pad) {
        return in + 2 * pad - k + 1;
    }

    /** Fills {@code cols} (from {@code cOff}) with the patches of image {@code x[xOff ..]} of shape c x h x w. */
    public static void im2col(float[] x, int xOff, int c, int h, int w, int k, int pad, float[] cols, int cOff) {
        im2col(x, xOff, c, h, w, k, pad, cols, cOff, outSize(h, k, pad) * outSize(w, k, pad));
    }

    /** As {@link #im2col(float[], int, int, int, int, int, int, float[], int)} with row stride {@code ld}. */
    public static void im2col(float[] x, int xOff, int c, int h, int w, int k, int pad, float[] cols, int cOff, int ld) {
        int oh = outSize(h, k, pad);
        int ow = outSize(w, k, pad);
        int hw = ld;
        for (int ch = 0; ch < c; ch++) {
            int xc = xOff + ch * h * w;
            for (int ki = 0; ki < k; ki++) {
                for (int kj = 0; kj < k; kj++) {
                    int row = cOff + ((ch * k + ki) * k + kj) * hw;
                    for (int oy = 0; oy < oh; oy++) {
                        int iy = oy + ki - pad;
                        int dst = row + oy * ow;
                        if (iy < 0 || iy >= h) {
                            java.util.Arrays.fill(cols, dst, dst + ow, 0f);
                            continue;
                        }
                        // valid ox: 0 <= ox + kj - pad < w
                        int lo = Math.max(0, pad - kj);
                        int hi = Math.min(ow, w + pad - kj);
                        int src = xc + iy * w + kj - pad;
                        for (int ox = 0; ox < lo; ox++) {
                            cols[dst + ox] = 0f;
                        }
                        for (int ox = lo; ox < hi; ox++) {
                            cols[dst + ox] = x[src + ox];
                        }
                        for (int ox = Math.max(lo, hi); ox < ow; ox++) {
                            cols[dst + ox] = 0f;
                        }
                    }
                }
            }
        }
    }

    /**
     * The patches as rows: {@code rows[rOff + q * (c k k) + f] = patch f of output position q}, the
     * transpose of {@link #im2col}'s layout (one crossbar read per output position, its inputs
     * contiguous).
     */
    public static void im2row(float[] x, int xOff, int c, int h, int w, int k, int pad, float[] rows, int rOff) {
        int oh = outSize(h, k, pad);
        int ow = outSize(w, k, pad);
        int fan = c * k * k;
        for (int oy = 0; oy < oh; oy++) {
            for (int ox = 0; ox < ow; ox++) {
                int dst = rOff + (oy * ow + ox) * fan;
                for (int ch = 0; ch < c; ch++) {
                    int xc = xOff + ch * h * w;
                    for (int ki = 0; ki < k; ki++) {
                        int iy = oy + ki - pad;
                        int d = dst + (ch * k + ki) * k;
                        if (iy < 0 || iy >= h) {
                            java.util.Arrays.fill(rows, d, d + k, 0f);
                            continue;
                        }
                        int src = xc + iy * w + ox - pad;
                        // valid kj: 0 <= ox + kj - pad < w
                        int lo = Math.max(0, pad - ox);
                        int hi = Math.min(k, w + pad - ox);
                        for (int kj = 0; kj < lo; kj++) {
                            rows[d + kj] = 0f;
                        }
                        for (int kj = lo; kj < hi; kj++) {
                            rows[d + kj] = x[src + kj];
                        }
                        for (int kj = Math.max(lo, hi); kj < k; kj++) {
                            rows[d + kj] = 0f;
                        }
                    }
                }
            }
        }
    }

    /** Adds the patch gradients {@code cols} back onto {@code dx[dxOff ..]} (which the caller zeroes). */
    public static void col2im(float[] cols, int cOff, int c, int h, int w, int k, int pad, float[] dx, int dxOff) {
        col2im(cols, cOff, c, h, w, k, pad, dx, dxOff, outSize(h, k, pad) * outSize(w, k, pad));
    }

    /** As {@link #col2im(float[], int, int, int, int, int, int, float[], int)} with row stride {@code ld}. */
    public static void col2im(float[] cols, int cOff, int c, int h, int w, int k, int pad, float[] dx, int dxOff, int ld) {
        int oh = outSize(h, k, pad);
        int ow = outSize(w, k, pad);
        int hw = ld;
        for (int ch = 0; ch < c; ch++) {
            int xc = dxOff + ch * h * w;
            for (int ki = 0; ki < k; ki++) {
                for (int kj = 0; kj < k; kj++) {
                    int row = cOff + ((ch * k + ki) * k + kj) * hw;
                    for (int oy = 0; oy < oh; oy++) {
                        int iy = oy + ki - pad;
                        if (iy < 0 || iy >= h) {
                            continue;
                        }
                        int src = row + oy * ow;
                        int lo = Math.max(0, pad - kj);
                        int hi = Math.min(ow, w + pad - kj);
                        int dst = xc + iy * w + kj - pad;
                        for (int ox = lo; ox < hi; ox++) {
                            dx[dst + ox] += cols[src + ox];
                        }
                    }
                }
            }
        }
    }
}
