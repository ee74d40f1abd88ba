package org.bmsim.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.bmsim.common.BadInputException;
import org.bmsim.examples.data.DataCache;
import org.bmsim.examples.dirty.DirtyMnist;
import org.bmsim.examples.dirty.DirtyMnistLite;
import org.bmsim.examples.quant.QuantTable;
import org.bmsim.sim.data.FloatSet;
import org.bmsim.sim.io.ModelFile;
import org.bmsim.sim.nn.Network;
import org.bmsim.sim.nn.Parallel;
import org.bmsim.sim.quant.LogQuantizer;
import org.bmsim.sim.quant.JqCoding;
import org.bmsim.sim.quant.QuantOptions;
import org.bmsim.sim.quant.QuantSpec;
import org.bmsim.sim.quant.Strategy;
import org.bmsim.sim.quant.SubLsbGain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bmsim quant-table}: the fidelity table of the quantization strategies. */
@Command(name = "quant-table", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Quantize a Bayesian model file with each strategy at each bit width (post-training) and "
            + "evaluate it by Monte Carlo on the Dirty-MNIST-lite test sets with common random numbers against its "
            + "float reference: accuracy, nll, ece, auroc_ood, auroc_amb, per-subset aleatoric/epistemic means, "
            + "uncertainty error (mean and max %%), memory. Also the Monte Carlo floor (FP32 reseeded) and, with "
            + "--floor-model, the training floor. docs/quantization.md explains the table."})
public final class QuantTableCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "Bayesian model file (.safetensors).")
    Path model;

    @Option(names = "--strategies", defaultValue = "fp,vpq,spq,jq,share", paramLabel = "LIST",
            description = "Comma-separated: fp, vpq, spq, jq, share or share:K (default: ${DEFAULT-VALUE}).")
    String strategies;

    @Option(names = "--bits", defaultValue = "2,3,4,6,8", paramLabel = "LIST",
            description = "Bit widths, each 2..8 (default: ${DEFAULT-VALUE}).")
    String bits;

    @Option(names = "--samples", defaultValue = "100", paramLabel = "S", description = "Monte Carlo samples (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the common random numbers (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--per-layer", description = "Per-layer instead of per-output-channel scales.")
    boolean perLayer;

    @Option(names = "--octave", description = "Octave instead of half-octave sigma steps.")
    boolean octave;

    @Option(names = "--activation-bits", defaultValue = "8", paramLabel = "B", description = "Activation width of "
            + "SPQ and JQ: 2..16, 0 = the weight width, -1 = float (default: ${DEFAULT-VALUE}).")
    int activationBits;

    @Option(names = "--jq-coding", defaultValue = "moments", paramLabel = "RULE", description = "How JQ chooses its "
            + "codes: moments (the rounded sample's mean and sd match the float weight's) or nearest (the spec's "
            + "nearest codes) (default: ${DEFAULT-VALUE}).")
    String jqCoding;

    @Option(names = "--sub-lsb-gain", defaultValue = "auto", paramLabel = "G", description = "Moment-matched JQ: "
            + "the factor on sigmas below half an LSB, in [0.05, 1] (1 = plain moment matching), or auto: calibrated "
            + "per row on held-out images (default: ${DEFAULT-VALUE}).")
    String subLsbGain;

    @Option(names = "--no-compensation", description = "Round each mean weight on its own instead of with Hessian "
            + "compensation on calibration images.")
    boolean noCompensation;

    @Option(names = "--no-ablations", description = "Leave out the uniform-sigma, hardware, per-layer, octave, "
            + "coding, compensation and activation variants.")
    boolean noAblations;

    @Option(names = "--floor-model", paramLabel = "FILE", description = "A float model of the same recipe with another "
            + "training seed: its error against --model is the training floor.")
    Path floorModel;

    @Option(names = "--parent", paramLabel = "FILE", description = "The float model --model was fine-tuned from "
            + "(bmsim train --qat): the float reference and the floors are the parent's.")
    Path parent;

    @Option(names = "--activation-models", paramLabel = "NAME=FILE[,...]", description = "The activation ablation: "
            + "models trained with other activations, each run through the same table against its own float reference.")
    String activationModels;

    @Option(names = "--json", paramLabel = "OUT.json", description = "Table as JSON.")
    Path json;

    @Option(names = "--csv", paramLabel = "OUT.csv", description = "Table as CSV.")
    Path csv;

    @Option(names = "--plots", paramLabel = "DIR", description = "PNG plots of each metric against bits.")
    Path plots;

    @Option(names = "--threads", paramLabel = "T", description = "Worker threads (default: the number of processors).")
    Integer threads;

    @Override
    public Integer call() {
        PrintStream log = new PrintStream(new WriterOutputStream(spec.commandLine().getErr()), true);
        PrintStream out = new PrintStream(new WriterOutputStream(spec.commandLine().getOut()), true);
        int t = threads == null ? Parallel.defaultThreads() : threads;
        Parallel.checkThreads(t);
        if (samples < 2) {
            throw new BadInputException("samples must be at least 2, got " + samples);
        }
        List<Strategy> st = new ArrayList<>();
        List<Integer> clusters = new ArrayList<>();
        for (String s : strategies.split(",")) {
            QuantSpec q = s.trim().toLowerCase(Locale.ROOT).equals("share") ? QuantSpec.share(QuantSpec.DEFAULT_CLUSTERS)
                    : s.contains(":") ? QuantSpec.parse(s) : QuantSpec.of(QuantSpec.strategy(s, s), 4);
            if (!st.contains(q.strategy())) {
                st.add(q.strategy());
            }
            if (q.strategy() == Strategy.SHARE) {
                clusters.add(q.clusters());
            }
        }
        QuantOptions o = QuantOptions.defaults().withChannelScales(!perLayer)
                .withSigmaDelta(octave ? LogQuantizer.OCTAVE : LogQuantizer.HALF_OCTAVE).withActivationBits(activationBits)
                .withJqCoding(JqCoding.parse(jqCoding)).withCompensation(!noCompensation)
                .withSubLsbGain(SubLsbGain.parse(subLsbGain));
        QuantTable.Plan plan = new QuantTable.Plan(st, QuantSpec.parseBits(bits), clusters, samples, seed, !noAblations, o);
        Network net = ModelFile.read(model);
        requireBayesian(net, model);
        Network floor = floorModel == null ? null : ModelFile.read(floorModel);
        DataCache cache = DataCache.fromEnvironment();
        DirtyMnistLite data = DirtyMnist.load(cache, log::println);
        FloatSet heldOut = DirtyMnist.heldOut(cache, data);
        List<QuantTable.Result> results = new ArrayList<>();
        Network par = parent == null ? null : ModelFile.read(parent);
        results.add(QuantTable.run(net.architecture().activation().id(), net, par, floor, data.train(), heldOut, data.test(),
                plan,
                t, log));
        if (activationModels != null) {
            for (String e : activationModels.split(",")) {
                int eq = e.indexOf('=');
                if (eq <= 0) {
                    throw new BadInputException("--activation-models wants NAME=FILE pairs, got '" + e + "'");
                }
                Network m = ModelFile.read(Path.of(e.substring(eq + 1).trim()));
                requireBayesian(m, Path.of(e.substring(eq + 1).trim()));
                QuantTable.Plan p2 = new QuantTable.Plan(List.of(Strategy.SPQ, Strategy.JQ), plan.bits(), List.of(),
                        samples, seed, false, o);
                results.add(QuantTable.run(e.substring(0, eq).trim(), m, null, data.train(), heldOut, data.test(), p2, t,
                        log));
            }
        }
        if (json != null) {
            QuantTable.writeJson(json, plan, results);
        }
        if (csv != null) {
            QuantTable.writeCsv(csv, results);
        }
        if (plots != null) {
            QuantTable.writePlots(plots, results);
        }
        double sec = results.stream().mapToDouble(QuantTable.Result::seconds).sum();
        out.printf(Locale.ROOT, "%d rows in %.1f s%n", results.stream().mapToInt(r -> r.rows().size()).sum(), sec);
        return 0;
    }

    private static void requireBayesian(Network n, Path p) {
        if (!n.bayesian()) {
            throw new BadInputException(p + ": quant-table needs a Bayesian model (this one is deterministic)");
        }
    }
}
