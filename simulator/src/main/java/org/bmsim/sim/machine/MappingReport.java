package org.bmsim.sim.machine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bmsim.noise.device.CorrelatedNoise;
import org.bmsim.sim.tile.AnalogTile;
import org.bmsim.sim.tile.SamplingSemantics;

/**
 * What a mapped network reports about its mapping (the replay JSON's {@code mapping}, docs/machine.md
 * and docs/device-aware.md section 4): per layer its tiles, utilisation, the chosen cell mapping,
 * unrealisable weights and matrix path; in all the realisable fraction, the device count and every
 * layer the device does not realise with the reason; and the effective sample size under correlated
 * noise. Kept apart from {@link MappedNetwork}, which maps and runs the network, as {@link CostReport}
 * is for cycles and energy.
 */
final class MappingReport {
    private MappingReport() {
    }

    /** The mapping report: which layer on which tiles, utilisation, unrealisable weights, sampling path. */
    static Map<String, Object> of(MachineDescription machine, List<MappedNetwork.MappedLayer> layers) {
        Map<String, Object> r = new LinkedHashMap<>();
        List<Map<String, Object>> ls = new ArrayList<>();
        long used = 0;
        long avail = 0;
        int tileCount = 0;
        for (MappedNetwork.MappedLayer l : layers) {
            if (l == null) {
                continue;
            }
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("layer", l.view.name());
            e.put("kind", l.view.conv() ? "conv (im2col)" : "dense");
            e.put("matrix", l.view.fanIn() + " x " + l.view.out());
            e.put("tiles", l.rowTiles + " x " + l.colTiles);
            e.put("first_tile", tileCount);
            e.put("reads_per_image", l.view.readsPerImage());
            long cells = (long) l.view.fanIn() * l.view.out();
            long cap = (long) l.tiles.length * machine.tile().rows() * machine.tile().cols();
            e.put("utilisation", (double) cells / cap);
            e.put("unrealisable_weights", l.unrealisable);
            e.put("worst_relative_w2", l.worstRelativeError);
            if (l.choice != null) {
                e.put("choice", l.choice.report());
            }
            if (!l.examples.isEmpty()) {
                e.put("unrealisable_examples", l.examples);
            }
            Object t0 = l.tiles[0];
            e.put("path", t0 instanceof AnalogTile a ? a.path().name().toLowerCase(java.util.Locale.ROOT) : "digital-jq");
            if (t0 instanceof AnalogTile a && !a.fastPathDecision().fast()) {
                e.put("fast_path_refused", a.fastPathDecision().refusals());
            }
            ls.add(e);
            used += cells;
            avail += cap;
            tileCount += l.tiles.length;
        }
        r.put("tiles", tileCount);
        r.put("tile_size", machine.tile().rows() + " x " + machine.tile().cols());
        r.put("cell", machine.tile().cell());
        r.put("sampling", machine.tile().sampling());
        r.put("utilisation", (double) used / avail);
        r.put("mapping_search", machine.mappingOrPlain().search());
        r.put("unrealisable_weights", layers.stream().filter(l -> l != null).mapToInt(l -> l.unrealisable).sum());
        r.put("weights", used);
        r.put("realisable_fraction", used == 0 ? 1.0 : 1.0 - (double) layers.stream().filter(l -> l != null)
                .mapToInt(l -> l.unrealisable).sum() / used);
        r.put("devices", layers.stream().filter(l -> l != null && l.choice != null).mapToLong(l -> l.choice.devices()).sum());
        List<String> notRealised = new ArrayList<>();
        for (MappedNetwork.MappedLayer l : layers) {
            if (l != null && l.choice != null && !l.choice.realised()) {
                notRealised.add(l.view.name() + ": " + l.choice.reason());
            }
        }
        r.put("layers_not_realised", notRealised);
        r.put("layers", ls);
        return r;
    }

    /**
     * Effective sample size of S successive Monte Carlo samples of one image:
     * S / (1 + 2 sum_{k=1}^{S-1} (1 - k/S) rho(k lag)), rho(m) = share R(m), lag = the reads of a
     * tile per image (per-read semantics; 1 per-inference), R the correlated noise's autocorrelation and share its part of the device
     * variance; the smallest over layers. S when the noise is independent across reads.
     */
    static double effectiveSampleSize(List<MappedNetwork.MappedLayer> layers, int samples) {
        double ess = samples;
        for (MappedNetwork.MappedLayer l : layers) {
            if (l == null || !(l.tiles[0] instanceof AnalogTile a) || a.correlated() == null) {
                continue;
            }
            CorrelatedNoise c = a.correlated();
            // per-read: every read of the image advances the process; per-inference: one read per sample
            int lag = a.semantics() == SamplingSemantics.PER_READ ? l.view.readsPerImage() : 1;
            double sum = 0;
            for (int k = 1; k < samples; k++) {
                sum += (1.0 - (double) k / samples) * l.correlatedShare * c.autocorrelation(k * lag);
            }
            ess = Math.min(ess, samples / (1 + 2 * sum));
        }
        return ess;
    }
}
