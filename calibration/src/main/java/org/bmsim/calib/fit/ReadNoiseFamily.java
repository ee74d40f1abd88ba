package org.bmsim.calib.fit;

import org.apache.commons.math3.analysis.MultivariateFunction;
import org.apache.commons.math3.distribution.LaplaceDistribution;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.RealDistribution;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.NelderMeadSimplex;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.SimplexOptimizer;
import org.apache.commons.math3.special.Gamma;

/**
 * The candidate shapes of memoryless read noise around a device's own mean, location 0 (residuals of
 * a per-device trend), fitted by maximum likelihood:
 *
 * <pre>
 *   gaussian   density exp(-x^2 / (2 s^2)) / (s sqrt(2 pi))            MLE s^2 = mean(x^2)         1 parameter
 *   laplace    density exp(-|x| / b) / (2 b)                           MLE b = mean(|x|)           1 parameter
 *   student-t  density of s T_nu:  Gamma((nu+1)/2) / (Gamma(nu/2) sqrt(nu pi) s) (1 + x^2/(nu s^2))^(-(nu+1)/2)
 *              MLE (s, nu) by Nelder-Mead (Commons Math) over (ln s, ln nu)               2 parameters
 *   AIC = 2k - 2 lnL,  BIC = k ln n - 2 lnL
 * </pre>
 *
 * The scale is the family's own: sigma for gaussian, b for laplace (sd = sqrt(2) b, the form of
 * {@code LaplaceReadNoise}), s for student-t (sd = s sqrt(nu / (nu - 2)) for nu &gt; 2).
 */
public enum ReadNoiseFamily {
    GAUSSIAN("gaussian", 1), LAPLACE("laplace", 1), STUDENT_T("student-t", 2);

    private final String label;
    private final int parameters;

    ReadNoiseFamily(String label, int parameters) {
        this.label = label;
        this.parameters = parameters;
    }

    public String label() {
        return label;
    }

    public int parameters() {
        return parameters;
    }

    /** One family's fit to residuals: scale, df (student-t only, else NaN), log-likelihood, n. */
    public record Fit(ReadNoiseFamily family, double scale, double df, double logLikelihood, long n) {
        public double aic() {
            return 2 * family.parameters - 2 * logLikelihood;
        }

        public double bic() {
            return family.parameters * Math.log(n) - 2 * logLikelihood;
        }

        /** The fitted distribution (Commons Math), for goodness-of-fit tests and plots. */
        public RealDistribution distribution() {
            return family.distribution(scale, df);
        }

        /** Standard deviation of the fitted noise (infinite for student-t with nu &lt;= 2). */
        public double sd() {
            return switch (family) {
                case GAUSSIAN -> scale;
                case LAPLACE -> Math.sqrt(2) * scale;
                case STUDENT_T -> df > 2 ? scale * Math.sqrt(df / (df - 2)) : Double.POSITIVE_INFINITY;
            };
        }
    }

    /** The distribution with this family's scale (and df). */
    public RealDistribution distribution(double scale, double df) {
        return switch (this) {
            case GAUSSIAN -> new NormalDistribution(null, 0, scale);
            case LAPLACE -> new LaplaceDistribution(null, 0, scale);
            case STUDENT_T -> new ScaledT(scale, df);
        };
    }

    /** Fits the family to x (location 0). */
    public Fit fit(double[] x, int from, int to) {
        long n = to - from;
        switch (this) {
            case GAUSSIAN -> {
                double s2 = 0;
                for (int i = from; i < to; i++) {
                    s2 += x[i] * x[i];
                }
                s2 /= n;
                double ll = -0.5 * n * (Math.log(2 * Math.PI * s2) + 1);
                return new Fit(this, Math.sqrt(s2), Double.NaN, ll, n);
            }
            case LAPLACE -> {
                double b = 0;
                for (int i = from; i < to; i++) {
                    b += Math.abs(x[i]);
                }
                b /= n;
                double ll = -n * (Math.log(2 * b) + 1);
                return new Fit(this, b, Double.NaN, ll, n);
            }
            default -> {
                double s2 = 0;
                for (int i = from; i < to; i++) {
                    s2 += x[i] * x[i];
                }
                double s0 = Math.sqrt(s2 / n);
                MultivariateFunction f = p -> tLogLikelihood(x, from, to, Math.exp(p[0]), Math.exp(p[1]));
                SimplexOptimizer opt = new SimplexOptimizer(1e-10, 1e-8);
                PointValuePair best = opt.optimize(new MaxEval(2000), new ObjectiveFunction(f), GoalType.MAXIMIZE,
                        new InitialGuess(new double[] {Math.log(s0 * 0.8), Math.log(8)}), new NelderMeadSimplex(new double[] {0.2, 0.5}));
                double df = Math.min(Math.exp(best.getPoint()[1]), 1e6);
                return new Fit(this, Math.exp(best.getPoint()[0]), df, best.getValue(), n);
            }
        }
    }

    /**
     * The selection fit: the family's shape with a scale of each device's own (a nuisance parameter per
     * device, profiled out), location 0. Devices of one level differ in noise scale (a scale that
     * grows with G, and the programming spread puts the level's devices at different G; PCM's 1/f
     * amplitude is |g| Q_s(g)): pooled, their residuals are a scale mixture, heavier-tailed than any
     * one device's, which a shared-scale fit would credit to a heavy-tailed family. With a scale per
     * device the families are compared on the shape alone:
     * <pre>
     *   gaussian   ln L = sum_d -n_d/2 (ln(2 pi s_d^2) + 1),   s_d^2 = mean_d(x^2)
     *   laplace    ln L = sum_d -n_d (ln(2 b_d) + 1),          b_d = mean_d(|x|)
     *   student-t  ln L = max over nu of sum_d ln L_t(x_d; s_d(nu), nu), s_d(nu) by the EM fixed point
     *              s^2 = mean_d(x^2 (nu + 1) / (nu + x^2 / s^2)); nu by Brent's method (Commons Math) over ln nu
     *   BIC = (D + k_shape) ln n - 2 ln L   (D device scales; k_shape = 1 for student-t's nu, else 0)
     * </pre>
     *
     * @param x residuals of the devices, one after the other
     * @param starts device d's residuals are x[starts[d] .. starts[d + 1]); starts.length = D + 1
     */
    public Selection selectionFit(double[] x, int[] starts) {
        int devs = starts.length - 1;
        long n = starts[devs] - starts[0];
        switch (this) {
            case GAUSSIAN -> {
                double ll = 0;
                for (int d = 0; d < devs; d++) {
                    int m = starts[d + 1] - starts[d];
                    double s2 = 0;
                    for (int i = starts[d]; i < starts[d + 1]; i++) {
                        s2 += x[i] * x[i];
                    }
                    s2 = Math.max(s2 / m, Double.MIN_NORMAL);
                    ll += -0.5 * m * (Math.log(2 * Math.PI * s2) + 1);
                }
                return new Selection(this, Double.NaN, ll, n, devs);
            }
            case LAPLACE -> {
                double ll = 0;
                for (int d = 0; d < devs; d++) {
                    int m = starts[d + 1] - starts[d];
                    double b = 0;
                    for (int i = starts[d]; i < starts[d + 1]; i++) {
                        b += Math.abs(x[i]);
                    }
                    b = Math.max(b / m, Double.MIN_NORMAL);
                    ll += -m * (Math.log(2 * b) + 1);
                }
                return new Selection(this, Double.NaN, ll, n, devs);
            }
            default -> {
                org.apache.commons.math3.optim.univariate.BrentOptimizer brent =
                        new org.apache.commons.math3.optim.univariate.BrentOptimizer(1e-6, 1e-9);
                org.apache.commons.math3.optim.univariate.UnivariatePointValuePair best = brent.optimize(new MaxEval(200),
                        new org.apache.commons.math3.optim.univariate.UnivariateObjectiveFunction(
                                lnNu -> perDeviceTLogLikelihood(x, starts, Math.exp(lnNu))),
                        GoalType.MAXIMIZE, new org.apache.commons.math3.optim.univariate.SearchInterval(Math.log(0.5),
                                Math.log(1e4)));
                return new Selection(this, Math.exp(best.getPoint()), best.getValue(), n, devs);
            }
        }
    }

    /** Student-t log-likelihood with a given nu and each device's scale at its maximum (EM fixed point). */
    static double perDeviceTLogLikelihood(double[] x, int[] starts, double nu) {
        double ll = 0;
        for (int d = 0; d + 1 < starts.length; d++) {
            int from = starts[d];
            int to = starts[d + 1];
            double s2 = 0;
            for (int i = from; i < to; i++) {
                s2 += x[i] * x[i];
            }
            s2 = Math.max(s2 / (to - from), Double.MIN_NORMAL);
            for (int it = 0; it < 40; it++) {
                double acc = 0;
                for (int i = from; i < to; i++) {
                    double x2 = x[i] * x[i];
                    acc += x2 * (nu + 1) / (nu + x2 / s2);
                }
                double next = Math.max(acc / (to - from), Double.MIN_NORMAL);
                boolean done = Math.abs(next - s2) <= 1e-10 * s2;
                s2 = next;
                if (done) {
                    break;
                }
            }
            ll += tLogLikelihood(x, from, to, Math.sqrt(s2), nu);
        }
        return ll;
    }

    /** A family's selection fit ({@link #selectionFit}): df (student-t), log-likelihood, reads n, devices D. */
    public record Selection(ReadNoiseFamily family, double df, double logLikelihood, long n, int devices) {
        public double bic() {
            return (devices + family.parameters - 1) * Math.log(n) - 2 * logLikelihood;
        }

        public double aic() {
            return 2 * (devices + family.parameters - 1) - 2 * logLikelihood;
        }
    }

    static double tLogLikelihood(double[] x, int from, int to, double s, double nu) {
        if (!(s > 0) || !(nu > 0) || nu > 1e7) {
            return Double.NEGATIVE_INFINITY;
        }
        long n = to - from;
        double c = Gamma.logGamma((nu + 1) / 2) - Gamma.logGamma(nu / 2) - 0.5 * Math.log(nu * Math.PI) - Math.log(s);
        double acc = 0;
        double k = 1.0 / (nu * s * s);
        for (int i = from; i < to; i++) {
            acc += Math.log1p(x[i] * x[i] * k);
        }
        return n * c - 0.5 * (nu + 1) * acc;
    }

    /** Parses a label. */
    public static ReadNoiseFamily parse(String s) {
        for (ReadNoiseFamily f : values()) {
            if (f.label.equals(s)) {
                return f;
            }
        }
        throw new org.bmsim.common.BadInputException("unknown read-noise family '" + s + "'; known: gaussian, laplace, student-t");
    }

    /** s T_nu as a Commons Math distribution (for KS, quantiles). */
    static final class ScaledT extends org.apache.commons.math3.distribution.AbstractRealDistribution {
        private static final long serialVersionUID = 1L;
        private final double s;
        private final TDistribution t;

        ScaledT(double s, double nu) {
            super(null);
            this.s = s;
            this.t = new TDistribution(null, nu);
        }

        @Override
        public double density(double x) {
            return t.density(x / s) / s;
        }

        @Override
        public double cumulativeProbability(double x) {
            return t.cumulativeProbability(x / s);
        }

        @Override
        public double inverseCumulativeProbability(double p) {
            return s * t.inverseCumulativeProbability(p);
        }

        @Override
        public double getNumericalMean() {
            return 0;
        }

        @Override
        public double getNumericalVariance() {
            return s * s * t.getNumericalVariance();
        }

        @Override
        public double getSupportLowerBound() {
            return Double.NEGATIVE_INFINITY;
        }

        @Override
        public double getSupportUpperBound() {
            return Double.POSITIVE_INFINITY;
        }

        @Override
        public boolean isSupportLowerBoundInclusive() {
            return false;
        }

        @Override
        public boolean isSupportUpperBoundInclusive() {
            return false;
        }

        @Override
        public boolean isSupportConnected() {
            return true;
        }
    }
}
