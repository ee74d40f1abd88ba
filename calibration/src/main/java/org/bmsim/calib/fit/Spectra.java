package org.bmsim.calib.fit;

import org.apache.commons.math3.fitting.leastsquares.LeastSquaresBuilder;
import org.apache.commons.math3.fitting.leastsquares.LeastSquaresOptimizer;
import org.apache.commons.math3.fitting.leastsquares.LevenbergMarquardtOptimizer;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.RealVector;
import org.apache.commons.math3.util.Pair;

/**
 * The 1/f fit of an averaged Welch periodogram: a white floor plus a power law seen through the
 * sampling,
 *
 * <pre>
 *   S(f) = w + A [ f^-alpha + sum_{k=1..K} ((k fs - f)^-alpha + (k fs + f)^-alpha) ]     [uS^2/Hz]
 *   fitted as ln S by Levenberg-Marquardt (Commons Math) over (ln w, ln A, alpha), alpha kept in [-1, 4]
 * </pre>
 *
 * A at 1 Hz; alpha = 1 for 1/f noise, 0 for white, 2 for a single Lorentzian above its corner.
 *
 * <p>Why the alias terms: a read samples the conductance at one instant (a 250 ns integration), so
 * every component of the 1/f noise up to 1/(2 t_read), MHz, folds into the band [0, fs/2] of reads
 * taken fs apart (the periodogram of a sampled process is the sum of the continuous spectrum over
 * f + k fs; Percival and Walden, <i>Spectral Analysis for Physical Applications</i>, 1993, section
 * 4.5). For alpha near 1 the folded power is several times the in-band 1/f power at fs/2: the first
 * alias pairs rise toward fs/2 and flatten a plain power law's slope (a PCM trace read every 0.1 s gave
 * alpha = 0.26 for a true 1). The pairs beyond K = {@value #ALIASES} differ from a constant over the band by
 * less than alpha (alpha + 1) / (8 K^2) of their sum and go into the floor w, with the white read noise.
 */
public final class Spectra {
    private Spectra() {
    }

    /** Explicit alias pairs of the model. */
    public static final int ALIASES = 16;

    /**
     * The fitted floor w, amplitude A and slope alpha of reads taken at samplingHz (infinite: the
     * power law without aliases).
     */
    public record PowerLaw(double white, double amplitude, double slope, double samplingHz) {
        public double at(double f) {
            return white + amplitude * aliased(f, slope, samplingHz);
        }

        /**
         * The power law's direct term A f^-alpha over the floor at f (the white part and the folded
         * alias terms): where it stays small at every resolved frequency, the slope only shapes the
         * folded floor and is not measured.
         */
        public double directOverFloor(double f) {
            double direct = amplitude * Math.pow(f, -slope);
            return direct / (white + amplitude * aliased(f, slope, samplingHz) - direct);
        }
    }

    /**
     * The direct term at the lowest fitted bin must be at least this many times the floor for the slope
     * to count as measured: the power law is then at least 2/3 of the spectrum there. A PCM trace of
     * 100 reads every 0.1 s reaches about 1 (its slope came out 0.85 for a true 1), every 10 s about
     * 0.3; 2048 reads every 0.1 s from 500 s about 10 (recovered: section 7 of docs/calibration.md).
     */
    public static final double RESOLVED_RATIO = 2;

    /** Whether a fit's slope is resolved: {@link PowerLaw#directOverFloor} at the lowest fitted bin >= {@link #RESOLVED_RATIO}. */
    public static boolean resolved(double[] f, PowerLaw pl) {
        int k = Math.min(SKIP_BINS, Math.max(0, f.length - 4));
        return pl.directOverFloor(f[k]) >= RESOLVED_RATIO;
    }

    /** f^-alpha plus its {@link #ALIASES} alias pairs at sampling frequency fs (none when fs is infinite). */
    static double aliased(double f, double alpha, double fs) {
        double s = Math.pow(f, -alpha);
        if (Double.isFinite(fs)) {
            for (int k = 1; k <= ALIASES; k++) {
                s += Math.pow(k * fs - f, -alpha) + Math.pow(k * fs + f, -alpha);
            }
        }
        return s;
    }

    /** d/dalpha of {@link #aliased}. */
    private static double aliasedSlopeDerivative(double f, double alpha, double fs) {
        double s = -Math.log(f) * Math.pow(f, -alpha);
        if (Double.isFinite(fs)) {
            for (int k = 1; k <= ALIASES; k++) {
                double a = k * fs - f;
                double b = k * fs + f;
                s -= Math.log(a) * Math.pow(a, -alpha) + Math.log(b) * Math.pow(b, -alpha);
            }
        }
        return s;
    }

    /** Frequencies j / (L dt), j = 1 .. L/2, of a periodogram with L/2 bins. */
    public static double[] frequencies(int bins, double dtS) {
        double[] f = new double[bins];
        for (int j = 0; j < bins; j++) {
            f[j] = (j + 1) / (2.0 * bins * dtS);
        }
        return f;
    }

    /**
     * Bins left out at the low end: the per-trace trend removal (a quadratic in ln t) takes the power
     * of the lowest bins of every segment, which would flatten the slope.
     */
    public static final int SKIP_BINS = 2;

    /** Fits the model to a periodogram of reads at samplingHz above its {@link #SKIP_BINS} lowest bins. */
    public static PowerLaw fitAboveTrend(double[] f, double[] p, double samplingHz) {
        int k = Math.min(SKIP_BINS, Math.max(0, f.length - 4));
        return fit(java.util.Arrays.copyOfRange(f, k, f.length), java.util.Arrays.copyOfRange(p, k, p.length), samplingHz);
    }

    /** Fits the model to a periodogram (all values &gt; 0) of reads at samplingHz (infinite: no aliases). */
    public static PowerLaw fit(double[] f, double[] p, double samplingHz) {
        int n = f.length;
        double[] y = new double[n];
        double minP = Double.POSITIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            y[i] = Math.log(Math.max(p[i], 1e-300));
            minP = Math.min(minP, Math.max(p[i], 1e-300));
        }
        double[] start = {Math.log(minP * 0.5), Math.log(Math.max(p[0] * f[0] * 0.5, 1e-300)), 1.0};
        LeastSquaresBuilder b = new LeastSquaresBuilder().start(start).target(y).maxEvaluations(2000).maxIterations(500)
                .parameterValidator(v -> {
                    RealVector c = v.copy();
                    c.setEntry(2, Math.max(-1, Math.min(4, v.getEntry(2))));
                    c.setEntry(0, Math.max(-700, Math.min(700, v.getEntry(0))));
                    c.setEntry(1, Math.max(-700, Math.min(700, v.getEntry(1))));
                    return c;
                })
                .model(point -> {
                    double lw = point.getEntry(0);
                    double la = point.getEntry(1);
                    double al = point.getEntry(2);
                    double[] val = new double[n];
                    double[][] jac = new double[n][3];
                    for (int i = 0; i < n; i++) {
                        double w = Math.exp(lw);
                        double amp = Math.exp(la);
                        double pl = amp * aliased(f[i], al, samplingHz);
                        double s = w + pl;
                        val[i] = Math.log(s);
                        jac[i][0] = w / s;
                        jac[i][1] = pl / s;
                        jac[i][2] = amp * aliasedSlopeDerivative(f[i], al, samplingHz) / s;
                    }
                    return new Pair<>(new ArrayRealVector(val, false), new Array2DRowRealMatrix(jac, false));
                });
        try {
            LeastSquaresOptimizer.Optimum o = new LevenbergMarquardtOptimizer().optimize(b.build());
            RealVector v = o.getPoint();
            return new PowerLaw(Math.exp(v.getEntry(0)), Math.exp(v.getEntry(1)), v.getEntry(2), samplingHz);
        } catch (org.apache.commons.math3.exception.MathIllegalStateException e) {
            return new PowerLaw(Double.NaN, Double.NaN, Double.NaN, samplingHz);
        }
    }
}
