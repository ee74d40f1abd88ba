package org.bmsim.examples.dirty;

/**
 * Making an ambiguous digit from two real ones (Dirty-MNIST-lite recipe, step 2): shift each so its
 * intensity centroid is at pixel (14, 14), blend x = l a + (1 - l) b, renormalise the peak to 1,
 * round to 8 bits. Images are row-major 8-bit greys, 0 = black. Stateless, double arithmetic only
 * (bit-identical everywhere).
 */
public final class Blend {
    /** Where the centroid goes: row and column index 14 of a 28 x 28 image. */
    public static final int CENTRE = 14;

    private Blend() {
    }

    /** Intensity centroid {row, col} of an image (pixel indices weighted by value); the centre of an empty image. */
    public static double[] centroid(byte[] img, int off, int rows, int cols) {
        double sum = 0;
        double r = 0;
        double c = 0;
        for (int y = 0; y < rows; y++) {
            for (int x = 0; x < cols; x++) {
                int v = img[off + y * cols + x] & 0xFF;
                sum += v;
                r += (double) v * y;
                c += (double) v * x;
            }
        }
        if (sum == 0) {
            return new double[] {CENTRE, CENTRE};
        }
        return new double[] {r / sum, c / sum};
    }

    /**
     * The image shifted by whole pixels so that its centroid lands as close to (14, 14) as whole
     * pixels allow (shift = round(14 - centroid), halves rounded up); pixels shifted out are dropped,
     * pixels shifted in are black. Returns values in [0, 1].
     */
    public static double[] centred(byte[] img, int off, int rows, int cols) {
        double[] c = centroid(img, off, rows, cols);
        int dy = (int) Math.floor(CENTRE - c[0] + 0.5);
        int dx = (int) Math.floor(CENTRE - c[1] + 0.5);
        double[] out = new double[rows * cols];
        for (int y = 0; y < rows; y++) {
            int sy = y - dy;
            if (sy < 0 || sy >= rows) {
                continue;
            }
            for (int x = 0; x < cols; x++) {
                int sx = x - dx;
                if (sx >= 0 && sx < cols) {
                    out[y * cols + x] = (img[off + sy * cols + sx] & 0xFF) / 255.0;
                }
            }
        }
        return out;
    }

    /**
     * l a + (1 - l) b of two centred images, divided by its peak, rounded to 8 bits
     * (round(255 v), halves up). An all-black blend stays black.
     */
    public static byte[] blend(double[] a, double[] b, double l) {
        int n = a.length;
        double[] x = new double[n];
        double peak = 0;
        for (int i = 0; i < n; i++) {
            x[i] = l * a[i] + (1 - l) * b[i];
            peak = Math.max(peak, x[i]);
        }
        byte[] out = new byte[n];
        if (peak == 0) {
            return out;
        }
        for (int i = 0; i < n; i++) {
            out[i] = (byte) (int) Math.floor(x[i] / peak * 255.0 + 0.5);
        }
        return out;
    }
}
