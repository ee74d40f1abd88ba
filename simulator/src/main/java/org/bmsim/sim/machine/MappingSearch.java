package org.bmsim.sim.machine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bmsim.noise.device.ConductanceFunction;
import org.bmsim.noise.device.DevicePreset;
import org.bmsim.sim.tile.CellMapping;
import org.bmsim.sim.tile.CellType;

/**
 * The per-layer mapping of an analog machine (docs/device-aware.md): over the candidates of the
 * machine's {@code mapping} block (cell type x replicas per polarity x weight scale: one per layer,
 * or per-row drive x per-column gain fitted by {@link RowColumnScales}), the one whose
 * realised weights are nearest the posterior: per weight the 2-Wasserstein distance between
 * N(mu, sigma^2) and the Gaussian the cell realises,
 * <pre>  W2^2 = (mu - mu')^2 + (sigma - sigma')^2,</pre>
 * averaged over the layer. Candidates whose mean W2 is within {@value #TIE} (relative) of the best
 * are tied; among them the fewest devices wins (area and array energy grow with the device count).
 * Candidates are scored on at most {@value #SCORE_WEIGHTS} weights of the layer (every k-th), the
 * winner is mapped in full. Without a search it is the plain mapping: the tile's cell, one device
 * per polarity, wScale = max |mu|.
 */
public final class MappingSearch {
    /** Relative margin of mean W2 within which candidates count as tied. */
    public static final double TIE = 0.02;
    /** Weights a candidate is scored on (every k-th of the layer). */
    public static final int SCORE_WEIGHTS = 8192;
    /** Below this realisable fraction a layer is reported as not realised by the device. */
    public static final double REALISED_FRACTION = 0.99;

    private MappingSearch() {
    }

    /**
     * The mapping chosen for one layer.
     *
     * @param cell the cell type
     * @param replicas devices per polarity
     * @param scaleFactor wScale / max |mu| (with row-column scales: the largest scale's)
     * @param scales per-row drive and per-column gain, or null for one scale per layer
     * @param result the mapped weights (realised moments in weight units)
     * @param meanW2 mean 2-Wasserstein distance (weight units)
     * @param worstW2 largest one
     * @param meanSigma the layer's mean target sigma (to read W2 against)
     * @param devices devices of the layer (2 x replicas per weight, + 1 tunable device per weight)
     * @param candidates candidates compared
     * @param sigmaBelowFloor unrealisable weights whose sigma is below what the cell can make (floor too high)
     * @param sigmaAboveCeiling unrealisable weights whose sigma is above it (device too quiet)
     * @param meanClipped unrealisable weights whose mean is clipped by the scale
     */
    public record Choice(CellType cell, int replicas, double scaleFactor, RowColumnScales scales, CellMapping.Result result,
            double meanW2,
            double worstW2, double meanSigma, long devices, int candidates, int sigmaBelowFloor, int sigmaAboveCeiling,
            int meanClipped) {
        public int weights() {
            return result.muRealised().length;
        }

        public double realisableFraction() {
            return weights() == 0 ? 1 : 1 - (double) result.unrealisable() / weights();
        }

        public boolean realised() {
            return realisableFraction() >= REALISED_FRACTION;
        }

        /** Why the device does not realise this layer's posterior, or null when it does. */
        public String reason() {
            if (realised()) {
                return null;
            }
            return String.format(Locale.ROOT,
                    "the device cannot realise this layer's posterior: %d of %d weights outside tolerance at the chosen "
                            + "mapping (%s, %d replica(s), %swScale %.3g x max|mu|): %d need a sigma below the cell's floor, "
                            + "%d a sigma above its ceiling, %d a mean beyond the scale; no fallback is applied",
                    result.unrealisable(), weights(), cell.id(), replicas, scales == null ? "" : "row-column scales, ",
                    scaleFactor, sigmaBelowFloor,
                    sigmaAboveCeiling, meanClipped);
        }

        /** The report entry of this choice. */
        public Map<String, Object> report() {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("cell", cell.id());
            e.put("replicas_per_polarity", replicas);
            e.put("scaling", scales == null ? "layer" : "row-column");
            e.put("scale_factor", scaleFactor);
            e.put("w_scale", result.wScale());
            if (scales != null) {
                e.put("row_gain_min", scales.minRowGain());
                e.put("col_scale_min", scales.minColScale());
            }
            e.put("realisable_fraction", realisableFraction());
            e.put("mean_w2", meanW2);
            e.put("worst_w2", worstW2);
            e.put("mean_sigma", meanSigma);
            e.put("devices", devices);
            e.put("candidates_compared", candidates);
            e.put("realised", realised());
            if (!realised()) {
                e.put("not_realised_reason", reason());
            }
            return e;
        }
    }

    /**
     * Maps one layer on the machine's device, searching when the machine asks for it: mu and sigma
     * row-major [rows = fan-in] x [cols] (the crossbar's orientation: row i is input i, column j
     * output j).
     */
    public static Choice choose(float[] mu, float[] sigma, int cols, MachineDescription m, DevicePreset preset,
            boolean correlated) {
        MachineDescription.Mapping opts = m.mappingOrPlain();
        double maxMu = CellMapping.wScale(mu);
        double tol = m.device().realisableTolerance();
        int n = mu.length;
        if (cols < 1 || n % cols != 0) {
            throw new IllegalArgumentException(n + " weights do not make rows of " + cols + " columns");
        }
        int rows = n / cols;
        int stride = Math.max(1, (n + SCORE_WEIGHTS - 1) / SCORE_WEIGHTS);
        float[] smu = stride == 1 ? mu : strided(mu, stride);
        float[] ssg = stride == 1 ? sigma : strided(sigma, stride);
        List<CellType> cells = opts.cellTypes(m.tile().cellType());
        // the 1/f state is per device: summing replicas of a correlated device is not modelled
        List<Integer> reps = correlated ? List.of(1) : opts.replicaCounts();
        List<Candidate> cands = new ArrayList<>();
        double bestW2 = Double.POSITIVE_INFINITY;
        for (String scaling : opts.scalings()) {
            for (CellType c : cells) {
                for (int nr : c == CellType.MEAN_PAIR_TUNABLE ? List.of(1) : reps) {
                    if (scaling.equals("layer")) {
                        for (double f : opts.scales()) {
                            CellMapping.Result r = map(c, smu, ssg, m, preset, maxMu * f, nr, tol);
                            Candidate k = new Candidate(c, nr, f, null, objective(smu, ssg, r, null, opts.relative()),
                                    devices(c, nr, n));
                            cands.add(k);
                            bestW2 = Math.min(bestW2, k.w2);
                        }
                    } else {
                        float[] lo = new float[DeviceAwareBounds.POINTS];
                        float[] hi = new float[DeviceAwareBounds.POINTS];
                        DeviceAwareBounds.band(c, nr, m, preset, lo, hi);
                        RowColumnScales rc = RowColumnScales.fit(mu, sigma, rows, cols, lo, hi, tol,
                                opts.rowGainMinOrDefault());
                        float[] fac = factors(rc, rows, cols);
                        float[] nmu = divide(mu, fac);
                        float[] nsg = divide(sigma, fac);
                        float[] sfac = stride == 1 ? fac : strided(fac, stride);
                        float[] snmu = stride == 1 ? nmu : strided(nmu, stride);
                        float[] snsg = stride == 1 ? nsg : strided(nsg, stride);
                        CellMapping.Result r = map(c, snmu, snsg, m, preset, rc.wScale(), nr, tol);
                        Candidate k = new Candidate(c, nr, rc.wScale() / maxMu, rc,
                                objective(snmu, snsg, r, sfac, opts.relative()), devices(c, nr, n));
                        cands.add(k);
                        bestW2 = Math.min(bestW2, k.w2);
                    }
                }
            }
        }
        // the fewest devices among candidates within TIE of the best (then the first)
        double limit = bestW2 * (1 + TIE) + 1e-12;
        Candidate best = null;
        for (Candidate k : cands) {
            if (k.w2 <= limit && (best == null || k.devices < best.devices)) {
                best = k;
            }
        }
        CellMapping.Result r;
        if (best.scales == null) {
            r = map(best.cell, mu, sigma, m, preset, maxMu * best.factor, best.replicas, tol);
        } else {
            float[] fac = factors(best.scales, rows, cols);
            CellMapping.Result nr = map(best.cell, divide(mu, fac), divide(sigma, fac), m, preset, best.scales.wScale(),
                    best.replicas, tol);
            r = inWeightUnits(mu, sigma, nr, fac, tol);
        }
        double sum = 0;
        double worst = 0;
        double sgSum = 0;
        int below = 0;
        int above = 0;
        int clipped = 0;
        for (int k = 0; k < n; k++) {
            double w = CellMapping.Result.w2(mu[k], sigma[k], r.muRealised()[k], r.sigmaRealised()[k]);
            sum += w;
            worst = Math.max(worst, w);
            sgSum += sigma[k];
            double ws = best.scales == null ? r.wScale() : best.scales.at(k / cols, k % cols);
            if (!CellMapping.realisable(mu[k], sigma[k], r.muRealised()[k], r.sigmaRealised()[k], ws, tol)) {
                if (Math.abs(mu[k] - r.muRealised()[k]) > tol * sigma[k]) {
                    clipped++;
                } else if (r.sigmaRealised()[k] > sigma[k]) {
                    below++;
                } else {
                    above++;
                }
            }
        }
        return new Choice(best.cell, best.replicas, best.factor, best.scales, r, n == 0 ? 0 : sum / n, worst,
                n == 0 ? 0 : sgSum / n, best.devices, cands.size(), below, above, clipped);
    }

    /**
     * A layer's weights in the crossbar's orientation, [fan-in rows] x [output columns] row-major (row i
     * is input i, column j output j), from the network's parameter order [out][fan-in] at {@code off}.
     */
    public static float[] crossbarOrder(float[] params, int off, int fanIn, int nOut) {
        float[] a = new float[fanIn * nOut];
        for (int o = 0; o < nOut; o++) {
            for (int i = 0; i < fanIn; i++) {
                a[i * nOut + o] = params[off + o * fanIn + i];
            }
        }
        return a;
    }

    /** One scored candidate. */
    private record Candidate(CellType cell, int replicas, double factor, RowColumnScales scales, double w2, long devices) {
    }

    /** rowGain_i colScale_j of every weight, row-major. */
    static float[] factors(RowColumnScales rc, int rows, int cols) {
        float[] f = new float[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                f[i * cols + j] = rc.rowGain()[i] * rc.colScale()[j];
            }
        }
        return f;
    }

    private static float[] divide(float[] a, float[] f) {
        float[] o = new float[a.length];
        for (int k = 0; k < a.length; k++) {
            o[k] = a[k] / f[k];
        }
        return o;
    }

    /**
     * A mapping of the normalised weights mu / f, sigma / f (scale wScale) back in weight units:
     * realised moments times f, the same conductances; its counts re-taken in weight units.
     */
    private static CellMapping.Result inWeightUnits(float[] mu, float[] sigma, CellMapping.Result nr, float[] fac,
            double tol) {
        int n = mu.length;
        float[] muR = new float[n];
        float[] sgR = new float[n];
        int bad = 0;
        double worst = 0;
        List<String> ex = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            muR[k] = nr.muRealised()[k] * fac[k];
            sgR[k] = nr.sigmaRealised()[k] * fac[k];
            if (!CellMapping.realisable(mu[k], sigma[k], muR[k], sgR[k], nr.wScale() * fac[k], tol)) {
                bad++;
                double w2 = CellMapping.Result.w2(mu[k], sigma[k], muR[k], sgR[k]);
                worst = Math.max(worst, sigma[k] == 0 ? Double.POSITIVE_INFINITY : w2 / sigma[k]);
                if (ex.size() < 5) {
                    ex.add(CellMapping.describe(k, mu[k], sigma[k], muR[k], sgR[k]));
                }
            }
        }
        return new CellMapping.Result(muR, sgR, nr.gPlus(), nr.gMinus(), nr.sigmaTunable(), nr.wScale(),
                nr.gScaleMicroSiemens(), nr.replicas(), bad, worst, ex);
    }

    /** One candidate mapped. */
    static CellMapping.Result map(CellType c, float[] mu, float[] sigma, MachineDescription m, DevicePreset preset,
            double wScale, int replicas, double tol) {
        if (c == CellType.DIFFERENTIAL_PAIR) {
            return CellMapping.differentialPair(mu, sigma, preset.programmingNoise().sigma(), tol, wScale, replicas);
        }
        return CellMapping.meanPairTunable(mu, sigma, meanPairReadSigma(m, preset), m.device().tunableSigmaMaxUs(), tol,
                wScale);
    }

    /**
     * The read sigma of a mean pair's devices: they are the preset's devices, so their own spread
     * s(G), with {@code device.pair_read_sigma_us} added in quadrature (the read circuit's noise).
     */
    public static ConductanceFunction meanPairReadSigma(MachineDescription m, DevicePreset preset) {
        ConductanceFunction s = preset.programmingNoise().sigma();
        double extra = m.device().pairReadSigmaUs();
        return ConductanceFunction.of(g -> Math.sqrt(s.at(g) * s.at(g) + extra * extra), s.range());
    }

    /** Devices of a layer of {@code weights}: 2 x replicas per weight, plus the tunable device. */
    public static long devices(CellType c, int replicas, long weights) {
        return weights * (2L * replicas + (c == CellType.MEAN_PAIR_TUNABLE ? 1 : 0));
    }

    /**
     * The search objective: mean over weights of W2 / sigma (relative: every weight counts alike) or
     * of W2 in weight units (absolute: the large-sigma weights dominate).
     */
    private static double objective(float[] mu, float[] sigma, CellMapping.Result r, float[] fac, boolean relative) {
        double s = 0;
        for (int k = 0; k < mu.length; k++) {
            // on normalised weights (fac: their row-column factors) W2 / sigma is the same, W2 scales by fac
            double w = CellMapping.Result.w2(mu[k], sigma[k], r.muRealised()[k], r.sigmaRealised()[k])
                    * (fac == null || relative ? 1 : fac[k]);
            s += !relative ? w : sigma[k] > 0 ? w / sigma[k] : (w > 0 ? 1e6 : 0);
        }
        return mu.length == 0 ? 0 : s / mu.length;
    }

    private static float[] strided(float[] a, int stride) {
        float[] s = new float[(a.length + stride - 1) / stride];
        for (int i = 0; i < s.length; i++) {
            s[i] = a[i * stride];
        }
        return s;
    }
}
