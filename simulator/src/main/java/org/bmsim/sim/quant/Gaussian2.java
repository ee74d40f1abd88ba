package org.bmsim.sim.quant;

/**
 * A 2-D Gaussian in the (mu, sigma) plane of stochastic weight sharing: mean (m0, m1) and full
 * covariance [[c00, c01], [c01, c11]], with the few 2x2 formulas weight sharing needs in closed
 * form (Lin, Guan, Jing, Botterweck, Patane, AISTATS 2025, arXiv 2505.17856).
 */
public record Gaussian2(double m0, double m1, double c00, double c01, double c11) {
    /** The 95% quantile of chi-square with 2 degrees of freedom, -2 ln 0.05 = 5.991: the ellipse radius^2. */
    public static final double CHI2_95 = -2 * Math.log(0.05);
    /** Covariance floor added to the diagonal so that a degenerate cluster stays invertible. */
    public static final double RIDGE = 1e-9;

    public double det() {
        return c00 * c11 - c01 * c01;
    }

    /** Squared Mahalanobis distance of (x0, x1). */
    public double mahalanobis2(double x0, double x1) {
        double d0 = x0 - m0;
        double d1 = x1 - m1;
        double det = det();
        return (c11 * d0 * d0 - 2 * c01 * d0 * d1 + c00 * d1 * d1) / det;
    }

    /** ln pdf at (x0, x1). */
    public double logPdf(double x0, double x1) {
        return -Math.log(2 * Math.PI) - 0.5 * Math.log(det()) - 0.5 * mahalanobis2(x0, x1);
    }

    /**
     * The principal square root of a symmetric positive semi-definite 2x2 matrix [[a, b], [b, d]]:
     * sqrt(M) = (M + s I) / t with s = sqrt(det M), t = sqrt(tr M + 2 s). Returns {r00, r01, r11}.
     */
    public static double[] sqrtm(double a, double b, double d) {
        double s = Math.sqrt(Math.max(0, a * d - b * b));
        double t = Math.sqrt(Math.max(0, a + d + 2 * s));
        if (t == 0) {
            return new double[] {0, 0, 0};
        }
        return new double[] {(a + s) / t, b / t, (d + s) / t};
    }

    /**
     * The squared 2-Wasserstein distance between two Gaussians:
     * |m1 - m2|^2 + tr(S1 + S2 - 2 (S1^1/2 S2 S1^1/2)^1/2).
     */
    public static double w2Squared(Gaussian2 g, Gaussian2 h) {
        double dm = (g.m0 - h.m0) * (g.m0 - h.m0) + (g.m1 - h.m1) * (g.m1 - h.m1);
        double[] r = sqrtm(g.c00, g.c01, g.c11);
        // M = R S2 R with R symmetric
        double a0 = r[0] * h.c00 + r[1] * h.c01;
        double a1 = r[0] * h.c01 + r[1] * h.c11;
        double b0 = r[1] * h.c00 + r[2] * h.c01;
        double b1 = r[1] * h.c01 + r[2] * h.c11;
        double m00 = a0 * r[0] + a1 * r[1];
        double m01 = a0 * r[1] + a1 * r[2];
        double m11 = b0 * r[1] + b1 * r[2];
        double[] q = sqrtm(m00, m01, m11);
        double tr = g.c00 + g.c11 + h.c00 + h.c11 - 2 * (q[0] + q[2]);
        return dm + Math.max(0, tr);
    }

    /** The merge of two Gaussians: mean and covariance averaged (spec). */
    public static Gaussian2 average(Gaussian2 g, Gaussian2 h) {
        return new Gaussian2((g.m0 + h.m0) / 2, (g.m1 + h.m1) / 2, (g.c00 + h.c00) / 2, (g.c01 + h.c01) / 2,
                (g.c11 + h.c11) / 2);
    }
}
