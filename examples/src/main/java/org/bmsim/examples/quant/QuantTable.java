package org.bmsim.examples.quant;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bmsim.common.AtomicFiles;
import org.bmsim.common.BadInputException;
import org.bmsim.examples.report.Plots;
import org.bmsim.sim.data.FloatSet;
import org.bmsim.sim.metrics.McPredictions;
import org.bmsim.sim.metrics.MetricsReport;
import org.bmsim.sim.metrics.SubsetSummary;
import org.bmsim.sim.metrics.UncertaintyError;
import org.bmsim.sim.metrics.UncertaintyMetrics;
import org.bmsim.sim.nn.ActivationHook;
import org.bmsim.sim.nn.Network;
import org.bmsim.sim.nn.Parallel;
import org.bmsim.sim.quant.ActivationQuantizer;
import org.bmsim.sim.quant.HessianCompensation;
import org.bmsim.sim.quant.JqCoding;
import org.bmsim.sim.quant.QuantEvaluation;
import org.bmsim.sim.quant.QuantOptions;
import org.bmsim.sim.quant.QuantSpec;
import org.bmsim.sim.quant.QuantizedNetwork;
import org.bmsim.sim.quant.Storage;
import org.bmsim.sim.quant.Strategy;
import org.bmsim.sim.quant.SubLsbGain;
import org.bmsim.sim.quant.WeightSharing;
import org.bmsim.sim.quant.WeightSource;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The fidelity table of the quantization work: one row per (strategy, bits, variant), each a Monte
 * Carlo evaluation with common random numbers against the float reference of the same model, with
 * the Monte Carlo floor (FP32 reseeded) and, given a second float model, the training floor beside
 * it. Variants: {@code default} (the spec's defaults), {@code uniform-sigma} (the ablation of the
 * log quantizer), and for JQ {@code hardware} (bit-exact arithmetic), {@code per-layer} scales and
 * {@code octave} sigma steps. The activation ablation runs the table for models trained with each
 * activation ({@code extraModels}).
 */
public final class QuantTable {
    /** Images used to calibrate the activation clips (training split, whole blocks of 64). */
    public static final int CALIBRATION_ROWS = 1024;

    private QuantTable() {
    }

    /** What to run. */
    public record Plan(List<Strategy> strategies, List<Integer> bits, List<Integer> shareClusters, int samples,
            long seed, boolean ablations, QuantOptions options) {
    }

    /** The rows, the floors and the timing. */
    public record Result(List<Map<String, Object>> rows, Map<String, Object> floors, double seconds) {
    }

    /** Runs the plan for {@code model} (label {@code name}); {@code floorModel} (may be null) gives the training floor. */
    public static Result run(String name, Network model, Network floorModel, FloatSet calibration, FloatSet heldOut,
            FloatSet test, Plan plan, int threads, PrintStream log) {
        return run(name, model, null, floorModel, calibration, heldOut, test, plan, threads, log);
    }

    /**
     * As above; with a {@code parent} (the float model a quantization-aware fine-tuning started
     * from) the float reference, its floors and every error are the parent's, and a row
     * {@code fp/qat-float} shows the fine-tuned model's own float uncertainty against it.
     */
    public static Result run(String name, Network model, Network parent, Network floorModel, FloatSet calibration,
            FloatSet heldOut, FloatSet test, Plan plan, int threads, PrintStream log) {
        long t0 = System.nanoTime();
        List<Map<String, Object>> rows = new ArrayList<>();
        Map<String, Object> floors = new LinkedHashMap<>();
        try (Parallel par = Parallel.of(threads)) {
            QuantizedNetwork fpNet = QuantizedNetwork.of(parent == null ? model : parent, QuantSpec.fp(), plan.options());
            MetricsReport ref = evaluate(fpNet, null, test, plan, plan.seed(), par);
            rows.add(row(name, "fp", 32, parent == null ? "reference" : "parent", ref, ref, fpNet.storage(),
                    fpNet.storage()));
            if (parent != null) {
                QuantizedNetwork own = QuantizedNetwork.of(model, QuantSpec.fp(), plan.options());
                Map<String, Object> row = row(name, "fp", 32, "qat-float", evaluate(own, null, test, plan, plan.seed(), par),
                        ref, own.storage(), own.storage());
                rows.add(row);
                log.println(line(row));
            }
            log.printf(Locale.ROOT, "%s fp: accuracy %.4f, auroc_ood %.4f, auroc_amb %.4f%n", name, ref.accuracy(),
                    ref.aurocOod(), ref.aurocAmb());
            MetricsReport reseeded = evaluate(fpNet, null, test, plan, plan.seed() + 1, par);
            floors.put("monte_carlo", floor(UncertaintyError.between(reseeded, ref)));
            log.printf(Locale.ROOT, "Monte Carlo floor: %s%n", brief(UncertaintyError.between(reseeded, ref)));
            if (floorModel != null) {
                MetricsReport other = evaluate(QuantizedNetwork.of(floorModel, QuantSpec.fp(), plan.options()), null, test,
                        plan, plan.seed(), par);
                floors.put("training", floor(UncertaintyError.between(other, ref)));
                log.printf(Locale.ROOT, "training floor: %s%n", brief(UncertaintyError.between(other, ref)));
            }
            Storage fpStorage = fpNet.storage();
            HessianCompensation[] comp = new HessianCompensation[1];
            SubLsbGain.Calibrator gains = new SubLsbGain.Calibrator(model, parent == null ? model : parent,
                    heldOut, SubLsbGain.DEFAULT_SAMPLES, par);
            for (Strategy st : plan.strategies()) {
                if (st == Strategy.FP || st == Strategy.SHARE) {
                    continue;
                }
                for (int b : plan.bits()) {
                    QuantSpec spec = QuantSpec.of(st, b);
                    List<Map.Entry<String, QuantOptions>> variants = new ArrayList<>();
                    variants.add(Map.entry("default", plan.options()));
                    if (plan.ablations() && st == Strategy.JQ && b == 4
                            && plan.options().subLsbGain() == QuantOptions.AUTO_GAIN) {
                        variants.add(Map.entry("plain-moments", plan.options().withSubLsbGain(1)));
                    }
                    if (plan.ablations() && st.storesCodes()) {
                        variants.add(Map.entry("uniform-sigma", plan.options().withLogSigma(false)));
                    }
                    if (plan.ablations() && st == Strategy.JQ) {
                        variants.add(Map.entry("hardware", plan.options().withHardware(true)));
                        if (b == 4) {
                            variants.add(Map.entry("hardware-multiplier-scales",
                                    plan.options().withHardware(true).withPow2Scales(false)));
                            variants.add(Map.entry("per-layer", plan.options().withChannelScales(false)));
                            variants.add(Map.entry("octave", plan.options().withSigmaDelta(1.0)));
                            variants.add(Map.entry("nearest-codes", plan.options().withJqCoding(JqCoding.NEAREST)));
                            variants.add(Map.entry("no-compensation", plan.options().withCompensation(false)));
                            variants.add(Map.entry("nearest-uncompensated",
                                    plan.options().withJqCoding(JqCoding.NEAREST).withCompensation(false)));
                            variants.add(Map.entry("activations-" + b + "-bit", plan.options().withActivationBits(b)));
                            variants.add(Map.entry("float-activations", plan.options().withActivationBits(-1)));
                        }
                    }
                    if (plan.ablations() && st == Strategy.VPQ && b == 4) {
                        variants.add(Map.entry("no-compensation", plan.options().withCompensation(false)));
                    }
                    for (Map.Entry<String, QuantOptions> v : variants) {
                        HessianCompensation hc = v.getValue().compensate() ? compensation(model, calibration, comp) : null;
                        ActivationHook hook = hook(model, spec, v.getValue(), calibration);
                        SubLsbGain.Calibration gain = gains.calibrate(spec, v.getValue(), hc, hook);
                        QuantizedNetwork q = QuantizedNetwork.of(model, spec, gain.apply(v.getValue()), hc);
                        MetricsReport r = evaluate(q, hook, test, plan, plan.seed(), par);
                        Map<String, Object> row = row(name, st.id(), b, v.getKey(), r, ref, q.storage(), fpStorage);
                        if (v.getValue().usesSubLsbGain(spec)) {
                            putGain(row, gain);
                        }
                        rows.add(row);
                        log.println(line(row));
                    }
                }
            }
            if (plan.strategies().contains(Strategy.SHARE)) {
                for (int k : plan.shareClusters()) {
                  for (Map.Entry<String, WeightSharing.Options> v : plan.ablations()
                          ? List.of(Map.entry("k" + k, WeightSharing.Options.defaults()),
                                  Map.entry("k" + k + "-spec-reading", WeightSharing.Options.spec()))
                          : List.of(Map.entry("k" + k, WeightSharing.Options.defaults()))) {
                    WeightSharing ws = WeightSharing.of(model, k, v.getValue(),
                            plan.options().compensate() && v.getValue().perWeightDraws()
                                    ? compensation(model, calibration, comp) : null);
                    MetricsReport r = evaluate(ws, null, test, plan, plan.seed(), par);
                    Map<String, Object> row = row(name, "share", QuantSpec.labelBits(k), v.getKey(), r, ref, ws.storage(),
                            fpStorage);
                    row.put("share_options", ws.options().describe());
                    row.put("clusters", k);
                    row.put("stored_parameters", ws.storedParameters());
                    row.put("mean_field_parameters", ws.meanFieldParameters());
                    row.put("parameter_reduction", (double) ws.meanFieldParameters() / ws.storedParameters());
                    row.put("outliers", ws.outlierCount());
                    row.put("ellipse_points", ws.ellipseCount());
                    rows.add(row);
                    log.println(line(row));
                  }
                }
            }
        }
        return new Result(rows, floors, (System.nanoTime() - t0) / 1e9);
    }

    /** The sub-LSB gain of a row and, when it was calibrated, the held-out error of each candidate. */
    public static void putGain(Map<String, Object> row, SubLsbGain.Calibration gain) {
        row.put("sub_lsb_gain", gain.gain());
        if (gain.images() > 0) {
            Map<String, Object> curve = new LinkedHashMap<>();
            for (int k = 0; k < gain.candidates().length; k++) {
                curve.put(String.format(Locale.ROOT, "%.1f", gain.candidates()[k]), gain.errorMeanPct()[k]);
            }
            row.put("sub_lsb_calibration_error_mean_pct", curve);
            row.put("sub_lsb_calibration_seconds", gain.seconds());
        }
    }

    /** The model's Hessian compensation, measured on the first use and kept in {@code cache[0]}. */
    static HessianCompensation compensation(Network model, FloatSet calibration, HessianCompensation[] cache) {
        if (cache[0] == null) {
            cache[0] = HessianCompensation.of(model, calibration);
        }
        return cache[0];
    }

    /** The activation quantizer of a strategy (null when its activations stay float). */
    public static ActivationHook hook(Network model, QuantSpec spec, QuantOptions o, FloatSet calibration) {
        int ab = o.activationBitsFor(spec);
        if (ab < 0) {
            return null;
        }
        return ActivationQuantizer.calibrate(model, model.params(), calibration, CALIBRATION_ROWS, ab,
                o.clipPercentile());
    }

    static MetricsReport evaluate(WeightSource src, ActivationHook hook, FloatSet test, Plan plan, long seed,
            Parallel par) {
        McPredictions p = QuantEvaluation.predict(src, hook, test, plan.samples(), seed, par);
        return UncertaintyMetrics.report(p);
    }

    static Map<String, Object> floor(UncertaintyError e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("uncertainty_error_mean_pct", e.meanPct());
        m.put("uncertainty_error_max_pct", e.maxPct());
        m.put("accuracy_delta", e.accuracyDelta());
        m.put("auroc_ood_delta", e.aurocOodDelta());
        m.put("auroc_amb_delta", e.aurocAmbDelta());
        return m;
    }

    static String brief(UncertaintyError e) {
        return String.format(Locale.ROOT, "uncertainty error mean %.2f%%, max %.2f%%, d_acc %+.4f, d_auroc_ood %+.4f, "
                + "d_auroc_amb %+.4f", e.meanPct(), e.maxPct(), e.accuracyDelta(), e.aurocOodDelta(),
                e.aurocAmbDelta());
    }

    /** The columns of the CSV, in order. */
    public static final List<String> COLUMNS = List.of("model", "strategy", "bits", "variant", "accuracy", "nll", "ece",
            "auroc_ood", "auroc_amb", "mnist_aleatoric", "mnist_epistemic", "ambiguous_aleatoric",
            "ambiguous_epistemic", "ood_aleatoric", "ood_epistemic", "uncertainty_error_mean_pct",
            "uncertainty_error_max_pct", "accuracy_delta", "auroc_ood_delta", "auroc_amb_delta", "memory_bytes",
            "memory_reduction", "memory_bytes_weights", "memory_reduction_weights", "memory_reduction_layer_scales",
            "clusters", "stored_parameters", "parameter_reduction");

    static Map<String, Object> row(String model, String strategy, int bits, String variant, MetricsReport r,
            MetricsReport ref, Storage s, Storage fp) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", model);
        m.put("strategy", strategy);
        m.put("bits", bits);
        m.put("variant", variant);
        m.put("accuracy", r.accuracy());
        m.put("nll", r.nll());
        m.put("ece", r.ece());
        m.put("auroc_ood", r.aurocOod());
        m.put("auroc_amb", r.aurocAmb());
        for (String d : new String[] {MetricsReport.MNIST, MetricsReport.AMBIGUOUS, MetricsReport.OOD}) {
            SubsetSummary ss = r.subset(d);
            m.put(d + "_aleatoric", ss.aleatoricMean());
            m.put(d + "_epistemic", ss.epistemicMean());
        }
        UncertaintyError e = UncertaintyError.between(r, ref);
        m.put("uncertainty_error_mean_pct", e.meanPct());
        m.put("uncertainty_error_max_pct", e.maxPct());
        m.put("accuracy_delta", e.accuracyDelta());
        m.put("auroc_ood_delta", e.aurocOodDelta());
        m.put("auroc_amb_delta", e.aurocAmbDelta());
        long fpBytes = fp.fp32Bytes();
        m.put("memory_bytes", s.totalBytes());
        m.put("memory_reduction", (double) fpBytes / s.totalBytes());
        m.put("memory_bytes_weights", s.weightBytes());
        m.put("memory_reduction_weights", (double) fpBytes / s.weightBytes());
        m.put("memory_reduction_layer_scales", (double) fpBytes / s.totalBytesLayerScales());
        return m;
    }

    static String line(Map<String, Object> r) {
        return String.format(Locale.ROOT, "%-6s %-5s %2s %-18s acc %.4f  ood %.4f  amb %.4f  err mean %7.2f%% max %7.2f%%"
                + "  mem %.2fx", r.get("model"), r.get("strategy"), r.get("bits"), r.get("variant"), r.get("accuracy"),
                r.get("auroc_ood"), r.get("auroc_amb"), r.get("uncertainty_error_mean_pct"),
                r.get("uncertainty_error_max_pct"), r.get("memory_reduction"))
                + (r.get("sub_lsb_gain") instanceof Double g ? String.format(Locale.ROOT, "  gain %.1f", g) : "");
    }

    /** JSON: {@code {"samples", "seed", "options", "floors", "seconds", "rows"}}. */
    public static void writeJson(Path file, Plan plan, List<Result> results) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("samples", plan.samples());
        root.put("seed", plan.seed());
        root.put("options", plan.options().describe());
        List<Object> floors = new ArrayList<>();
        List<Map<String, Object>> rows = new ArrayList<>();
        double sec = 0;
        for (Result r : results) {
            floors.add(r.floors());
            rows.addAll(r.rows());
            sec += r.seconds();
        }
        root.put("floors", floors.size() == 1 ? floors.get(0) : floors);
        root.put("seconds", sec);
        root.put("rows", rows);
        JsonMapper json = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
        AtomicFiles.writeString(file, json.writeValueAsString(root) + "\n");
    }

    /** CSV with {@link #COLUMNS} (empty where a row has no value). */
    public static void writeCsv(Path file, List<Result> results) {
        StringBuilder b = new StringBuilder(String.join(",", COLUMNS)).append('\n');
        for (Result r : results) {
            for (Map<String, Object> row : r.rows()) {
                List<String> cells = new ArrayList<>();
                for (String c : COLUMNS) {
                    Object v = row.get(c);
                    cells.add(v == null ? "" : v.toString());
                }
                b.append(String.join(",", cells)).append('\n');
            }
        }
        AtomicFiles.writeString(file, b.toString());
    }

    /** Metrics plotted against bits, one PNG each. */
    public static final List<String> PLOTTED = List.of("accuracy", "nll", "ece", "auroc_ood", "auroc_amb",
            "uncertainty_error_mean_pct", "uncertainty_error_max_pct", "mnist_epistemic", "ood_epistemic",
            "ambiguous_aleatoric", "memory_reduction");

    /** One PNG per metric in {@link #PLOTTED}: the metric against bits, a line per (model, strategy, variant). */
    public static List<Path> writePlots(Path dir, List<Result> results) {
        List<Path> out = new ArrayList<>();
        for (String metric : PLOTTED) {
            Map<String, List<double[]>> series = new LinkedHashMap<>();
            for (Result r : results) {
                for (Map<String, Object> row : r.rows()) {
                    if ("fp".equals(row.get("strategy")) || "share".equals(row.get("strategy"))) {
                        continue;
                    }
                    Object v = row.get(metric);
                    if (!(v instanceof Number num)) {
                        continue;
                    }
                    String key = (results.size() > 1 ? row.get("model") + " " : "") + row.get("strategy") + " "
                            + row.get("variant");
                    series.computeIfAbsent(key, k -> new ArrayList<>())
                            .add(new double[] {((Number) row.get("bits")).doubleValue(), num.doubleValue()});
                }
            }
            series.values().removeIf(l -> l.size() < 2);
            if (series.isEmpty()) {
                continue;
            }
            Path png = dir.resolve(metric + ".png");
            Plots.writeLinePng(png, metric + " against bits", "bits", metric, series);
            out.add(png);
        }
        return out;
    }

    static void require(boolean ok, String msg) {
        if (!ok) {
            throw new BadInputException(msg);
        }
    }

    /**
     * The demo's two rows: the float model and its 4-bit JQ post-training quantization, evaluated with
     * common random numbers, and the uncertainty error between them (docs/quantization.md).
     */
    public static String demoRows(Network net, FloatSet calibration, FloatSet heldOut, FloatSet test, int samples,
            long seed, int threads) {
        if (!net.bayesian()) {
            return "";
        }
        Plan plan = new Plan(List.of(Strategy.JQ), List.of(4), List.of(), samples, seed, false, QuantOptions.defaults());
        StringBuilder b = new StringBuilder();
        try (Parallel par = Parallel.of(threads)) {
            QuantizedNetwork fp = QuantizedNetwork.of(net, QuantSpec.fp(), plan.options());
            MetricsReport ref = evaluate(fp, null, test, plan, seed, par);
            QuantSpec jq = QuantSpec.parse("jq:4");
            HessianCompensation hc = HessianCompensation.of(net, calibration);
            ActivationHook hook = hook(net, jq, plan.options(), calibration);
            SubLsbGain.Calibration gain = SubLsbGain.calibrate(net, jq, plan.options(), hc, hook, heldOut,
                    SubLsbGain.DEFAULT_SAMPLES, par);
            QuantizedNetwork q = QuantizedNetwork.of(net, jq, gain.apply(plan.options()), hc);
            MetricsReport r = evaluate(q, hook, test, plan, seed, par);
            Storage fs = fp.storage();
            Storage qs = q.storage();
            b.append(String.format(Locale.ROOT, "%-22s %9s %10s %10s %12s%n", "common random numbers", "accuracy",
                    "auroc_ood", "auroc_amb", "memory"));
            b.append(String.format(Locale.ROOT, "%-22s %8.2f%% %10.4f %10.4f %10d B%n", "float (FP32)", 100 * ref.accuracy(),
                    ref.aurocOod(), ref.aurocAmb(), fs.totalBytes()));
            b.append(String.format(Locale.ROOT, "%-22s %8.2f%% %10.4f %10.4f %10d B%n", "JQ 4-bit (PTQ, A8)",
                    100 * r.accuracy(),
                    r.aurocOod(), r.aurocAmb(), qs.totalBytes()));
            b.append("JQ 4-bit against float: ").append(brief(UncertaintyError.between(r, ref))).append('\n');
            b.append("JQ 4-bit ").append(gain.describe()).append('\n');
        }
        return b.toString();
    }
}
