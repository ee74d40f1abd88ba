package org.bmsim.calib.fit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.analysis.MultivariateFunction;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.exception.TooManyEvaluationsException;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.NelderMeadSimplex;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.SimplexOptimizer;
import org.bmsim.calib.data.Measurements;
import org.bmsim.common.BadInputException;
import org.bmsim.noise.device.NoiseRandom;
import org.bmsim.sim.nn.Parallel;

/**
 * Fits the project's noise models to measured read traces (docs/calibration.md has every formula).
 * Per level: the programming spread (a truncated-Gaussian maximum likelihood fit of the device
 * conductances, corrected for the read noise left in a device's mean and for the drift spread),
 * the read-noise family and scale, the drift exponent's mean and spread, the 1/f slope; over all
 * levels: the RTN dwell times and step, the stuck fractions; polynomials in G of the programming
 * spread and of the read-noise scale, with the degree chosen by BIC. Every parameter gets a BCa
 * bootstrap interval over devices (n - 1 drawn from each level of n, {@link #drawsPerLevel}; {@link BootstrapIntervals#bca}), replicate b drawing from
 * {@code NoiseRandom.of(seed).split(b)}: identical at any thread count. The curves' values at the
 * levels get percentile intervals, their degree chosen again in every replicate; so do the stuck
 * fractions, which rest on a few devices.
 */
public final class Calibrator {
    /** Options: bootstrap replicates, confidence level, seed, threads, largest polynomial degree. */
    public record Options(int bootstrap, double confidence, long seed, int threads, int maxDegree, double[] windowUs) {
        public Options {
            if (windowUs != null && (windowUs.length != 2 || !(windowUs[0] >= 0) || !(windowUs[1] > windowUs[0])
                    || !Double.isFinite(windowUs[1]))) {
                throw new BadInputException("the conductance window must be two numbers 0 <= g_min < g_max (uS), got "
                        + java.util.Arrays.toString(windowUs));
            }
            if (bootstrap < 20 || bootstrap > 100_000) {
                throw new BadInputException("bootstrap replicates must be in [20, 100000], got " + bootstrap);
            }
            if (!(confidence > 0.5 && confidence < 1)) {
                throw new BadInputException("confidence must be in (0.5, 1), got " + confidence);
            }
            if (maxDegree < 0 || maxDegree > 6) {
                throw new BadInputException("polynomial degree must be in [0, 6], got " + maxDegree);
            }
        }

        /**
         * Replicates by default: 1000, the number Efron and Tibshirani (1993, section 14.3 and chapter 19)
         * give for the percentiles of a BCa interval (25 .. 200 suffice for a standard error, not for a
         * 2.5% tail, which B = 200 puts on 5 replicates: the recovery study's pooled coverage rose from
         * 93.8% to 94.5% for rram-wan2022, docs/calibration.md section 7).
         */
        public static final int BOOTSTRAP = 1000;

        public static Options defaults(long seed, int threads) {
            return new Options(BOOTSTRAP, 0.95, seed, threads, 3, null);
        }

        public Options withWindow(double gMinUs, double gMaxUs) {
            return new Options(bootstrap, confidence, seed, threads, maxDegree, new double[] {gMinUs, gMaxUs});
        }

        public Options withBootstrap(int b) {
            return new Options(b, confidence, seed, threads, maxDegree, windowUs);
        }
    }

    private final Measurements m;
    private final DeviceTraces tr;
    private final Options opt;
    private final int levels;
    private final int[][] levelDevices;
    private final double[] meanX;
    private final double[] meanX2;
    private final double meanReads;
    final double stepMean;
    private ReadNoiseFamily family;
    private final double[] dataWindow;
    private double tDf = Double.NaN;

    private Calibrator(Measurements m, Options opt, Parallel par) {
        this.m = m;
        this.opt = opt;
        this.levels = m.levels();
        this.tr = new DeviceTraces(m);
        int[] count = m.devicesPerLevel();
        levelDevices = new int[levels][];
        for (int k = 0; k < levels; k++) {
            if (count[k] < 3) {
                throw new BadInputException(m.source() + ": level " + k + " has " + count[k]
                        + " devices; every level needs at least 3 for its spread");
            }
            levelDevices[k] = new int[count[k]];
        }
        int[] fill = new int[levels];
        for (int d = 0; d < m.devices(); d++) {
            int k = m.deviceLevel()[d];
            levelDevices[k][fill[k]++] = d;
        }
        meanX = new double[m.devices()];
        meanX2 = new double[m.devices()];
        long total = 0;
        for (int d = 0; d < m.devices(); d++) {
            int s = m.start()[d];
            int n = m.reads(d);
            double t0 = m.timeS()[s];
            double a = 0;
            double b = 0;
            for (int r = 0; r < n; r++) {
                double x = Math.log(m.timeS()[s + r] / t0);
                a += x;
                b += x * x;
            }
            meanX[d] = a / n;
            meanX2[d] = b / n;
            total += n;
        }
        meanReads = (double) total / m.devices();
        tr.pass1(par);
        int[] ones = new int[m.devices()];
        Arrays.fill(ones, 1);
        double[] rt = rtn(ones);
        boolean any = rt[2] > 0 && Double.isFinite(rt[2]);
        this.stepMean = any ? rt[2] * rt[3] : 0;
        tr.pass2(par, any ? rt[2] : 0, stepMean);
        if (opt.windowUs() == null) {
            double[] sorted = tr.mean.clone();
            Arrays.sort(sorted);
            this.dataWindow = WindowEnds.pileEnds(sorted, endMargin(ones, sorted[0], sorted[sorted.length - 1]),
                    medianMean(levelDevices[0]), medianMean(levelDevices[levels - 1]));
        } else {
            this.dataWindow = null;
        }
    }

    /** Runs the whole calibration. */
    public static CalibrationResult calibrate(Measurements m, Options opt) {
        return calibrate(m, null, opt);
    }

    /**
     * Runs the whole calibration of {@code m}, with the 1/f slope from a second measurement read fast
     * when {@code spectrum} is not null. A retention series (reads every 10 s over 1,000 s, for the
     * drift) samples below the 1/f band of a drifting device (its lower edge is 1 / t_first) and cannot
     * resolve the slope; a fast series (every 0.1 s) resolves it but spans too little log time for the
     * drift. The spectrum data are calibrated on their own (same options, the first data's window, so
     * their levels' interiors are found the same way) and give {@code flicker.slope}, its interval
     * over their devices, and their levels' spectra ({@link CalibrationResult.Spectrum}); everything
     * else comes from {@code m}.
     */
    public static CalibrationResult calibrate(Measurements m, Measurements spectrum, Options opt) {
        try (Parallel par = Parallel.of(opt.threads())) {
            CalibrationResult r = new Calibrator(m, opt, par).run(par);
            if (spectrum == null) {
                return r;
            }
            Options so = new Options(opt.bootstrap(), opt.confidence(), opt.seed(), opt.threads(), opt.maxDegree(),
                    r.windowUs());
            return r.withSpectrum(new Calibrator(spectrum, so, par).run(par));
        }
    }

    // ---- the estimate from device weights -------------------------------------------------

    /** Names of the estimate vector, in order. */
    List<String[]> names() {
        List<String[]> n = new ArrayList<>();
        for (int k = 0; k < levels; k++) {
            String p = "level" + k + ".";
            n.add(new String[] {p + "conductance", "uS"});
            n.add(new String[] {p + "sigma_prog", "uS"});
            n.add(new String[] {p + "read_scale", "uS"});
            n.add(new String[] {p + "nu_mean", "1"});
            n.add(new String[] {p + "nu_sd", "1"});
            n.add(new String[] {p + "flicker_slope", "1"});
            n.add(new String[] {p + "flicker_amplitude", "uS^2/Hz at 1 Hz"});
            n.add(new String[] {p + "white_psd", "uS^2/Hz"});
            n.add(new String[] {p + "noise_conductance", "uS"});
        }
        n.add(new String[] {"rtn.tau0", "s"});
        n.add(new String[] {"rtn.tau1", "s"});
        n.add(new String[] {"rtn.amplitude", "uS"});
        n.add(new String[] {"rtn.devices_fraction", "1"});
        n.add(new String[] {"stuck.p_min", "1"});
        n.add(new String[] {"stuck.p_max", "1"});
        n.add(new String[] {"flicker.slope", "1"});
        return n;
    }

    static final int PER_LEVEL = 9;
    /**
     * Lags of the residual autocovariance used for the noise of a device mean and of a drift slope.
     * The residuals are detrended, which biases long-lag autocovariances negative (their sum is
     * about zero by construction), so only the short lags that carry the correlated noise are used.
     */
    static final int SHORT_LAGS = 8;

    /** tau0, tau1, amplitude, pi1, fraction with RTN. */
    private double[] rtn(int[] w) {
        long[] c = new long[4];
        double amp = 0;
        long nAmp = 0;
        long all = 0;
        for (int d = 0; d < m.devices(); d++) {
            if (w[d] == 0) {
                continue;
            }
            all += w[d];
            if (!tr.rtn[d]) {
                continue;
            }
            for (int i = 0; i < 4; i++) {
                c[i] += w[d] * tr.transitions[d][i];
            }
            amp += w[d] * tr.step[d];
            nAmp += w[d];
        }
        if (nAmp == 0) {
            return new double[] {Double.NaN, Double.NaN, 0, 0, 0};
        }
        double p01 = (double) c[1] / (c[0] + c[1]);
        double p10 = (double) c[2] / (c[2] + c[3]);
        double lambdaDt = -Math.log1p(-(p01 + p10));
        double pi1 = p01 / (p01 + p10);
        double tau0 = tr.dtS / (lambdaDt * pi1);
        double tau1 = tr.dtS / (lambdaDt * (1 - pi1));
        return new double[] {tau0, tau1, amp / nAmp, pi1, (double) nAmp / all};
    }

    /** One estimate vector for device weights w (all ones = the data; multiplicities = a bootstrap replicate). */
    double[] estimate(int[] w, boolean rawFamilyFits) {
        double[] out = new double[levels * PER_LEVEL + 7];
        double[] windowEnds = window();
        double gMin = windowEnds[0];
        double gMax = windowEnds[1];
        double nAll = 0;
        double nLow = 0;
        double nHigh = 0;
        double expLow = 0;
        double expHigh = 0;
        double[] pooledPsd = new double[tr.psd[0].length];
        double pooledW = 0;
        double delta = endMargin(w, gMin, gMax);
        for (int k = 0; k < levels; k++) {
            int[] devs = levelDevices[k];
            // programming spread: truncated Gaussian ML of the interior device means over [a, b]
            double a = gMin + delta;
            double b = upperEnd(devs, w, a, gMax, delta);
            boolean[] interior = classify(devs, w, a, b);
            double nk = 0;
            for (int i = 0; i < devs.length; i++) {
                int d = devs[i];
                if (w[d] == 0) {
                    continue;
                }
                nk += w[d];
                if (!interior[i]) {
                    if (tr.mean[d] < a) {
                        nLow += w[d];
                    } else {
                        nHigh += w[d];
                    }
                }
            }
            nAll += nk;
            double v = meanNoiseVariance(devs, w, interior);
            // the drift statistics take every device inside [a, g_max - delta], the clipped ones too: clipping
            // is about the programmed conductance, not the exponent, so they are a fair sample of it, while
            // the clipped devices inside [a, b] are the ones of large exponent (those that drifted furthest),
            // which biased the top level's mu_nu 1 sd high
            double[] drift = drift(devs, w, classify(devs, w, a, gMax - delta));
            double nuMean = drift[0];
            double nuSd = drift[1];
            double[] mt = truncatedGaussian(devs, w, interior, a, b);
            double[] xm = logTimeMoments(devs, w, interior);
            double xb = xm[0];
            double x2 = xm[1];
            double ni = xm[2];
            double nuM = Double.isFinite(nuMean) ? nuMean : 0;
            double nuS = Double.isFinite(nuSd) ? nuSd : 0;
            double cbar = driftFactor(nuM, xb, x2);
            double dc = -(xb - nuM * x2);
            double tHat = mt[0] / cbar;
            double progVar = (mt[1] * mt[1] - v - tHat * tHat * dc * dc * nuS * nuS) / (cbar * cbar);
            // stuck: the interior Gaussian's mass beyond the thresholds is clipped devices, not stuck ones
            NormalDistribution z = new NormalDistribution(null, 0, 1);
            expLow += nk * z.cumulativeProbability((a - mt[0]) / mt[1]);
            expHigh += nk * (1 - z.cumulativeProbability((b - mt[0]) / mt[1]));
            // read noise scale
            double scale = readScale(devs, w, interior, rawFamilyFits);
            double gNoise = 0;
            double[] psd = new double[pooledPsd.length];
            for (int i = 0; i < devs.length; i++) {
                int d = devs[i];
                if (interior[i] && w[d] > 0) {
                    gNoise += w[d] * tr.trendMid[d];
                    for (int j = 0; j < psd.length; j++) {
                        psd[j] += w[d] * tr.psd[d][j];
                    }
                }
            }
            gNoise /= ni;
            for (int j = 0; j < psd.length; j++) {
                pooledPsd[j] += psd[j];
                psd[j] /= ni;
            }
            pooledW += ni;
            Spectra.PowerLaw pl = Spectra.fitAboveTrend(Spectra.frequencies(psd.length, tr.dtS), psd, 1 / tr.dtS);
            int o = k * PER_LEVEL;
            out[o] = tHat;
            out[o + 1] = Math.sqrt(Math.max(progVar, 0));
            out[o + 2] = scale;
            out[o + 3] = nuMean;
            out[o + 4] = nuSd;
            out[o + 5] = pl.slope();
            out[o + 6] = pl.amplitude();
            out[o + 7] = pl.white();
            out[o + 8] = gNoise;
        }
        double[] rt = rtn(w);
        int o = levels * PER_LEVEL;
        out[o] = rt[0];
        out[o + 1] = rt[1];
        out[o + 2] = rt[2];
        out[o + 3] = rt[4];
        // stuck: f_low = p1 + (1 - p1 - p2) A, f_high = p2 + (1 - p1 - p2) B
        double fa = nLow / nAll;
        double fb = nHigh / nAll;
        double aa = expLow / nAll;
        double bb = expHigh / nAll;
        // (1 - A) p1 - A p2 = fa - A ;  -B p1 + (1 - B) p2 = fb - B
        double det = (1 - aa) * (1 - bb) - aa * bb;
        double p1 = ((fa - aa) * (1 - bb) + aa * (fb - bb)) / det;
        double p2 = ((1 - aa) * (fb - bb) + bb * (fa - aa)) / det;
        out[o + 4] = Math.max(p1, 0);
        out[o + 5] = Math.max(p2, 0);
        for (int j = 0; j < pooledPsd.length; j++) {
            pooledPsd[j] /= pooledW;
        }
        out[o + 6] = Spectra.fitAboveTrend(Spectra.frequencies(pooledPsd.length, tr.dtS), pooledPsd, 1 / tr.dtS).slope();
        return out;
    }

    /** Devices of a level whose mean lies in [a, b]. */
    private boolean[] classify(int[] devs, int[] w, double a, double b) {
        boolean[] in = new boolean[devs.length];
        for (int i = 0; i < devs.length; i++) {
            double md = tr.mean[devs[i]];
            in[i] = w[devs[i]] > 0 && md >= a && md <= b;
        }
        return in;
    }

    /**
     * The upper end b of a level's interior: g_max - delta, or below it when the level drifts. A device
     * whose programming was clipped at g_max drifts like the others, so its mean read sits at
     * g_max cbar (cbar: the level's mean drift factor over the reads, below), not at g_max; read over
     * 1,000 s a PCM level drifts by 10%, which put the clipped devices inside [a, g_max - delta] and
     * biased the top level's spread 8% low. Stuck devices do not drift and stay at g_max. b is found
     * from the drift of the devices inside [a, g_max - delta] (the clipped ones drift with the level).
     * What it leaves: a clipped device whose own exponent is well above the level's mean sits below b
     * (about one in six at PCM's spread over 1,000 s) and enters the spread fit's interior at its top,
     * which biases the top level's spread with many devices (PCM from 1e6 reads: 13% high); the drift
     * statistics take all devices inside [a, g_max - delta] and are not biased. A lower b does not
     * help: selecting on the mean inside the level's bulk selects on the exponent too (tried:
     * b = g_max (c_bar - 3 sd_c) - delta gave mu_nu 10% high and an unstable fit).
     */
    private double upperEnd(int[] devs, int[] w, double a, double gMax, double delta) {
        double b = gMax - delta;
        boolean[] in = classify(devs, w, a, b);
        double nu = drift(devs, w, in)[0];
        if (!(nu > 0)) {
            return b;
        }
        double[] xm = logTimeMoments(devs, w, in);
        double c = driftFactor(nu, xm[0], xm[1]);
        return Math.min(b, gMax * c - delta);
    }

    /** The mean drift factor over a device's reads, mean of exp(-nu x) to second order: 1 - nu xb + nu^2 x2 / 2. */
    private static double driftFactor(double nu, double xb, double x2) {
        return 1 - nu * xb + 0.5 * nu * nu * x2;
    }

    /** {nu mean, nu sd} of the selected devices: the sd with the slopes' own noise variance removed. */
    private double[] drift(int[] devs, int[] w, boolean[] sel) {
        double sw = 0, s1 = 0, s2 = 0, estVar = 0;
        for (int i = 0; i < devs.length; i++) {
            int d = devs[i];
            if (!sel[i] || w[d] == 0 || !Double.isFinite(tr.nu[d])) {
                continue;
            }
            sw += w[d];
            s1 += w[d] * tr.nu[d];
            s2 += w[d] * tr.nu[d] * tr.nu[d];
            estVar += w[d] * tr.slopeNoiseVar[d];
        }
        double nuMean = sw > 0 ? s1 / sw : Double.NaN;
        double nuVar = sw > 1 ? (s2 - s1 * s1 / sw) / (sw - 1) : Double.NaN;
        double nuSd = sw > 1 ? Math.sqrt(Math.max(nuVar - estVar / sw, 0)) : Double.NaN;
        return new double[] {nuMean, nuSd};
    }

    /** {mean of x, mean of x^2, weight} over the selected devices, x = ln(t / t_first) averaged per device. */
    private double[] logTimeMoments(int[] devs, int[] w, boolean[] sel) {
        double xb = 0, x2 = 0, n = 0;
        for (int i = 0; i < devs.length; i++) {
            int d = devs[i];
            if (sel[i] && w[d] > 0) {
                xb += w[d] * meanX[d];
                x2 += w[d] * meanX2[d];
                n += w[d];
            }
        }
        return new double[] {xb / n, x2 / n, n};
    }

    /**
     * The margin delta that tells a device at a window end (stuck, or clipped by programming) from an
     * interior one: 6 sd of the noise in a device mean, the largest over the levels. One margin for
     * every level: a level's stuck and clipped devices sit at the window ends, where the read noise is
     * not the level's own (a low level's stuck-at-g_max devices have g_max's noise, which a margin from
     * the low level's noise would let into its interior, 23 spreads away from the level); the largest
     * level noise bounds the ends' when the noise grows with G up to the top level. The same margin is
     * the truncation point of the programming-spread fit, so the likelihood stays exact.
     */
    private double endMargin(int[] w, double gMin, double gMax) {
        double v = 0;
        for (int k = 0; k < levels; k++) {
            v = Math.max(v, meanNoiseVariance(levelDevices[k], w, null));
        }
        return 6 * Math.sqrt(v) + 1e-9 * (gMax - gMin);
    }

    /** The window: the option, else the ends of the device means' end piles ({@link WindowEnds#pileEnds}). */
    private double[] window() {
        if (opt.windowUs() != null) {
            return opt.windowUs().clone();
        }
        return dataWindow.clone();
    }

    /** The median device mean of a level. */
    private double medianMean(int[] devs) {
        double[] v = new double[devs.length];
        for (int i = 0; i < devs.length; i++) {
            v[i] = tr.mean[devs[i]];
        }
        Arrays.sort(v);
        return v[v.length / 2];
    }

    /** Devices a level needs inside its window ends for a spread. */
    static final int MIN_INTERIOR_DEVICES = 3;

    /** Pooled autocovariance of the residuals (absolute or relative) of the selected devices. */
    private double[] pooledAcov(int[] devs, int[] w, boolean[] sel, boolean relative) {
        double[] g = new double[tr.maxLag + 1];
        double[] n = new double[tr.maxLag + 1];
        for (int i = 0; i < devs.length; i++) {
            int d = devs[i];
            if (w[d] == 0 || (sel != null && !sel[i])) {
                continue;
            }
            double[] a = relative ? tr.acovRel[d] : tr.acov[d];
            for (int lag = 0; lag <= tr.maxLag; lag++) {
                g[lag] += w[d] * a[lag];
                n[lag] += w[d] * (m.reads(d) - lag);
            }
        }
        for (int lag = 0; lag <= tr.maxLag; lag++) {
            g[lag] = n[lag] > 0 ? g[lag] / n[lag] : 0;
        }
        // the trend fit removed TREND_PARAMETERS degrees of freedom from each trace
        double f = meanReads / (meanReads - DeviceTraces.TREND_PARAMETERS);
        for (int lag = 0; lag <= tr.maxLag; lag++) {
            g[lag] *= f;
        }
        return g;
    }

    /** Variance of a device's mean read due to read noise: (gamma_0 + 2 sum (1 - m/R) gamma_m) / R. */
    private double meanNoiseVariance(int[] devs, int[] w, boolean[] sel) {
        double[] g = pooledAcov(devs, w, sel, false);
        double r = meanReads;
        double v = g[0];
        for (int lag = 1; lag < Math.min(g.length, SHORT_LAGS + 1); lag++) {
            v += 2 * (1 - lag / r) * g[lag];
        }
        return Math.max(v, g[0]) / r;
    }

    /** ML of N(mu, s^2) truncated to (a, b) from the weighted interior device means: {mu, s}. */
    private double[] truncatedGaussian(int[] devs, int[] w, boolean[] sel, double a, double b) {
        double sw = 0, s1 = 0, s2 = 0;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < devs.length; i++) {
            int d = devs[i];
            if (sel[i] && w[d] > 0) {
                sw += w[d];
                s1 += w[d] * tr.mean[d];
                s2 += w[d] * tr.mean[d] * tr.mean[d];
                lo = Math.min(lo, tr.mean[d]);
                hi = Math.max(hi, tr.mean[d]);
            }
        }
        double mu0 = s1 / sw;
        if (!(hi > lo)) {
            // one distinct device (a bootstrap replicate that drew the same device of a small level every
            // time): the likelihood grows without bound as s -> 0, so the spread of these data is 0
            return new double[] {mu0, 0};
        }
        double sd0 = Math.sqrt(Math.max((s2 - s1 * s1 / sw) / (sw - 1), 1e-24));
        NormalDistribution z = new NormalDistribution(null, 0, 1);
        final double fsw = sw;
        final double fs1 = s1;
        final double fs2 = s2;
        double span = b - a;
        MultivariateFunction ll = p -> {
            double mu = p[0];
            double s = Math.exp(p[1]);
            // keep the search where the data can say something: the mean within two windows, sd below one
            if (mu < a - 2 * span || mu > b + 2 * span || s > span) {
                return -1e300;
            }
            double mass = z.cumulativeProbability((b - mu) / s) - z.cumulativeProbability((a - mu) / s);
            if (!(mass > 1e-300)) {
                return -1e300;
            }
            double ss = fs2 - 2 * mu * fs1 + fsw * mu * mu;
            return -fsw * Math.log(s) - 0.5 * ss / (s * s) - fsw * Math.log(mass);
        };
        SimplexOptimizer o = new SimplexOptimizer(1e-12, 1e-12);
        PointValuePair best;
        try {
            best = o.optimize(new MaxEval(4000), new ObjectiveFunction(ll), GoalType.MAXIMIZE,
                    new InitialGuess(new double[] {mu0, Math.log(sd0)}), new NelderMeadSimplex(new double[] {0.1 * sd0, 0.1}));
        } catch (TooManyEvaluationsException e) {
            // not converged: no estimate (a replicate's NaN is left out of the interval; the data's is an error in run)
            return new double[] {Double.NaN, Double.NaN};
        }
        return new double[] {best.getPoint()[0], Math.exp(best.getPoint()[1])};
    }

    /** The read-noise scale of the selected family for the level's interior devices. */
    private double readScale(int[] devs, int[] w, boolean[] sel, boolean raw) {
        double sq = 0, ab = 0, n = 0;
        for (int i = 0; i < devs.length; i++) {
            int d = devs[i];
            if (sel[i] && w[d] > 0) {
                sq += w[d] * tr.sumSq[d];
                ab += w[d] * tr.sumAbs[d];
                n += w[d] * m.reads(d);
            }
        }
        double dof = meanReads / (meanReads - DeviceTraces.TREND_PARAMETERS);
        return switch (family) {
            case GAUSSIAN -> Math.sqrt(sq / n * dof);
            // mean |u| of a Laplace sample loses almost nothing to the trend fit (the leverage h shrinks
            // the own term by (1 - h) and adds a Gaussian of variance ~2 b^2 h, whose mean |.| gains b h)
            case LAPLACE -> ab / n;
            case STUDENT_T -> {
                // df fixed at the data's estimate; the scale by the EM fixed point s^2 = mean(x^2 (nu+1) / (nu + x^2/s^2))
                double nu = tDf;
                double s2 = sq / n;
                for (int it = 0; it < 30; it++) {
                    double acc = 0;
                    for (int i = 0; i < devs.length; i++) {
                        int d = devs[i];
                        if (sel[i] && w[d] > 0) {
                            double part = 0;
                            for (int r = m.start()[d]; r < m.start()[d + 1]; r++) {
                                double x2 = tr.resid[r] * tr.resid[r];
                                part += x2 * (nu + 1) / (nu + x2 / s2);
                            }
                            acc += w[d] * part;
                        }
                    }
                    s2 = acc / n;
                }
                yield Math.sqrt(s2 * dof);
            }
        };
    }

    /** The residuals of the selected devices, each repeated by its weight. */
    double[] residuals(int[] devs, int[] w, boolean[] sel) {
        int n = 0;
        for (int i = 0; i < devs.length; i++) {
            if ((sel == null || sel[i]) && w[devs[i]] > 0) {
                n += w[devs[i]] * m.reads(devs[i]);
            }
        }
        double[] x = new double[n];
        int at = 0;
        for (int i = 0; i < devs.length; i++) {
            int d = devs[i];
            if ((sel == null || sel[i]) && w[d] > 0) {
                for (int rep = 0; rep < w[d]; rep++) {
                    System.arraycopy(tr.resid, m.start()[d], x, at, m.reads(d));
                    at += m.reads(d);
                }
            }
        }
        return x;
    }

    /** Where each selected device's residuals start in {@link #residuals} with unit weights, and the end. */
    private int[] residualStarts(int[] devs, boolean[] sel) {
        int count = 0;
        for (boolean b : sel) {
            count += b ? 1 : 0;
        }
        int[] starts = new int[count + 1];
        int j = 0;
        for (int i = 0; i < devs.length; i++) {
            if (sel[i]) {
                starts[j + 1] = starts[j] + m.reads(devs[i]);
                j++;
            }
        }
        return starts;
    }

    /** Which devices of level k are interior in the data (weights all one): the same ends as {@link #estimate}. */
    boolean[] interior(int k) {
        int[] devs = levelDevices[k];
        int[] ones = new int[m.devices()];
        Arrays.fill(ones, 1);
        double[] win = window();
        double delta = endMargin(ones, win[0], win[1]);
        double a = win[0] + delta;
        return classify(devs, ones, a, upperEnd(devs, ones, a, win[1], delta));
    }

    // ---- the whole run ---------------------------------------------------------------------

    private CalibrationResult run(Parallel par) {
        int[] ones = new int[m.devices()];
        Arrays.fill(ones, 1);
        // family selection on the data: per level, all three families on the interior residuals
        // the pooled fits (one scale per level) describe the level's residuals (goodness of fit, plots); the
        // selection compares the shapes with a scale per device (ReadNoiseFamily.selectionFit)
        List<Map<ReadNoiseFamily, ReadNoiseFamily.Fit>> familyFits = new ArrayList<>();
        List<Map<ReadNoiseFamily, ReadNoiseFamily.Selection>> selection = new ArrayList<>();
        double[] bic = new double[ReadNoiseFamily.values().length];
        List<double[]> levelResiduals = new ArrayList<>();
        for (int k = 0; k < levels; k++) {
            boolean[] in = interior(k);
            int inside = 0;
            for (boolean b : in) {
                inside += b ? 1 : 0;
            }
            // a spread needs devices: with one, the fit returned 0 (6 devices over 2 levels, the outer ones at
            // the window's ends, gave "sigma_prog 0.29 uS" from one device per level)
            if (inside < MIN_INTERIOR_DEVICES) {
                throw new BadInputException(m.source() + ": level " + k + " has " + inside + " device(s) away from the window"
                        + " ends (stuck and clipped ones left out); its spread needs at least " + MIN_INTERIOR_DEVICES);
            }
            double[] x = residuals(levelDevices[k], ones, in);
            levelResiduals.add(x);
            int[] starts = residualStarts(levelDevices[k], in);
            Map<ReadNoiseFamily, ReadNoiseFamily.Fit> fits = new LinkedHashMap<>();
            Map<ReadNoiseFamily, ReadNoiseFamily.Selection> sel = new LinkedHashMap<>();
            for (ReadNoiseFamily f : ReadNoiseFamily.values()) {
                fits.put(f, f.fit(x, 0, x.length));
                ReadNoiseFamily.Selection sf = f.selectionFit(x, starts);
                sel.put(f, sf);
                bic[f.ordinal()] += sf.bic();
            }
            familyFits.add(fits);
            selection.add(sel);
        }
        ReadNoiseFamily best = ReadNoiseFamily.GAUSSIAN;
        for (ReadNoiseFamily f : ReadNoiseFamily.values()) {
            if (bic[f.ordinal()] < bic[best.ordinal()]) {
                best = f;
            }
        }
        this.family = best;
        if (best == ReadNoiseFamily.STUDENT_T) {
            double num = 0;
            double den = 0;
            for (var f : familyFits) {
                num += f.get(best).df() * f.get(best).n();
                den += f.get(best).n();
            }
            tDf = num / den;
        }
        double[] point = estimate(ones, true);
        for (int k = 0; k < levels; k++) {
            if (!Double.isFinite(point[k * PER_LEVEL + 1])) {
                throw new BadInputException(m.source() + ": level " + k + ": the programming-spread fit did not converge on its "
                        + levelDevices[k].length + " devices; measure more devices per level");
            }
        }
        int nb = opt.bootstrap();
        double[][] reps = new double[nb][];
        NoiseRandom root = NoiseRandom.of(opt.seed());
        par.forEach(nb, (b, wk) -> {
            NoiseRandom r = root.split(b);
            int[] w = new int[m.devices()];
            for (int k = 0; k < levels; k++) {
                int[] devs = levelDevices[k];
                for (int i = 0; i < drawsPerLevel(devs.length); i++) {
                    w[devs[r.provider().nextInt(devs.length)]]++;
                }
            }
            reps[b] = estimate(w, true);
        });
        List<String[]> names = names();
        // the interior devices' mean periodogram per level, for the slopes' resolution and the plots
        double[] f = Spectra.frequencies(tr.psd[0].length, tr.dtS);
        double[][] levelPsd = new double[levels][];
        double[] pooledPsd = new double[f.length];
        int pooledN = 0;
        for (int k = 0; k < levels; k++) {
            boolean[] in = interior(k);
            levelPsd[k] = new double[f.length];
            int ni = 0;
            for (int i = 0; i < levelDevices[k].length; i++) {
                if (in[i]) {
                    ni++;
                    for (int j = 0; j < f.length; j++) {
                        levelPsd[k][j] += tr.psd[levelDevices[k][i]][j];
                    }
                }
            }
            for (int j = 0; j < f.length; j++) {
                pooledPsd[j] += levelPsd[k][j];
                levelPsd[k][j] /= ni;
            }
            pooledN += ni;
        }
        for (int j = 0; j < f.length; j++) {
            pooledPsd[j] /= pooledN;
        }
        boolean[] unresolved = unresolvedSlopes(names.size(), f, levelPsd, pooledPsd);
        List<CalibrationResult.Estimate> est = new ArrayList<>();
        double lo = 100 * (1 - opt.confidence()) / 2;
        double hi = 100 - lo;
        double[][] jack = groupedJackknife(par);
        for (int j = 0; j < names.size(); j++) {
            double[] col = BootstrapIntervals.column(reps, j);
            // the stuck fractions rest on a few devices (about 10 per end in 1000): a group of the jackknife
            // holds 0 or 1 of them, which makes the acceleration noise, so they keep the percentile interval
            // (with BCa rram-wan2022's p_max fell from 95 to 85 of 100 in the recovery study)
            // a 1/f slope the data do not resolve is not an estimate: NaN, and no interval
            if (unresolved[j]) {
                est.add(new CalibrationResult.Estimate(names.get(j)[0], names.get(j)[1], Double.NaN, Double.NaN, Double.NaN));
                continue;
            }
            double[] ci = !Double.isFinite(point[j]) ? new double[] {Double.NaN, Double.NaN}
                    : names.get(j)[0].startsWith("stuck.")
                    ? new double[] {BootstrapIntervals.pct(col, lo), BootstrapIntervals.pct(col, hi)}
                    : BootstrapIntervals.bca(point[j], col, BootstrapIntervals.column(jack, j), opt.confidence());
            est.add(new CalibrationResult.Estimate(names.get(j)[0], names.get(j)[1], point[j], ci[0], ci[1]));
        }
        // polynomials in G: programming spread and read-noise scale, degree by BIC with bootstrap weights
        double[] g = new double[levels];
        double[] gNoise = new double[levels];
        double[] sp = new double[levels];
        double[] rs = new double[levels];
        double[] spVar = new double[levels];
        double[] rsVar = new double[levels];
        for (int k = 0; k < levels; k++) {
            int o = k * PER_LEVEL;
            g[k] = m.targetIsConductance() ? m.levelTargets()[k] : point[o];
            gNoise[k] = point[o + 8];
            sp[k] = point[o + 1];
            rs[k] = point[o + 2];
            spVar[k] = BootstrapIntervals.variance(BootstrapIntervals.column(reps, o + 1));
            rsVar[k] = BootstrapIntervals.variance(BootstrapIntervals.column(reps, o + 2));
        }
        double[] win = window();
        CalibrationResult.Curve prog = LevelCurves.fit(m.source(), opt.maxDegree(), "sigma_prog", g, sp, spVar, reps, PER_LEVEL, 1,
                win, true, lo, hi, m.targetIsConductance() ? null : 0);
        CalibrationResult.Curve read = LevelCurves.fit(m.source(), opt.maxDegree(), "read_scale", gNoise, rs, rsVar, reps,
                PER_LEVEL, 2, win, false, lo, hi, 8);
        // goodness of fit per level for the chosen family
        List<GoodnessOfFit> gof = new ArrayList<>();
        List<CalibrationResult.LevelPlot> plots = new ArrayList<>();
        for (int k = 0; k < levels; k++) {
            double[] x = levelResiduals.get(k);
            ReadNoiseFamily.Fit fit = familyFits.get(k).get(best);
            gof.add(GoodnessOfFit.of(x, fit.distribution()));
            // the plot shows the fit itself, also where its slope is not resolved (then NaN in the estimates)
            plots.add(new CalibrationResult.LevelPlot(k, x, fit, f, levelPsd[k],
                    Spectra.fitAboveTrend(f, levelPsd[k], 1 / tr.dtS)));
        }
        return new CalibrationResult(m, opt, best, familyFits, selection, est, prog, read, gof, plots, tr.dtS, win, stepMean,
                warnings(point), null);
    }

    /** What the data cannot support ({@link CalibrationWarnings#of}). */
    private List<String> warnings(double[] point) {
        int o = levels * PER_LEVEL;
        return CalibrationWarnings.of(point[o], point[o + 1], point[o + 2], meanSpanS(), meanReads);
    }

    /** The mean span of a device's reads, last read minus first plus one read interval. */
    private double meanSpanS() {
        double s = 0;
        for (int d = 0; d < m.devices(); d++) {
            int a = m.start()[d];
            s += m.timeS()[a + m.reads(d) - 1] - m.timeS()[a];
        }
        return s / m.devices() + tr.dtS;
    }

    /**
     * Which of the estimates are 1/f slopes that the data do not resolve: the fit's power law at the
     * lowest fitted bin is below {@link Spectra#RESOLVED_RATIO} times the floor (white and folded), so the
     * slope only shapes the floor (docs/calibration.md section 7). Decided once on the data, so that
     * every bootstrap replicate of a resolved slope counts.
     */
    private boolean[] unresolvedSlopes(int estimates, double[] f, double[][] levelPsd, double[] pooledPsd) {
        boolean[] out = new boolean[estimates];
        for (int k = 0; k < levels; k++) {
            out[k * PER_LEVEL + 5] = !Spectra.resolved(f, Spectra.fitAboveTrend(f, levelPsd[k], 1 / tr.dtS));
        }
        out[levels * PER_LEVEL + 6] = !Spectra.resolved(f, Spectra.fitAboveTrend(f, pooledPsd, 1 / tr.dtS));
        return out;
    }

    /**
     * Devices a bootstrap replicate draws (with replacement) from a level of n: n - 1. The mean of n
     * draws from n values varies by (n - 1) / n of the variance of a mean of n new devices (the
     * plug-in variance), so n draws make every interval sqrt((n - 1) / n) too narrow: 13% at the 4
     * devices per level of a spectrum series, where flicker.slope's intervals were 0.83 of the
     * estimates' spread and covered 87 of 100. n - 1 draws per stratum make the bootstrap variance of
     * a stratified mean the unbiased one (McCarthy and Snowden 1985, "The bootstrap and finite
     * population sampling", Vital and Health Statistics 2(95); Rao and Wu 1988, JASA 83(401), section
     * 3). At 125 devices per level the intervals widen by 0.4%.
     */
    static int drawsPerLevel(int n) {
        return n - 1;
    }

    /** Groups of the jackknife: device i of every level belongs to group i mod JACKKNIFE_GROUPS. */
    static final int JACKKNIFE_GROUPS = 25;

    /**
     * The delete-a-group jackknife estimates: group g leaves out device i of every level with
     * i mod G = g, G = min({@link #JACKKNIFE_GROUPS}, fewest devices in a level). A grouped jackknife
     * gives the BCa acceleration at G estimates instead of one per device (Efron and Tibshirani 1993,
     * section 11.5; the acceleration is a smooth functional, which groups estimate as well as
     * single deletions).
     */
    private double[][] groupedJackknife(Parallel par) {
        int groups = JACKKNIFE_GROUPS;
        for (int[] devs : levelDevices) {
            groups = Math.min(groups, devs.length);
        }
        final int gCount = groups;
        double[][] out = new double[gCount][];
        par.forEach(gCount, (g, wk) -> {
            int[] w = new int[m.devices()];
            for (int[] devs : levelDevices) {
                for (int i = 0; i < devs.length; i++) {
                    w[devs[i]] = i % gCount == g ? 0 : 1;
                }
            }
            out[g] = estimate(w, true);
        });
        return out;
    }
}
