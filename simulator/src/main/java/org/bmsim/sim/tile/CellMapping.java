package org.bmsim.sim.tile;

import java.util.ArrayList;
import java.util.List;
import org.bmsim.common.BadInputException;
import org.bmsim.noise.device.ConductanceFunction;
import org.bmsim.noise.device.ConductanceRange;

/**
 * The inverse mapping from target weights (mu, sigma) to device conductances, for the analog cell
 * types. A layer's weights are first normalized by {@code wScale} (the largest |mu|), so that
 * |mu| / wScale &lt;= 1 spans the device window: {@code gScale = g_max - g_min} microsiemens per
 * normalized unit.
 *
 * <h2>Differential pair</h2>
 * Given D = (mu / wScale) gScale and V = ((sigma / wScale) gScale)^2, find G_low in
 * [g_min, g_max - |D|] with G_high = G_low + |D| such that
 * {@code f(G_low) = s(G_high)^2 + s(G_low)^2 - V = 0}, s the device's per-read sigma curve; G+ is
 * G_high when mu &gt;= 0. The root is searched on a grid of {@value #GRID} points, refined by
 * bisection, lowest conductance first (the least read energy). Without a root the pair closest to V
 * is kept and the weight is reported as unrealisable when its realised sigma differs from the
 * target by more than {@code tolerance} (relative) and 1e-6 normalized units.
 *
 * <h2>Mean pair plus tunable device</h2>
 * G- = g_min, G+ = g_min + |D| (or swapped), read with the mean pair's own read sigma; the tunable
 * device adds s_t = sqrt(V - V_pair), limited to [0, s_max]: unrealisable when V &lt; V_pair or
 * s_t &gt; s_max (beyond the tolerance).
 */
public final class CellMapping {
    /** Grid points of the root search. */
    public static final int GRID = 33;

    private CellMapping() {
    }

    /** One mapped weight matrix. Arrays row-major [rows x cols] like the input. */
    public record Result(float[] muRealised, float[] sigmaRealised, float[] gPlus, float[] gMinus,
            float[] sigmaTunable, double wScale, double gScaleMicroSiemens, int replicas, int unrealisable,
            double worstRelativeError, List<String> examples) {
        /** The 2-Wasserstein distance of weight k's realised Gaussian to the target N(mu, sigma^2). */
        public static double w2(double mu, double sigma, double muR, double sigmaR) {
            return Math.sqrt(sq(mu - muR) + sq(sigma - sigmaR));
        }
    }

    /** Maps a differential pair per weight; mu and sigma in weight units, row-major. */
    public static Result differentialPair(float[] mu, float[] sigma, ConductanceFunction readSigma, double tolerance) {
        return differentialPair(mu, sigma, readSigma, tolerance, wScale(mu), 1);
    }

    /**
     * Maps a differential pair of {@code replicas} devices per polarity per weight (all replicas of
     * a polarity programmed alike and summed on the bit line), with the weight scale {@code wScale}
     * (weight units per full window; |mu| above it is clipped). With N replicas the column sees
     * N (G+ - G-) and a variance N (s(G+)^2 + s(G-)^2), normalized by N gScale: the mean is unchanged
     * and the noise in weight units falls as 1 / sqrt(N).
     */
    public static Result differentialPair(float[] mu, float[] sigma, ConductanceFunction readSigma, double tolerance,
            double wScale, int replicas) {
        ConductanceRange r = readSigma.range();
        double gMin = r.gMinMicroSiemens();
        double gMax = r.gMaxMicroSiemens();
        double gScale = gMax - gMin;
        double sqrtN = Math.sqrt(replicas);
        int n = mu.length;
        float[] muR = new float[n];
        float[] sgR = new float[n];
        float[] gp = new float[n];
        float[] gm = new float[n];
        int bad = 0;
        double worst = 0;
        List<String> ex = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            double d = Math.min(Math.abs(mu[k]) / wScale * gScale, gScale);
            double v = sq(sigma[k] / wScale * gScale * sqrtN);
            double bestT = gMin;
            double bestErr = Double.POSITIVE_INFINITY;
            double prevT = gMin;
            double prevF = f(readSigma, gMin, d, v);
            boolean found = false;
            for (int q = 0; q < GRID && !found; q++) {
                double t = r.pairLow(d, q, GRID);
                double ft = q == 0 ? prevF : f(readSigma, t, d, v);
                if (Math.abs(ft) < bestErr) {
                    bestErr = Math.abs(ft);
                    bestT = t;
                }
                if (q > 0 && (prevF <= 0) != (ft <= 0)) {
                    double lo = prevT;
                    double hi = t;
                    double flo = prevF;
                    for (int it = 0; it < 40; it++) {
                        double mid = 0.5 * (lo + hi);
                        double fm = f(readSigma, mid, d, v);
                        if ((fm <= 0) == (flo <= 0)) {
                            lo = mid;
                            flo = fm;
                        } else {
                            hi = mid;
                        }
                    }
                    bestT = 0.5 * (lo + hi);
                    found = true;
                }
                prevT = t;
                prevF = ft;
            }
            double gl = bestT;
            double gh = Math.min(bestT + d, gMax);
            double sReal = Math.sqrt(sq(readSigma.at(gh)) + sq(readSigma.at(gl)));
            boolean pos = mu[k] >= 0;
            gp[k] = (float) (pos ? gh : gl);
            gm[k] = (float) (pos ? gl : gh);
            muR[k] = (float) ((gp[k] - (double) gm[k]) / gScale * wScale);
            sgR[k] = (float) (sReal / gScale / sqrtN * wScale);
            if (!realisable(mu[k], sigma[k], muR[k], sgR[k], wScale, tolerance)) {
                bad++;
                worst = Math.max(worst, relErr(mu[k], sigma[k], muR[k], sgR[k]));
                example(ex, k, mu[k], sigma[k], muR[k], sgR[k]);
            }
        }
        return new Result(muR, sgR, gp, gm, null, wScale, gScale, replicas, bad, worst, ex);
    }

    /**
     * The differential pairs of {@code planned}, as chosen with the device model {@code modelSigma}, read
     * on a device whose programming spread is {@code deviceSigma}: the same conductances, replicas and
     * scales, each weight's realised sigma scaled by sqrt(s_dev(G+)^2 + s_dev(G-)^2) /
     * sqrt(s_model(G+)^2 + s_model(G-)^2), and the weights outside tolerance counted again against the
     * targets. What a chip does when its mapping was compiled from a (calibrated) model of its devices.
     * The two curves must share the window, as the planned conductances and gScale are the model's.
     */
    public static Result onDevice(Result planned, float[] mu, float[] sigma, ConductanceFunction modelSigma,
            ConductanceFunction deviceSigma, double tolerance) {
        requireSameWindow(modelSigma.range(), deviceSigma.range(), "the mapping's", "the machine");
        if (planned.gPlus() == null || planned.sigmaTunable() != null) {
            throw new BadInputException("a mapping from another device model needs differential-pair cells");
        }
        int n = mu.length;
        float[] sgR = new float[n];
        int bad = 0;
        double worst = 0;
        List<String> ex = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            double gp = planned.gPlus()[k];
            double gm = planned.gMinus()[k];
            double want = Math.hypot(deviceSigma.at(gp), deviceSigma.at(gm));
            double had = Math.hypot(modelSigma.at(gp), modelSigma.at(gm));
            sgR[k] = (float) (had > 0 ? planned.sigmaRealised()[k] * (want / had) : planned.sigmaRealised()[k]);
            float muR = planned.muRealised()[k];
            if (!realisable(mu[k], sigma[k], muR, sgR[k], planned.wScale(), tolerance)) {
                bad++;
                worst = Math.max(worst, relErr(mu[k], sigma[k], muR, sgR[k]));
                example(ex, k, mu[k], sigma[k], muR, sgR[k]);
            }
        }
        return new Result(planned.muRealised(), sgR, planned.gPlus(), planned.gMinus(), null, planned.wScale(),
                planned.gScaleMicroSiemens(), planned.replicas(), bad, worst, ex);
    }

    /**
     * Refuses a plan on a device of another window ({@link #onDevice}: the planned conductances and
     * gScale are the model's), in one line: "{@code modelWho} device window [..] uS differs from
     * {@code deviceOwner}'s [..] uS".
     */
    public static void requireSameWindow(ConductanceRange model, ConductanceRange device, String modelWho,
            String deviceOwner) {
        if (model.gMinMicroSiemens() != device.gMinMicroSiemens() || model.gMaxMicroSiemens() != device.gMaxMicroSiemens()) {
            throw new BadInputException(modelWho + " device window [" + model.gMinMicroSiemens() + ", "
                    + model.gMaxMicroSiemens() + "] uS differs from " + deviceOwner + "'s [" + device.gMinMicroSiemens() + ", "
                    + device.gMaxMicroSiemens() + "] uS: the mapped conductances must be the same devices'");
        }
    }

    /** Maps a mean pair plus a tunable stochastic device per weight. */
    public static Result meanPairTunable(float[] mu, float[] sigma, ConductanceFunction pairReadSigma,
            double tunableSigmaMaxMicroSiemens, double tolerance) {
        return meanPairTunable(mu, sigma, pairReadSigma, tunableSigmaMaxMicroSiemens, tolerance, wScale(mu));
    }

    /** Maps a mean pair plus a tunable stochastic device per weight with the weight scale {@code wScale}. */
    public static Result meanPairTunable(float[] mu, float[] sigma, ConductanceFunction pairReadSigma,
            double tunableSigmaMaxMicroSiemens, double tolerance, double wScale) {
        ConductanceRange r = pairReadSigma.range();
        double gMin = r.gMinMicroSiemens();
        double gMax = r.gMaxMicroSiemens();
        double gScale = gMax - gMin;
        int n = mu.length;
        float[] muR = new float[n];
        float[] sgR = new float[n];
        float[] gp = new float[n];
        float[] gm = new float[n];
        float[] st = new float[n];
        int bad = 0;
        double worst = 0;
        List<String> ex = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            double d = Math.min(Math.abs(mu[k]) / wScale * gScale, gScale);
            double v = sq(sigma[k] / wScale * gScale);
            double gh = gMin + d;
            double vPair = sq(pairReadSigma.at(gh)) + sq(pairReadSigma.at(gMin));
            double s = Math.min(Math.sqrt(Math.max(v - vPair, 0)), tunableSigmaMaxMicroSiemens);
            boolean pos = mu[k] >= 0;
            gp[k] = (float) (pos ? gh : gMin);
            gm[k] = (float) (pos ? gMin : gh);
            st[k] = (float) s;
            muR[k] = (float) ((gp[k] - (double) gm[k]) / gScale * wScale);
            sgR[k] = (float) (Math.sqrt(vPair + s * s) / gScale * wScale);
            if (!realisable(mu[k], sigma[k], muR[k], sgR[k], wScale, tolerance)) {
                bad++;
                worst = Math.max(worst, relErr(mu[k], sigma[k], muR[k], sgR[k]));
                example(ex, k, mu[k], sigma[k], muR[k], sgR[k]);
            }
        }
        return new Result(muR, sgR, gp, gm, st, wScale, gScale, 1, bad, worst, ex);
    }

    /** The largest |mu|, or 1 for an all-zero matrix. */
    public static double wScale(float[] mu) {
        double m = 0;
        for (float v : mu) {
            if (!Float.isFinite(v)) {
                throw new BadInputException("weight mean is not finite: " + v);
            }
            m = Math.max(m, Math.abs(v));
        }
        return m > 0 ? m : 1.0;
    }

    private static double f(ConductanceFunction s, double t, double d, double v) {
        return sq(s.at(s.range().clip(t + d))) + sq(s.at(t)) - v;
    }

    /**
     * A weight is realisable when the 2-Wasserstein distance of the realised Gaussian to the target
     * is within {@code tolerance} x sigma (or below 1e-6 normalized units): a sigma off by the
     * tolerance, or a mean clipped by it, makes it unrealisable.
     */
    public static boolean realisable(double mu, double sigma, double muR, double sigmaR, double wScale, double tolerance) {
        double w2 = Result.w2(mu, sigma, muR, sigmaR);
        return w2 <= tolerance * sigma || w2 / wScale <= 1e-6;
    }

    /** W2 relative to the target sigma (infinite for a sigma of 0 that is not met). */
    private static double relErr(double mu, double sigma, double muR, double sigmaR) {
        double w2 = Result.w2(mu, sigma, muR, sigmaR);
        return sigma == 0 ? (w2 == 0 ? 0 : Double.POSITIVE_INFINITY) : w2 / sigma;
    }

    private static void example(List<String> ex, int k, float mu, float sigma, float muR, float sigmaR) {
        if (ex.size() < 5) {
            ex.add(describe(k, mu, sigma, muR, sigmaR));
        }
    }

    /** One unrealisable weight, as the mapping reports it. */
    public static String describe(int k, float mu, float sigma, float muR, float sigmaR) {
        return String.format(java.util.Locale.ROOT, "index %d: mu %.4g sigma %.4g -> realised mu %.4g sigma %.4g", k, mu,
                sigma, muR, sigmaR);
    }

    private static double sq(double x) {
        return x * x;
    }
}
