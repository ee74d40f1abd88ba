package org.bmsim.sim.machine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bmsim.sim.tile.SamplingSemantics;

/**
 * The cost report of a mapped network (docs/machine.md, section 5): cycles, latency and energy per
 * sample and per inference, by component and per layer, with the devices each layer's mapping uses
 * (the area proxy: no sourced area model is wired in).
 */
final class CostReport {
    private CostReport() {
    }

    /** Cycles, latency and energy (docs/machine.md): per sample and per inference of S samples. */
    static Map<String, Object> of(MachineDescription machine, List<MappedNetwork.MappedLayer> layers, int samples) {
        double f = machine.digital().clockGhz();
        long latency = 0;
        long interval = 0;
        double ePerSample = 0;
        Map<String, Double> byComponent = new LinkedHashMap<>();
        Map<String, Long> cyclesByComponent = new LinkedHashMap<>();
        List<Map<String, Object>> perLayer = new ArrayList<>();
        long devices = 0;
        boolean digital = !machine.tile().cellType().analog();
        long reseed = digital && machine.tile().semantics() == SamplingSemantics.PER_INFERENCE
                ? org.bmsim.sim.datapath.Datapath.seedCycles(machine.digital().lanes()) : 0;
        for (MappedNetwork.MappedLayer l : layers) {
            if (l == null) {
                continue;
            }
            int reads = l.view.readsPerImage();
            TileReadCost slow = l.costs[0];
            double e = 0;
            for (TileReadCost c : l.costs) {
                if (c.cycles() > slow.cycles()) {
                    slow = c;
                }
                e += c.energyPj() * reads;
                for (Map.Entry<String, Double> x : c.energyBreakdown().entrySet()) {
                    byComponent.merge(x.getKey(), x.getValue() * reads, Double::sum);
                }
            }
            long cyc = reads * slow.cycles() + reseed;
            for (Map.Entry<String, Long> x : slow.cycleBreakdown().entrySet()) {
                cyclesByComponent.merge(x.getKey(), x.getValue() * reads, Long::sum);
            }
            if (reseed > 0) {
                cyclesByComponent.merge("reseed", reseed, Long::sum);
            }
            Map<String, Object> pl = new LinkedHashMap<>();
            pl.put("layer", l.view.name());
            pl.put("tile_read_cycles", slow.cycles());
            pl.put("reads_per_sample", reads);
            pl.put("cycles_per_sample", cyc);
            pl.put("energy_pj_per_sample", e);
            pl.put("tile_read_cycles_by_component", slow.cycleBreakdown());
            if (l.choice != null) {
                pl.put("devices", l.choice.devices());
                devices += l.choice.devices();
            }
            perLayer.add(pl);
            latency += cyc;
            interval = Math.max(interval, cyc);
            ePerSample += e;
        }
        int replicas = machine.schedule().replicas();
        long rounds = (samples + replicas - 1) / replicas;
        long perInference = rounds * interval + (latency - interval);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("clock_ghz", f);
        r.put("samples", samples);
        r.put("schedule", machine.schedule().mcSamples() + (replicas > 1 ? " on " + replicas + " replicas" : ""));
        r.put("cycles_per_sample", latency);
        r.put("pipeline_interval_cycles", interval);
        r.put("cycles_per_inference", perInference);
        r.put("latency_ns_per_sample", latency / f);
        r.put("latency_ns_per_inference", perInference / f);
        r.put("energy_pj_per_sample", ePerSample);
        r.put("energy_pj_per_inference", ePerSample * samples);
        Map<String, Double> eInf = new LinkedHashMap<>();
        byComponent.forEach((k, v) -> eInf.put(k, v * samples));
        r.put("energy_pj_per_inference_by_component", eInf);
        r.put("cycles_per_sample_by_component", cyclesByComponent);
        r.put("per_layer", perLayer);
        r.put("devices", devices);
        r.put("area", "not reported in mm^2 (no sourced area model); devices is the area proxy of analog mappings");
        return r;
    }
}
