package org.bmsim.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.bmsim.common.BadInputException;
import org.bmsim.examples.data.DataCache;
import org.bmsim.examples.dirty.DirtyMnist;
import org.bmsim.examples.replay.ReplayComparison;
import org.bmsim.examples.replay.ReplayRun;
import org.bmsim.sim.machine.MachineDescription;
import org.bmsim.sim.machine.Machines;
import org.bmsim.sim.nn.Parallel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bmsim calibrate check}: does the calibrated machine stand in for the device it was fitted
 * to? ({@link ReplayComparison}, docs/calibration.md section 8.)
 */
@Command(name = "check", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Does a calibrated machine stand in for the device it was fitted to? Replays a model on the fitted "
            + "machine (--fitted) and on the reference (--machine: the preset the data were synthesized from, or your "
            + "chip's description) with the same seed, images and S, and the reference again at seed + 1 for its Monte "
            + "Carlo floor (--floor-seeds K: at K seeds). Prints the six uncertainty means (subset x aleatoric/epistemic) of both, their differences, "
            + "the uncertainty error (mean and max over the cells) and the floor, and whether the error is within it; "
            + "--json writes all of it with both mappings."})
final class CalibrationCheckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--fitted", required = true, paramLabel = "FILE",
            description = "The calibrated machine (the YAML 'bmsim calibrate' wrote), or any machine to test.")
    String fitted;

    @Option(names = "--machine", required = true, paramLabel = "NAME|FILE",
            description = "The reference: a preset or a YAML file (the device the data came from).")
    String machine;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "Model file (.safetensors).")
    Path model;

    @Option(names = "--mapping", paramLabel = "plain|search",
            description = "Plain mapping or the per-layer search (docs/device-aware.md), applied to both machines "
                    + "(default: each machine's mapping block, plain without one).")
    String mapping;

    @Option(names = "--strategy", defaultValue = "fp", paramLabel = "fp|vpq|jq",
            description = "Weight quantization before mapping (default: ${DEFAULT-VALUE}).")
    String strategy;

    @Option(names = "--bits", paramLabel = "B", description = "Bits of vpq or jq (default: 4).")
    Integer bits;

    @Option(names = "--samples", defaultValue = "100", paramLabel = "S", description = "Monte Carlo samples (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of both replays; the floor's is seed + 1 (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--floor-seeds", defaultValue = "1", paramLabel = "K",
            description = "Replays of the reference at seeds seed + 1 .. seed + K for its machine floor, each cell's "
                    + "difference averaged over the K (default: ${DEFAULT-VALUE}; at most 32).")
    int floorSeeds;

    @Option(names = "--subsample", defaultValue = "1", paramLabel = "K",
            description = "Use every K-th test image (default: ${DEFAULT-VALUE}, all).")
    int subsample;

    @Option(names = "--json", paramLabel = "OUT.json", description = "Also write the comparison as JSON.")
    Path json;

    @Option(names = "--threads", paramLabel = "T", description = "Worker threads (default: the number of processors).")
    Integer threads;

    @Override
    public Integer call() {
        PrintStream out = new PrintStream(new WriterOutputStream(spec.commandLine().getOut()), true);
        PrintStream log = new PrintStream(new WriterOutputStream(spec.commandLine().getErr()), true);
        int t = threads == null ? Parallel.defaultThreads() : Parallel.checkThreads(threads);
        if (samples < 1) {
            throw new BadInputException("samples must be at least 1, got " + samples);
        }
        if (subsample < 1) {
            throw new BadInputException("--subsample must be >= 1, got " + subsample);
        }
        ReplayComparison.checkFloorSeeds(floorSeeds);
        var q = ReplayRun.strategy(strategy, bits);
        MachineDescription cand = ReplayRun.withMapping(Machines.load(fitted), mapping);
        MachineDescription ref = ReplayRun.withMapping(Machines.load(machine), mapping);
        ReplayComparison.check(cand, ref, q);
        var net = org.bmsim.sim.io.ModelFile.read(model);
        if (!net.bayesian()) {
            throw new BadInputException(model + ": a replay comparison needs a Bayesian model (this one is deterministic)");
        }
        DataCache cache = DataCache.fromEnvironment();
        var data = DirtyMnist.load(cache, log::println);
        var test = ReplayRun.every(data.test(), subsample);
        ReplayComparison.Result r = ReplayComparison.run(net, data.train(), DirtyMnist.heldOut(cache, data), test, cand,
                ref, q, samples, seed, floorSeeds, t, log);
        if (json != null) {
            ReplayComparison.write(r, json);
            log.printf("wrote %s%n", json);
        }
        out.print(ReplayComparison.table(r));
        return 0;
    }
}
