package org.bmsim.sim.nn;

/** Softmax and its cross-entropy, the one place these formulas live. */
public final class Softmax {
    private Softmax() {
    }

    /** p[pOff ..] = softmax(z[zOff ..]) over {@code c} classes, shifted by the max for stability. */
    public static void softmax(float[] z, int zOff, int c, float[] p, int pOff) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < c; j++) {
            max = Math.max(max, z[zOff + j]);
        }
        double sum = 0;
        for (int j = 0; j < c; j++) {
            double e = Math.exp(z[zOff + j] - max);
            p[pOff + j] = (float) e;
            sum += e;
        }
        float inv = (float) (1.0 / sum);
        for (int j = 0; j < c; j++) {
            p[pOff + j] *= inv;
        }
    }

    /**
     * Cross-entropy -ln softmax(z)[label] of one example, and its gradient with respect to the logits
     * times {@code scale} into {@code dz} (softmax(z) - onehot(label)) * scale.
     */
    public static double crossEntropy(float[] z, int zOff, int c, int label, float scale, float[] dz, int dzOff) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < c; j++) {
            max = Math.max(max, z[zOff + j]);
        }
        double sum = 0;
        for (int j = 0; j < c; j++) {
            sum += Math.exp(z[zOff + j] - max);
        }
        double logSum = Math.log(sum) + max;
        for (int j = 0; j < c; j++) {
            float p = (float) Math.exp(z[zOff + j] - logSum);
            dz[dzOff + j] = (p - (j == label ? 1f : 0f)) * scale;
        }
        return logSum - z[zOff + label];
    }
}
