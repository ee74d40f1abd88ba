package org.bmsim.examples.sweep;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bmsim.examples.replay.ReplayRun;
import org.bmsim.sim.machine.MachineDescription;
import org.bmsim.sim.metrics.UncertaintyError;

/** One finished point: the point, its resolved configuration, its metrics and its wall time. */
public record PointResult(SweepSpec.Point point, MachineDescription machine, String strategy, String model,
        double noiseScale, int samples, Metrics metrics, double seconds) {

    /**
     * The metrics of every point, in output order (docs/sweeps.md): eval's metrics on the machine,
     * the uncertainty error against the float reference of the network the machine was asked to
     * realise (ReplayRun's), against the unscaled model's float reference (differs only when
     * noise_scale is not 1), the Monte Carlo floor, and cost per inference.
     */
    public static final List<String> METRICS = List.of("accuracy", "nll", "ece", "brier", "auroc_ood", "auroc_amb",
            "uncertainty_error_mean_pct", "uncertainty_error_max_pct", "uncertainty_error_vs_model_mean_pct",
            "uncertainty_error_vs_model_max_pct", "monte_carlo_floor_mean_pct", "cycles_per_inference",
            "latency_ns_per_inference", "energy_pj_per_inference", "effective_sample_size", "unrealisable_weights");

    /** Metric values by name (null where undefined, e.g. an AUROC without OOD rows). */
    public record Metrics(Map<String, Double> values) {
        static Metrics of(ReplayRun.Result r, UncertaintyError vsModel) {
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("accuracy", r.report().accuracy());
            m.put("nll", r.report().nll());
            m.put("ece", r.report().ece());
            m.put("brier", r.report().brier());
            m.put("auroc_ood", r.report().aurocOod());
            m.put("auroc_amb", r.report().aurocAmb());
            m.put("uncertainty_error_mean_pct", r.error().meanPct());
            m.put("uncertainty_error_max_pct", r.error().maxPct());
            m.put("uncertainty_error_vs_model_mean_pct", vsModel.meanPct());
            m.put("uncertainty_error_vs_model_max_pct", vsModel.maxPct());
            m.put("monte_carlo_floor_mean_pct", r.floor().meanPct());
            m.put("cycles_per_inference", number(r.cost().get("cycles_per_inference")));
            m.put("latency_ns_per_inference", number(r.cost().get("latency_ns_per_inference")));
            m.put("energy_pj_per_inference", number(r.cost().get("energy_pj_per_inference")));
            m.put("effective_sample_size", r.effectiveSampleSize());
            m.put("unrealisable_weights", unrealisable(r.mapping()));
            return new Metrics(java.util.Collections.unmodifiableMap(m));
        }

        private static Double number(Object o) {
            return o instanceof Number n ? n.doubleValue() : null;
        }

        private static Double unrealisable(Map<String, Object> mapping) {
            if (!(mapping.get("layers") instanceof List<?> layers)) {
                return null;
            }
            double s = 0;
            for (Object l : layers) {
                if (l instanceof Map<?, ?> m && m.get("unrealisable_weights") instanceof Number n) {
                    s += n.doubleValue();
                }
            }
            return s;
        }
    }

    /** The record written to the outputs. */
    public SweepRecord record() {
        Map<String, String> values = new LinkedHashMap<>();
        point.values().forEach((k, v) -> values.put(k, SweepSpec.canonical(v)));
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("model", model);
        config.put("strategy", strategy);
        config.put("noise_scale", noiseScale);
        config.put("samples", samples);
        config.put("machine", machine);
        return new SweepRecord(point.index(), point.key(), point.sweepSeed(), point.seed(), values, metrics.values(),
                seconds, config);
    }
}
