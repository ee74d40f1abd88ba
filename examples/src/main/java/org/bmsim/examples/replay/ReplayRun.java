package org.bmsim.examples.replay;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bmsim.common.AtomicFiles;
import org.bmsim.common.BadInputException;
import org.bmsim.examples.quant.QuantTable;
import org.bmsim.examples.report.Plots;
import org.bmsim.noise.device.DevicePreset;
import org.bmsim.sim.data.FloatSet;
import org.bmsim.sim.machine.MachineDescription;
import org.bmsim.sim.machine.Machines;
import org.bmsim.sim.machine.MappedNetwork;
import org.bmsim.sim.metrics.McPredictions;
import org.bmsim.sim.metrics.MetricsReport;
import org.bmsim.sim.metrics.UncertaintyError;
import org.bmsim.sim.metrics.UncertaintyMetrics;
import org.bmsim.sim.nn.ActivationHook;
import org.bmsim.sim.nn.Network;
import org.bmsim.sim.nn.Parallel;
import org.bmsim.sim.quant.HessianCompensation;
import org.bmsim.sim.quant.JqCoding;
import org.bmsim.sim.quant.QuantEvaluation;
import org.bmsim.sim.quant.QuantOptions;
import org.bmsim.sim.quant.QuantSpec;
import org.bmsim.sim.quant.QuantizedNetwork;
import org.bmsim.sim.quant.Strategy;
import org.bmsim.sim.quant.SubLsbGain;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Replays a network on a machine: maps it onto the tiles, runs S Monte Carlo samples through the
 * tile reads, and reports every metric of {@code eval}, the uncertainty errors against the float
 * reference, the mapping, and cycles, latency and energy per inference with their breakdowns.
 *
 * <p>Strategies: {@code fp} maps the float (mu, sigma) onto analog cells as they are; {@code vpq:B}
 * and {@code jq:B} first quantize the network ({@code QuantizedNetwork}, Hessian-compensated means
 * measured on training images). A digital-jq machine holds the JQ codes of hardware mode (the
 * machine's widths, scales and activation bits: the weights the RTL samples); an analog machine is
 * programmed with the stored codes' values (JQ with nearest codes there: an analog cell does not
 * round the sample, so the moment-matched coding, which corrects for that rounding, does not apply).
 *
 * <p>The float reference is the network's FP32 Monte Carlo run on the quantization work's common
 * random numbers, with its Monte Carlo floor (reseeded) beside it. A digital machine on one ICDF
 * lane draws that very stream, so its error is the quantization table's; other machines draw their
 * own noise, so their error includes Monte Carlo noise of the size of the floor.
 */
public final class ReplayRun {
    /** Images whose noise-free outputs calibrate percentile ADC ranges (the first of the training set). */
    public static final int CALIBRATION_IMAGES = 256;

    private ReplayRun() {
    }

    /** Everything a replay produced. */
    public record Result(MachineDescription machine, String strategy, McPredictions predictions,
            UncertaintyMetrics.Uncertainties uncertainties, MetricsReport report, MetricsReport reference,
            UncertaintyError error, UncertaintyError floor, boolean commonRandomNumbers, Map<String, Object> mapping,
            Map<String, Object> cost, double effectiveSampleSize, double seconds, double referenceSeconds) {
    }

    /** The strategy of {@code --strategy NAME --bits B}: fp, vpq:B or jq:B. */
    public static QuantSpec strategy(String name, Integer bits) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        if (n.equals("fp")) {
            if (bits != null) {
                throw new BadInputException("--bits applies to a quantization strategy, not to --strategy fp");
            }
            return QuantSpec.fp();
        }
        if (!n.equals("vpq") && !n.equals("jq")) {
            throw new BadInputException("replay supports --strategy fp, vpq or jq, not '" + name + "'");
        }
        return QuantSpec.parse(n + ":" + (bits == null ? 4 : bits));
    }

    /**
     * The machine with {@code --mapping plain|search} applied (null: as it is). {@code search}
     * keeps the machine's own candidate lists when it has a mapping block, else the defaults.
     */
    public static MachineDescription withMapping(MachineDescription m, String mapping) {
        if (mapping == null) {
            return m;
        }
        switch (mapping.trim().toLowerCase(Locale.ROOT)) {
            case "plain":
                return m.withMapping(MachineDescription.Mapping.plain());
            case "search":
                MachineDescription.Mapping own = m.mapping();
                return m.withMapping(own == null ? MachineDescription.Mapping.searchDefaults()
                        : new MachineDescription.Mapping(true, own.cells(), own.replicas(), own.scaleFactors(), own.objective(),
                                own.scaling(), own.rowGainMin()));
            default:
                throw new BadInputException("--mapping must be plain or search, got '" + mapping + "'");
        }
    }

    /** Refuses a strategy the machine cannot run (before any data is loaded). */
    public static void check(MachineDescription m, QuantSpec strategy) {
        if (!m.tile().cellType().analog() && strategy.strategy() != Strategy.JQ) {
            throw new BadInputException("machine " + m.name() + " has digital-jq cells, which hold JQ codes: use "
                    + "--strategy jq --bits " + m.digital().wBits());
        }
        if (!m.tile().cellType().analog() && (strategy.bits() != m.digital().wBits()
                || m.digital().muBits() != m.digital().wBits() || m.digital().sigmaBits() != m.digital().wBits())) {
            throw new BadInputException("machine " + m.name() + " has a datapath of mu " + m.digital().muBits()
                    + ", sigma " + m.digital().sigmaBits() + ", w " + m.digital().wBits() + " bits; --strategy "
                    + strategy.id() + " needs all three at " + strategy.bits());
        }
    }

    /**
     * The float reference of a replay: the network's FP32 Monte Carlo run on the quantization
     * work's common random numbers, and the same run reseeded (seed + 1), whose distance to the
     * first is the Monte Carlo floor. Depends on the network, the test images, S and the seed only,
     * so a sweep computes it once for every machine it replays the network on.
     */
    public record Reference(MetricsReport report, MetricsReport reseeded, double seconds) {
    }

    /**
     * What a machine is programmed with: for digital cells the hardware-mode quantized network,
     * its activation hook and its calibrated sub-LSB gain; for analog cells the network whose
     * (mu, sigma) the devices are programmed to (the float network for fp, the stored codes'
     * values otherwise). Depends on the network, the strategy and {@link #programKey}'s part of
     * the machine only.
     */
    public record Programmed(QuantizedNetwork digital, ActivationHook hook, SubLsbGain.Calibration gain,
            Network analog) {
    }

    /** The float reference (see {@link Reference}). */
    public static Reference reference(Network net, FloatSet test, int samples, long seed, int threads) {
        long t0 = System.nanoTime();
        try (Parallel par = Parallel.of(threads)) {
            QuantizedNetwork fp = QuantizedNetwork.of(net, QuantSpec.fp(), QuantOptions.defaults());
            MetricsReport ref = UncertaintyMetrics.report(QuantEvaluation.predict(fp, null, test, samples, seed, par));
            MetricsReport reseeded = UncertaintyMetrics.report(
                    QuantEvaluation.predict(fp, null, test, samples, seed + 1, par));
            return new Reference(ref, reseeded, (System.nanoTime() - t0) / 1e9);
        }
    }

    /**
     * The part of a machine description that {@link #program} depends on: the cell kind and, for
     * digital cells, the column scales and the activation width. Two machines with the same key
     * and strategy are programmed with the same network.
     */
    public static String programKey(MachineDescription m, QuantSpec strategy) {
        if (m.tile().cellType().analog()) {
            return "analog|" + strategy.id();
        }
        return "digital|" + strategy.id() + "|" + m.digital().scale() + "|x" + m.digital().xBits();
    }

    /** Quantizes (and, for digital cells, calibrates the sub-LSB gain of) the network for the machine. */
    public static Programmed program(Network net, FloatSet train, FloatSet heldOut, MachineDescription m,
            QuantSpec strategy, int threads, PrintStream log) {
        check(m, strategy);
        if (!m.tile().cellType().analog()) {
            MachineDescription.Digital d = m.digital();
            QuantOptions o = QuantOptions.defaults().withHardware(true).withPow2Scales(d.pow2Scales())
                    .withActivationBits(d.xBits());
            HessianCompensation hc = HessianCompensation.of(net, train);
            ActivationHook hook = QuantTable.hook(net, strategy, o, train);
            SubLsbGain.Calibration gain;
            try (Parallel par = Parallel.of(threads)) {
                gain = SubLsbGain.calibrate(net, strategy, o, hc, hook, heldOut, SubLsbGain.DEFAULT_SAMPLES, par);
            }
            if (o.usesSubLsbGain(strategy)) {
                log.println(strategy.id() + " " + gain.describe());
            }
            return new Programmed(QuantizedNetwork.of(net, strategy, gain.apply(o), hc), hook, gain, null);
        }
        Network mapped = net;
        if (strategy.strategy() != Strategy.FP) {
            QuantOptions o = QuantOptions.defaults().withJqCoding(JqCoding.NEAREST);
            mapped = QuantizedNetwork.of(net, strategy, o, HessianCompensation.of(net, train)).storedNetwork();
        }
        return new Programmed(null, null, null, mapped);
    }

    public static Result run(Network net, FloatSet train, FloatSet heldOut, FloatSet test, MachineDescription m,
            QuantSpec strategy, int samples, long seed, int threads, PrintStream log) {
        return run(net, train, heldOut, test, m, strategy, samples, seed, threads, log, null);
    }

    /**
     * As the other overload, the analog mapping chosen with the device model {@code mappingDevice}
     * and read on the machine's own device ({@code MappedNetwork.map}); null: the machine's device.
     */
    public static Result run(Network net, FloatSet train, FloatSet heldOut, FloatSet test, MachineDescription m,
            QuantSpec strategy, int samples, long seed, int threads, PrintStream log, DevicePreset mappingDevice) {
        if (!net.bayesian()) {
            throw new BadInputException("replay needs a Bayesian model (this one is deterministic)");
        }
        check(m, strategy);
        log.printf("replaying %s (%s) on machine %s (%s, %s), S = %d, seed %d%n", net.architecture(), strategy.id(),
                m.name(), m.tile().cell(), m.tile().sampling(), samples, seed);
        Reference ref = reference(net, test, samples, seed, threads);
        long t0 = System.nanoTime();
        Programmed prog = program(net, train, heldOut, m, strategy, threads, log);
        double programSeconds = (System.nanoTime() - t0) / 1e9;
        return run(prog, ref, train, test, m, strategy, samples, seed, threads, programSeconds, mappingDevice);
    }

    /**
     * A replay of an already programmed network against an already computed reference (a sweep
     * reuses both across the machines that share them); {@code seconds} of the result are the
     * mapping and prediction plus {@code programSeconds}.
     */
    public static Result run(Programmed prog, Reference ref, FloatSet train, FloatSet test, MachineDescription m,
            QuantSpec strategy, int samples, long seed, int threads, double programSeconds) {
        return run(prog, ref, train, test, m, strategy, samples, seed, threads, programSeconds, null);
    }

    private static Result run(Programmed prog, Reference ref, FloatSet train, FloatSet test, MachineDescription m,
            QuantSpec strategy, int samples, long seed, int threads, double programSeconds, DevicePreset mappingDevice) {
        check(m, strategy);
        if (mappingDevice != null && prog.digital() != null) {
            throw new BadInputException("a mapping from another device model is for analog machines; " + m.name()
                    + " has digital-jq cells");
        }
        long t0 = System.nanoTime();
        MappedNetwork mn;
        if (prog.digital() != null) {
            mn = MappedNetwork.mapDigital(prog.digital(), prog.hook(), m, seed);
        } else {
            mn = MappedNetwork.map(prog.analog(), m, seed, mappingDevice);
            mn.calibrate(train, CALIBRATION_IMAGES, seed);
        }
        McPredictions p;
        try (Parallel par = Parallel.of(threads)) {
            p = mn.predict(test, samples, seed, par);
        }
        UncertaintyMetrics.Uncertainties u = UncertaintyMetrics.uncertainties(p);
        MetricsReport r = UncertaintyMetrics.report(p, u);
        double secs = programSeconds + (System.nanoTime() - t0) / 1e9;
        Map<String, Object> mapping = new java.util.LinkedHashMap<>(mn.mappingReport());
        if (prog.gain() != null && prog.gain().images() > 0) {
            QuantTable.putGain(mapping, prog.gain());
        }
        return new Result(m, strategy.id(), p, u, r, ref.report(), UncertaintyError.between(r, ref.report()),
                UncertaintyError.between(ref.reseeded(), ref.report()), mn.commonRandomNumbers(), mapping,
                mn.costReport(samples), mn.effectiveSampleSize(samples), secs, ref.seconds());
    }

    /** Every k-th image of a data set (k = 1: the set itself), for quick comparisons on a subset. */
    public static FloatSet every(FloatSet d, int k) {
        if (k < 1) {
            throw new BadInputException("--subsample must be >= 1, got " + k);
        }
        if (k == 1) {
            return d;
        }
        int n = (d.count() + k - 1) / k;
        int size = d.imageSize();
        float[] x = new float[n * size];
        short[] labels = new short[n];
        byte[] subset = new byte[n];
        float[] soft = d.softLabels() == null ? null : new float[n * d.classes()];
        for (int i = 0; i < n; i++) {
            System.arraycopy(d.x(), i * k * size, x, i * size, size);
            labels[i] = d.labels()[i * k];
            subset[i] = d.subset()[i * k];
            if (soft != null) {
                System.arraycopy(d.softLabels(), i * k * d.classes(), soft, i * d.classes(), d.classes());
            }
        }
        return new FloatSet(d.name() + " (every " + k + ")", n, d.channels(), d.rows(), d.cols(), x, labels, subset, soft,
                d.classes());
    }

    /** The JSON: eval's metrics at the top level plus the machine's fields. */
    public static String json(Result r) {
        JsonMapper mapper = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
        ObjectNode o = (ObjectNode) mapper.readTree(r.report().toJson());
        o.put("machine", r.machine().name());
        o.put("strategy", r.strategy());
        o.put("cycles_per_inference", (Long) r.cost().get("cycles_per_inference"));
        o.put("latency_ns_per_inference", (Double) r.cost().get("latency_ns_per_inference"));
        o.put("energy_pj_per_inference", (Double) r.cost().get("energy_pj_per_inference"));
        o.set("cost", mapper.valueToTree(r.cost()));
        o.put("effective_sample_size", r.effectiveSampleSize());
        o.set("uncertainty_error", mapper.valueToTree(r.error()));
        o.set("monte_carlo_floor", mapper.valueToTree(r.floor()));
        o.set("float_reference", mapper.readTree(r.reference().toJson()));
        o.put("common_random_numbers", r.commonRandomNumbers());
        o.set("mapping", mapper.valueToTree(r.mapping()));
        o.put("replay_seconds", r.seconds());
        o.put("reference_seconds", r.referenceSeconds());
        return mapper.writeValueAsString(o);
    }

    /** Writes the JSON and, with a report directory, machine.yaml, the plots and report.md. */
    public static void write(Result r, Path json, Path reportDir) {
        AtomicFiles.writeString(json, json(r) + "\n");
        if (reportDir == null) {
            return;
        }
        AtomicFiles.writeString(reportDir.resolve("machine.yaml"), Machines.toYaml(r.machine()));
        List<Path> plots = Plots.writeUncertaintyHistograms(reportDir, r.uncertainties(), r.predictions().subset());
        AtomicFiles.writeString(reportDir.resolve("report.md"), markdown(r, plots));
    }

    @SuppressWarnings("unchecked")
    static String markdown(Result r, List<Path> plots) {
        StringBuilder b = new StringBuilder();
        MetricsReport q = r.report();
        MetricsReport f = r.reference();
        b.append("# Replay on machine `").append(r.machine().name()).append("`\n\n");
        b.append(r.machine().description()).append("\n\n");
        b.append(String.format(Locale.ROOT, "S = %d Monte Carlo samples, N = %d images; effective sample size %.1f.%n%n",
                q.samples(), q.count(), r.effectiveSampleSize()));
        b.append("| metric | machine | float reference |\n|---|---|---|\n");
        row(b, "accuracy", q.accuracy(), f.accuracy());
        row(b, "nll", q.nll(), f.nll());
        row(b, "ece", q.ece(), f.ece());
        row(b, "brier", q.brier(), f.brier());
        row(b, "auroc_ood", q.aurocOod(), f.aurocOod());
        row(b, "auroc_amb", q.aurocAmb(), f.aurocAmb());
        b.append(String.format(Locale.ROOT, "%nStrategy %s. Uncertainty error against the float reference: mean %s %%, "
                + "max %s %% (%s; Monte Carlo floor: mean %s %%, max %s %%).%n%n", r.strategy(), fmt(r.error().meanPct()),
                fmt(r.error().maxPct()), r.commonRandomNumbers() ? "common random numbers" : "independent noise",
                fmt(r.floor().meanPct()), fmt(r.floor().maxPct())));
        Map<String, Object> c = r.cost();
        b.append("## Cost per inference (one image, S samples)\n\n");
        b.append(String.format(Locale.ROOT, "- cycles: %d (%s), latency %.4g ns, energy %.4g pJ%n", (Long) c.get("cycles_per_inference"),
                c.get("schedule"), (Double) c.get("latency_ns_per_inference"), (Double) c.get("energy_pj_per_inference")));
        b.append(String.format(Locale.ROOT, "- per sample: %d cycles, %.4g pJ%n%n", (Long) c.get("cycles_per_sample"),
                (Double) c.get("energy_pj_per_sample")));
        b.append("| component | energy per inference (pJ) |\n|---|---|\n");
        for (Map.Entry<String, Double> e : ((Map<String, Double>) c.get("energy_pj_per_inference_by_component")).entrySet()) {
            b.append(String.format(Locale.ROOT, "| %s | %.4g |%n", e.getKey(), e.getValue()));
        }
        b.append("\n| layer | tile read cycles | reads per sample | cycles per sample | energy per sample (pJ) |\n|---|---|---|---|---|\n");
        for (Map<String, Object> l : (List<Map<String, Object>>) c.get("per_layer")) {
            b.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %.4g |%n", l.get("layer"), l.get("tile_read_cycles"),
                    l.get("reads_per_sample"), l.get("cycles_per_sample"), (Double) l.get("energy_pj_per_sample")));
        }
        b.append("\n## Mapping\n\n| layer | kind | matrix | tiles | utilisation | unrealisable | path |\n|---|---|---|---|---|---|---|\n");
        for (Map<String, Object> l : (List<Map<String, Object>>) r.mapping().get("layers")) {
            b.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %.3f | %s | %s |%n", l.get("layer"), l.get("kind"),
                    l.get("matrix"), l.get("tiles"), (Double) l.get("utilisation"), l.get("unrealisable_weights"), l.get("path")));
        }
        b.append("\n## Uncertainty\n\n");
        for (Path p : plots) {
            b.append("![").append(p.getFileName()).append("](").append(p.getFileName()).append(")\n\n");
        }
        b.append("Machine description: [machine.yaml](machine.yaml). Area is not reported (no sourced area model).\n");
        return b.toString();
    }

    private static void row(StringBuilder b, String name, Double q, Double f) {
        b.append("| ").append(name).append(" | ").append(fmt(q)).append(" | ").append(fmt(f)).append(" |\n");
    }

    private static String fmt(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.4g", v);
    }

    /** A summary line for the console. */
    public static String summary(Result r) {
        Map<String, Object> c = r.cost();
        return String.format(Locale.ROOT,
                "%s: accuracy %s (float %s), uncertainty error mean %s %%, %d cycles, %.4g ns, %.4g pJ per inference; "
                        + "ESS %.1f; replay %.1f s",
                r.machine().name(), fmt(r.report().accuracy()), fmt(r.reference().accuracy()), fmt(r.error().meanPct()),
                (Long) c.get("cycles_per_inference"), (Double) c.get("latency_ns_per_inference"),
                (Double) c.get("energy_pj_per_inference"), r.effectiveSampleSize(), r.seconds());
    }
}
