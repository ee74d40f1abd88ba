package org.bmsim.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.bmsim.examples.data.DataCache;
import org.bmsim.examples.sweep.Explore;
import org.bmsim.examples.sweep.Shard;
import org.bmsim.examples.sweep.SweepContext;
import org.bmsim.examples.sweep.SweepEngine;
import org.bmsim.examples.sweep.SweepRecord;
import org.bmsim.examples.sweep.SweepReport;
import org.bmsim.examples.sweep.SweepSpec;
import org.bmsim.sim.machine.Machines;
import org.bmsim.sim.nn.Parallel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bmsim explore}: architecture search over tile and converter parameters with the Pareto front. */
@Command(name = "explore", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Architecture search over tile and converter parameters (docs/sweeps.md, \"Explore\"): square tiles "
            + "of each --tile-sizes x --adc-bits x --columns-per-adc (x --dac-bits) on a base machine, each point a "
            + "replay. Runs as a sweep (parallel, resumable: the same command again continues), prints the Pareto front "
            + "of energy per inference against the uncertainty error, and writes DIR/report/ with the Pareto plots "
            + "(also against 1 - accuracy), pareto.csv, every metric against every parameter, and report.html."})
public final class ExploreCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "Model file (.safetensors).")
    Path model;

    @Option(names = "--machine", defaultValue = "pcm-joshi2020", paramLabel = "NAME|FILE",
            description = "Base machine (default: ${DEFAULT-VALUE}).")
    String machine;

    @Option(names = "--strategy", defaultValue = "jq", paramLabel = "fp|vpq|jq", description = "Quantization (default: ${DEFAULT-VALUE}).")
    String strategy;

    @Option(names = "--bits", defaultValue = "4", paramLabel = "B", description = "Bits (default: ${DEFAULT-VALUE}).")
    int bits;

    @Option(names = "--tile-sizes", split = ",", defaultValue = "64,128,256", paramLabel = "N,...",
            description = "Square tile sizes, rows = cols (default: ${DEFAULT-VALUE}).")
    List<Integer> tileSizes;

    @Option(names = "--adc-bits", split = ",", defaultValue = "4,6,8", paramLabel = "B,...",
            description = "ADC resolutions (default: ${DEFAULT-VALUE}).")
    List<Integer> adcBits;

    @Option(names = "--columns-per-adc", split = ",", defaultValue = "1,8", paramLabel = "C,...",
            description = "Columns sharing one ADC (default: ${DEFAULT-VALUE}).")
    List<Integer> columnsPerAdc;

    @Option(names = "--dac-bits", split = ",", paramLabel = "B,...", description = "DAC resolutions (default: the base machine's).")
    List<Integer> dacBits;

    @Option(names = "--samples", defaultValue = "20", paramLabel = "S", description = "Monte Carlo samples (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--subsample", defaultValue = "20", paramLabel = "K",
            description = "Every K-th test image (default: ${DEFAULT-VALUE}).")
    int subsample;

    @Option(names = "--seed", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--data", defaultValue = "dirty-mnist-lite", paramLabel = "dirty-mnist-lite|random-images",
            description = "Test data (default: ${DEFAULT-VALUE}; random-images for cost-only searches).")
    String data;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (resumed if it holds this search).")
    Path out;

    @Option(names = "--threads", paramLabel = "T", description = "Points run at once (default: the number of processors).")
    Integer threads;

    @Override
    public Integer call() {
        PrintStream o = new PrintStream(new WriterOutputStream(spec.commandLine().getOut()), true);
        PrintStream log = new PrintStream(new WriterOutputStream(spec.commandLine().getErr()), true);
        int t = threads == null ? Parallel.defaultThreads() : Parallel.checkThreads(threads);
        String yaml = Explore.sweepYaml(new Explore.Space(model,
                Machines.PRESETS.contains(machine) ? machine : Path.of(machine).toAbsolutePath().toString(), strategy, bits, tileSizes,
                adcBits, columnsPerAdc, dacBits == null ? List.of() : dacBits, samples, subsample, seed, data));
        SweepSpec s = SweepSpec.parse(yaml, "explore", Path.of("").toAbsolutePath());
        s.checkSize(false);
        SweepContext ctx = SweepContext.forSpec(s, DataCache.fromEnvironment(), log::println);
        SweepEngine.Summary sum = SweepEngine.run(s, yaml, ctx, out, t, Shard.ALL, System.console() != null, log);
        List<SweepRecord> front = Explore.front(out);
        o.printf(java.util.Locale.ROOT, "explore: %d points in %s (%.1f s this run); Pareto front of energy per inference vs "
                + "uncertainty error: %d points%n", sum.pointsInShard(), out, sum.wallSeconds(), front.size());
        o.print(Explore.table(front));
        o.println("report: " + SweepReport.write(out));
        return 0;
    }
}
