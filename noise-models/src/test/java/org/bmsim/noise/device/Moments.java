package org.bmsim.noise.device;

/**
 * Sample moments and the bounds statistical tests use. Every bound is Z = 5 standard errors of
 * the estimate: with the (asymptotically normal) estimators below, a correct sampler fails one
 * check with probability about 5.7e-7 per check for a random seed; the seeds are fixed, so a test
 * that passes once passes always.
 */
public final class Moments {
    /** Standard errors allowed; two-sided normal tail 5.7e-7. */
    public static final double Z = 5.0;

    private Moments() {
    }

    public static double mean(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v;
        }
        return s / x.length;
    }

    public static double variance(double[] x) {
        double m = mean(x);
        double s = 0;
        for (double v : x) {
            s += (v - m) * (v - m);
        }
        return s / (x.length - 1);
    }

    /** Pearson correlation of two equally long samples. */
    public static double correlation(double[] x, double[] y) {
        double mx = mean(x);
        double my = mean(y);
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxy / Math.sqrt(sxx * syy);
    }

    /** Bound on |sample mean - mu| for n draws with standard deviation sigma. */
    public static double meanBound(double sigma, int n) {
        return Z * sigma / Math.sqrt(n);
    }

    /**
     * Bound on |sample variance - sigma^2| for n draws with kurtosis kappa (3 for a Gaussian, 6 for
     * a Laplace): the standard error of the sample variance is sigma^2 sqrt((kappa - 1) / n).
     */
    public static double varianceBound(double sigma2, double kurtosis, int n) {
        return Z * sigma2 * Math.sqrt((kurtosis - 1) / n);
    }

    /** Bound on |sample correlation - rho| for n independent pairs (Fisher): (1 - rho^2) / sqrt(n). */
    public static double correlationBound(double rho, int n) {
        return Z * (1 - rho * rho) / Math.sqrt(n - 3) + 1e-12;
    }

    /** Bound on |observed fraction - p| for n Bernoulli trials. */
    public static double proportionBound(double p, int n) {
        return Z * Math.sqrt(p * (1 - p) / n) + 1e-12;
    }
}
