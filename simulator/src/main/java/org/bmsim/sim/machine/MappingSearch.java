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
 * machine's {@code mapping} block (cell type x replicas per polarity x weight scale), the one whose
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
     * @param scaleFactor wScale / max |mu|
     * @param result the mapped weights
     * @param meanW2 mean 2-Wasserstein distance (weight units)
     * @param worstW2 largest one
     * @param meanSigma the layer's mean target sigma (to read W2 against)
     * @param devices devices of the layer (2 x replicas per weight, + 1 tunable device per weight)
     * @param candidates candidates compared
     * @param sigmaBelowFloor unrealisable weights whose sigma is below what the cell can make (floor too high)
     * @param sigmaAboveCeiling unrealisable weights whose sigma is above it (device too quiet)
     * @param meanClipped unrealisable weights whose mean is clipped by the scale
     */
    public record Choice(CellType cell, int replicas, double scaleFactor, CellMapping.Result result, double meanW2,
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
                            + "mapping (%s, %d replica(s), wScale %.3g x max|mu|): %d need a sigma below the cell's floor, "
                            + "%d a sigma above its ceiling, %d a mean beyond the scale; no fallback is applied",
                    result.unrealisable(), weights(), cell.id(), replicas, scaleFactor, sigmaBelowFloor,
                    sigmaAboveCeiling, meanClipped);
        }

        /** The report entry of this choice. */
        public Map<String, Object> report() {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("cell", cell.id());
            e.put("replicas_per_polarity", replicas);
            e.put("scale_factor", scaleFactor);
            e.put("w_scale", result.wScale());
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

    /** Maps one layer (mu, sigma row-major) on the machine's device, searching when the machine asks for it. */
    public static Choice choose(float[] mu, float[] sigma, MachineDescription m, DevicePreset preset, boolean correlated) {
        MachineDescription.Mapping opts = m.mappingOrPlain();
        double maxMu = CellMapping.wScale(mu);
        double tol = m.device().realisableTolerance();
        int n = mu.length;
        int stride = Math.max(1, (n + SCORE_WEIGHTS - 1) / SCORE_WEIGHTS);
        float[] smu = stride == 1 ? mu : strided(mu, stride);
        float[] ssg = stride == 1 ? sigma : strided(sigma, stride);
        List<CellType> cells = opts.cellTypes(m.tile().cellType());
        // the 1/f state is per device: summing replicas of a correlated device is not modelled
        List<Integer> reps = correlated ? List.of(1) : opts.replicaCounts();
        CellType bestCell = null;
        int bestN = 0;
        double bestF = 0;
        double bestW2 = Double.POSITIVE_INFINITY;
        long bestDevices = Long.MAX_VALUE;
        int count = 0;
        List<double[]> scored = new ArrayList<>();
        for (CellType c : cells) {
            for (int nr : c == CellType.MEAN_PAIR_TUNABLE ? List.of(1) : reps) {
                for (double f : opts.scales()) {
                    CellMapping.Result r = map(c, smu, ssg, m, preset, maxMu * f, nr, tol);
                    double w2 = objective(smu, ssg, r, opts.relative());
                    long dev = devices(c, nr, n);
                    count++;
                    scored.add(new double[] {w2, dev});
                    if (w2 < bestW2) {
                        bestW2 = w2;
                    }
                    // remember in order; resolve ties below
                }
            }
        }
        // second pass: the fewest devices among candidates within TIE of the best (then the first)
        int idx = 0;
        double limit = bestW2 * (1 + TIE) + 1e-12;
        for (CellType c : cells) {
            for (int nr : c == CellType.MEAN_PAIR_TUNABLE ? List.of(1) : reps) {
                for (double f : opts.scales()) {
                    double[] s = scored.get(idx++);
                    if (s[0] <= limit && (long) s[1] < bestDevices) {
                        bestDevices = (long) s[1];
                        bestCell = c;
                        bestN = nr;
                        bestF = f;
                    }
                }
            }
        }
        CellMapping.Result r = map(bestCell, mu, sigma, m, preset, maxMu * bestF, bestN, tol);
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
            if (!CellMapping.realisable(mu[k], sigma[k], r.muRealised()[k], r.sigmaRealised()[k], r.wScale(), tol)) {
                if (Math.abs(mu[k] - r.muRealised()[k]) > tol * sigma[k]) {
                    clipped++;
                } else if (r.sigmaRealised()[k] > sigma[k]) {
                    below++;
                } else {
                    above++;
                }
            }
        }
        return new Choice(bestCell, bestN, bestF, r, n == 0 ? 0 : sum / n, worst, n == 0 ? 0 : sgSum / n,
                devices(bestCell, bestN, n), count, below, above, clipped);
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
    private static double objective(float[] mu, float[] sigma, CellMapping.Result r, boolean relative) {
        double s = 0;
        for (int k = 0; k < mu.length; k++) {
            double w = CellMapping.Result.w2(mu[k], sigma[k], r.muRealised()[k], r.sigmaRealised()[k]);
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
