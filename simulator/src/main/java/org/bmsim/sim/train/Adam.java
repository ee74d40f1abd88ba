package org.bmsim.sim.train;

/**
 * Adam (Kingma and Ba 2015, "Adam: A Method for Stochastic Optimization") with bias correction,
 * beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8, and the cosine learning-rate schedule (Loshchilov and
 * Hutter 2017, "SGDR") without restarts.
 */
public final class Adam {
    public static final double BETA1 = 0.9;
    public static final double BETA2 = 0.999;
    public static final float EPS = 1e-8f;

    private Adam() {
    }

    /** Learning rate at step t of {@code total} (0-based): lr * (1 + cos(pi t / total)) / 2. */
    public static float cosine(float lr, long t, long total) {
        return (float) (lr * 0.5 * (1 + Math.cos(Math.PI * t / total)));
    }

    /**
     * Bias-corrected step sizes of update {@code t} (1-based): {lr / (1 - beta1^t), 1 / (1 - beta2^t)}.
     */
    public static float[] corrections(float lr, long t) {
        return new float[] {(float) (lr / (1 - Math.pow(BETA1, t))), (float) (1 / (1 - Math.pow(BETA2, t)))};
    }

    /**
     * One update of parameter i with gradient g: m, v updated in place; returns the new parameter.
     * {@code c} comes from {@link #corrections}.
     */
    public static float update(float p, float g, float[] m, float[] v, int i, float[] c) {
        float mi = (float) (BETA1 * m[i] + (1 - BETA1) * g);
        float vi = (float) (BETA2 * v[i] + (1 - BETA2) * g * g);
        m[i] = mi;
        v[i] = vi;
        return p - c[0] * mi / ((float) Math.sqrt(vi * c[1]) + EPS);
    }
}
