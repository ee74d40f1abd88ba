package org.bmsim.calib.fit;

import org.apache.commons.math3.transform.DftNormalization;
import org.apache.commons.math3.transform.FastFourierTransformer;
import org.apache.commons.math3.transform.TransformType;
import org.bmsim.calib.data.Measurements;
import org.bmsim.common.BadInputException;
import org.bmsim.sim.nn.Parallel;

/**
 * The per-device pass of a calibration: each device's trace reduced to the statistics the level fits
 * need, in two passes over the data (both parallel over devices, each device on its own, so the
 * result does not depend on the thread count).
 *
 * <pre>
 *   x_r = ln(t_r / t_first)                                  (log time since the first read)
 *   pass 1, RTN:  two-level detection by 1-D 2-means on the raw trace g, then again on
 *                 e = g - quadratic trend in x of (g - a s) (the steps removed before the trend is fitted),
 *                 repeated until the step a stops changing;
 *                 accepted when the gap between the level means exceeds 4 pooled within-level sd and lies
 *                 within [0.5, 1.5] x the median gap of the devices (one trap type);
 *                 state s_r in {0, 1}, step a_d, transition counts n00, n01, n10, n11
 *   pass 2:       h = g - a s_r + a pi_1      (the step of the pooled fit removed, its stationary mean restored)
 *                 m_d   = mean(h)                                          device conductance
 *                 nu_d  = -slope of ln h on x (least squares), if every h &gt; 0   drift exponent
 *                 v_d   = (slope_1 - slope_2)^2 (1/Sxx) / (1/Sxx_1 + 1/Sxx_2)  its noise variance, from
 *                         the slopes of the two halves of the trace (same exponent, independent noise)
 *                 u     = h - quadratic trend in x                         read-noise residual
 *                 autocovariance sums of u and of u / m_d up to lag M = min(R/4, 64);
 *                 Welch periodogram of u: Hann segments of L = 2^floor(log2(R/2)) reads, 50% overlap
 * </pre>
 */
final class DeviceTraces {
    static final int TREND_PARAMETERS = 3;
    /** Passes of the RTN step and trend fixed point (it converges in a few; a cap for pathological traces). */
    static final int MAX_STEP_PASSES = 20;

    final Measurements m;
    final int devices;
    final int maxLag;
    final int segment;
    final double dtS;
    // pass 1
    final byte[] state;
    final double[] step;
    final boolean[] rtn;
    final long[][] transitions; // [device][n00, n01, n10, n11]
    // pass 2
    final double[] mean;
    final double[] nu;
    final double[] slopeNoiseVar;
    final double[] slopeWeights0; // sum_r w_r^2 .. used with lags below
    final double[][] slopeWeightLags;
    final double[] resid;
    final double[] sumSq;
    final double[] sumAbs;
    final double[][] acov;
    final double[][] acovRel;
    final double[][] psd;
    final double[] trendMid; // the fitted trend at the middle read (the level conductance seen by the noise)

    DeviceTraces(Measurements m) {
        this.m = m;
        this.devices = m.devices();
        int minReads = Integer.MAX_VALUE;
        double dtSum = 0;
        long dtN = 0;
        for (int d = 0; d < devices; d++) {
            minReads = Math.min(minReads, m.reads(d));
            int s = m.start()[d];
            int e = m.start()[d + 1];
            if (e - s >= 2) {
                dtSum += (m.timeS()[e - 1] - m.timeS()[s]) / (e - s - 1);
                dtN++;
            }
        }
        if (minReads < 16) {
            throw new BadInputException(m.source() + ": every device needs at least 16 reads for the noise fits, "
                    + "the fewest is " + minReads);
        }
        this.dtS = dtSum / dtN;
        this.maxLag = Math.min(minReads / 4, 64);
        int seg = Integer.highestOneBit(minReads / 2);
        this.segment = Math.max(8, seg);
        int rows = m.rows();
        state = new byte[rows];
        step = new double[devices];
        rtn = new boolean[devices];
        transitions = new long[devices][4];
        mean = new double[devices];
        nu = new double[devices];
        slopeNoiseVar = new double[devices];
        slopeWeights0 = new double[devices];
        slopeWeightLags = new double[devices][];
        resid = new double[rows];
        sumSq = new double[devices];
        sumAbs = new double[devices];
        acov = new double[devices][];
        acovRel = new double[devices][];
        psd = new double[devices][];
        trendMid = new double[devices];
    }

    void pass1(Parallel par) {
        par.forEach(devices, (d, w) -> detect(d));
        // one trap type: a device whose step is far from the typical one (e.g. a stuck device's reads
        // piled up at 0 uS split into two clusters) has no detected RTN
        double[] steps = new double[devices];
        int n = 0;
        for (int d = 0; d < devices; d++) {
            if (rtn[d]) {
                steps[n++] = step[d];
            }
        }
        if (n == 0) {
            return;
        }
        double[] s = java.util.Arrays.copyOf(steps, n);
        java.util.Arrays.sort(s);
        double median = s[n / 2];
        for (int d = 0; d < devices; d++) {
            if (rtn[d] && (step[d] < 0.5 * median || step[d] > 1.5 * median)) {
                rtn[d] = false;
                step[d] = 0;
                java.util.Arrays.fill(transitions[d], 0);
                java.util.Arrays.fill(state, m.start()[d], m.start()[d + 1], (byte) 0);
            }
        }
    }

    void pass2(Parallel par, double amplitude, double stepMean) {
        par.forEach(devices, (d, w) -> reduce(d, amplitude, stepMean));
    }

    /** Pass 1: RTN detection on one device. */
    private void detect(int d) {
        int s = m.start()[d];
        int n = m.reads(d);
        double[] x = logTimes(d);
        double[] g = new double[n];
        System.arraycopy(m.gUs(), s, g, 0, n);
        double[] e = new double[n];
        byte[] st = new byte[n];
        double a = 0;
        boolean found = false;
        // iterate the step and the trend to a fixed point: a trend fitted to g - a s with a wrong step a
        // keeps part of the error (the states are slow, so the trend follows them), which pulls the
        // next step toward the wrong one; a PCM trace drifting 10% over its reads left the pooled step
        // 0.1% low after one correction, 1.2 of its own sd
        double prev = Double.NaN;
        for (int pass = 0; pass < MAX_STEP_PASSES; pass++) {
            if (pass == 0) {
                // first on the raw trace: a trend fitted through the steps would bend them
                System.arraycopy(g, 0, e, 0, n);
            } else {
                double[] h = g.clone();
                for (int r = 0; r < n; r++) {
                    h[r] -= a * st[r];
                }
                double[] c = quadraticFit(x, h);
                for (int r = 0; r < n; r++) {
                    e[r] = g[r] - (c[0] + c[1] * x[r] + c[2] * x[r] * x[r]);
                }
            }
            double[] res = twoMeans(e, st);
            found = res != null;
            a = found ? res[0] : 0;
            if (!found) {
                java.util.Arrays.fill(st, (byte) 0);
                break;
            }
            if (pass > 0 && Math.abs(a - prev) <= 1e-12 * Math.abs(a)) {
                break;
            }
            prev = a;
        }
        rtn[d] = found;
        step[d] = a;
        if (found) {
            System.arraycopy(st, 0, state, s, n);
            long[] t = transitions[d];
            for (int r = 1; r < n; r++) {
                t[st[r - 1] * 2 + st[r]]++;
            }
        }
    }

    /** 1-D 2-means on e; returns {gap} and fills states, or null when the two levels are not separated. */
    private static double[] twoMeans(double[] e, byte[] st) {
        int n = e.length;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double v : e) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        if (!(hi > lo)) {
            return null;
        }
        double c0 = lo;
        double c1 = hi;
        for (int it = 0; it < 50; it++) {
            double thr = 0.5 * (c0 + c1);
            double s0 = 0;
            double s1 = 0;
            int n0 = 0;
            int n1 = 0;
            for (double v : e) {
                if (v > thr) {
                    s1 += v;
                    n1++;
                } else {
                    s0 += v;
                    n0++;
                }
            }
            if (n0 == 0 || n1 == 0) {
                return null;
            }
            double nc0 = s0 / n0;
            double nc1 = s1 / n1;
            if (nc0 == c0 && nc1 == c1) {
                break;
            }
            c0 = nc0;
            c1 = nc1;
        }
        double thr = 0.5 * (c0 + c1);
        double ss = 0;
        int n0 = 0;
        int n1 = 0;
        for (int r = 0; r < n; r++) {
            boolean up = e[r] > thr;
            st[r] = (byte) (up ? 1 : 0);
            double dv = e[r] - (up ? c1 : c0);
            ss += dv * dv;
            if (up) {
                n1++;
            } else {
                n0++;
            }
        }
        if (n0 < 2 || n1 < 2) {
            return null;
        }
        double sw = Math.sqrt(ss / (n - 2));
        double gap = c1 - c0;
        return gap > 4 * sw ? new double[] {gap} : null;
    }

    /** Pass 2: the reductions of one device, with the level step mean a pi_1 restored. */
    private void reduce(int d, double amplitude, double stepMean) {
        int s = m.start()[d];
        int n = m.reads(d);
        double[] x = logTimes(d);
        double[] h = new double[n];
        double sum = 0;
        boolean positive = true;
        for (int r = 0; r < n; r++) {
            h[r] = m.gUs()[s + r] - amplitude * state[s + r] + (rtn[d] ? stepMean : 0);
            sum += h[r];
            positive &= h[r] > 0;
        }
        double md = sum / n;
        mean[d] = md;
        // drift: least squares slope of ln h on x
        double xm = 0;
        for (double v : x) {
            xm += v;
        }
        xm /= n;
        double sxx = 0;
        for (double v : x) {
            sxx += (v - xm) * (v - xm);
        }
        if (positive && sxx > 0) {
            double[] lh = new double[n];
            for (int r = 0; r < n; r++) {
                lh[r] = Math.log(h[r]);
            }
            double[] all = slope(x, lh, 0, n);
            double[] first = slope(x, lh, 0, n / 2);
            double[] second = slope(x, lh, n / 2, n);
            nu[d] = -all[0];
            // the two halves see the same exponent, so their difference is noise only; scaled to the
            // whole trace as white noise would be: Var(slope) = s^2 / Sxx
            double dn = first[0] - second[0];
            slopeNoiseVar[d] = dn * dn * (1 / all[1]) / (1 / first[1] + 1 / second[1]);
        } else {
            nu[d] = Double.NaN;
            slopeNoiseVar[d] = Double.NaN;
        }
        double[] wl = new double[maxLag + 1];
        for (int lag = 0; lag <= maxLag; lag++) {
            double acc = 0;
            for (int r = 0; r + lag < n; r++) {
                acc += (x[r] - xm) * (x[r + lag] - xm);
            }
            wl[lag] = sxx > 0 ? acc / (sxx * sxx) : 0;
        }
        slopeWeightLags[d] = wl;
        double[] c = quadraticFit(x, h);
        double s2 = 0;
        double s1 = 0;
        for (int r = 0; r < n; r++) {
            double u = h[r] - (c[0] + c[1] * x[r] + c[2] * x[r] * x[r]);
            resid[s + r] = u;
            s2 += u * u;
            s1 += Math.abs(u);
        }
        double xc = x[n / 2];
        trendMid[d] = c[0] + c[1] * xc + c[2] * xc * xc;
        sumSq[d] = s2;
        sumAbs[d] = s1;
        double[] ac = new double[maxLag + 1];
        double[] acr = new double[maxLag + 1];
        double inv = md != 0 ? 1.0 / md : 0;
        for (int lag = 0; lag <= maxLag; lag++) {
            double acc = 0;
            for (int r = s; r + lag < s + n; r++) {
                acc += resid[r] * resid[r + lag];
            }
            ac[lag] = acc;
            acr[lag] = acc * inv * inv;
        }
        acov[d] = ac;
        acovRel[d] = acr;
        psd[d] = welch(resid, s, n, segment, dtS);
    }

    /** Least-squares slope of y on x over [from, to) and its Sxx. */
    private static double[] slope(double[] x, double[] y, int from, int to) {
        double xm = 0;
        double ym = 0;
        for (int r = from; r < to; r++) {
            xm += x[r];
            ym += y[r];
        }
        xm /= to - from;
        ym /= to - from;
        double sxx = 0;
        double sxy = 0;
        for (int r = from; r < to; r++) {
            sxx += (x[r] - xm) * (x[r] - xm);
            sxy += (x[r] - xm) * (y[r] - ym);
        }
        return new double[] {sxy / sxx, sxx};
    }

    /** Log time since the device's first read. */
    private double[] logTimes(int d) {
        int s = m.start()[d];
        int n = m.reads(d);
        double t0 = m.timeS()[s];
        double[] x = new double[n];
        for (int r = 0; r < n; r++) {
            x[r] = Math.log(m.timeS()[s + r] / t0);
        }
        return x;
    }

    /** Least squares y = c0 + c1 x + c2 x^2 by the normal equations on centred x (3 x 3, Cramer). */
    static double[] quadraticFit(double[] x, double[] y) {
        int n = x.length;
        double xm = 0;
        for (double v : x) {
            xm += v;
        }
        xm /= n;
        double s1 = 0, s2 = 0, s3 = 0, s4 = 0, t0 = 0, t1 = 0, t2 = 0;
        for (int i = 0; i < n; i++) {
            double z = x[i] - xm;
            double z2 = z * z;
            s1 += z;
            s2 += z2;
            s3 += z2 * z;
            s4 += z2 * z2;
            t0 += y[i];
            t1 += y[i] * z;
            t2 += y[i] * z2;
        }
        double[][] a = {{n, s1, s2}, {s1, s2, s3}, {s2, s3, s4}};
        double[] b = {t0, t1, t2};
        double det = det3(a);
        double[] c = new double[3];
        if (Math.abs(det) < 1e-300 || Math.abs(det) < 1e-12 * Math.abs(n * s2 * s4)) {
            // degenerate times (all equal): a constant
            c[0] = t0 / n;
        } else {
            for (int k = 0; k < 3; k++) {
                double[][] ak = {a[0].clone(), a[1].clone(), a[2].clone()};
                for (int i = 0; i < 3; i++) {
                    ak[i][k] = b[i];
                }
                c[k] = det3(ak) / det;
            }
        }
        // back to powers of x: c0 + c1 (x - xm) + c2 (x - xm)^2
        return new double[] {c[0] - c[1] * xm + c[2] * xm * xm, c[1] - 2 * c[2] * xm, c[2]};
    }

    private static double det3(double[][] a) {
        return a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1]) - a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0])
                + a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0]);
    }

    /**
     * Welch's averaged periodogram (Hann window, 50% overlap), one-sided, in uS^2/Hz at frequencies
     * j / (L dt), j = 1 .. L/2: P_j = c |X_j|^2 dt / sum(w^2), c = 2 below Nyquist, 1 at it.
     */
    static double[] welch(double[] x, int from, int n, int len, double dt) {
        double[] win = new double[len];
        double w2 = 0;
        for (int i = 0; i < len; i++) {
            win[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / len);
            w2 += win[i] * win[i];
        }
        FastFourierTransformer fft = new FastFourierTransformer(DftNormalization.STANDARD);
        double[] p = new double[len / 2];
        int segs = 0;
        for (int o = 0; o + len <= n; o += len / 2) {
            double[] seg = new double[len];
            double mu = 0;
            for (int i = 0; i < len; i++) {
                mu += x[from + o + i];
            }
            mu /= len;
            for (int i = 0; i < len; i++) {
                seg[i] = (x[from + o + i] - mu) * win[i];
            }
            org.apache.commons.math3.complex.Complex[] f = fft.transform(seg, TransformType.FORWARD);
            for (int j = 1; j <= len / 2; j++) {
                double a = f[j].abs();
                p[j - 1] += (j == len / 2 ? 1 : 2) * a * a * dt / w2;
            }
            segs++;
        }
        for (int j = 0; j < p.length; j++) {
            p[j] /= segs;
        }
        return p;
    }
}
