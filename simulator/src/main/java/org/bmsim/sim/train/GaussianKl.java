package org.bmsim.sim.train;

/**
 * KL(q || p) of one weight with q = N(mu, sigma^2) and prior p = N(0, s^2), in closed form
 * (Blundell et al. 2015, "Weight Uncertainty in Neural Networks", with a Gaussian prior):
 * ln(s / sigma) + (sigma^2 + mu^2) / (2 s^2) - 1/2, and its partial derivatives.
 */
public final class GaussianKl {
    private GaussianKl() {
    }

    public static double value(double mu, double sigma, double priorSigma) {
        return Math.log(priorSigma / sigma) + (sigma * sigma + mu * mu) / (2 * priorSigma * priorSigma) - 0.5;
    }

    /** d KL / d mu = mu / s^2. */
    public static float dMu(float mu, float priorSigma) {
        return mu / (priorSigma * priorSigma);
    }

    /** d KL / d sigma = -1 / sigma + sigma / s^2. */
    public static float dSigma(float sigma, float priorSigma) {
        return -1f / sigma + sigma / (priorSigma * priorSigma);
    }
}
