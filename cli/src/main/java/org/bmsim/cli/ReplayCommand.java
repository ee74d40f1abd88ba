package org.bmsim.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.bmsim.common.BadInputException;
import org.bmsim.examples.data.DataCache;
import org.bmsim.examples.dirty.DirtyMnist;
import org.bmsim.examples.replay.ReplayRun;
import org.bmsim.examples.train.EvalRun;
import org.bmsim.noise.device.DevicePreset;
import org.bmsim.sim.machine.MachineDescription;
import org.bmsim.sim.machine.Machines;
import org.bmsim.sim.nn.Parallel;
import org.bmsim.sim.tile.CellMapping;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bmsim replay}: a model on a machine, with accuracy, uncertainty, cycles and energy. */
@Command(name = "replay", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Replay a model on a Bayesian machine (a preset or a YAML file, docs/machine.md): the weights are "
            + "mapped onto crossbar tiles whose device noise (or digital JQ sampler) draws the weight samples, and S Monte "
            + "Carlo samples run through the tile reads on the Dirty-MNIST-lite test sets. Writes every metric of eval, "
            + "the uncertainty errors against the float reference, the mapping report and cycles_per_inference, "
            + "latency_ns_per_inference, energy_pj_per_inference with breakdowns.",
            "With --report DIR also writes machine.yaml (the resolved description), uncertainty plots and report.md."})
public final class ReplayCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "Model file (.safetensors).")
    Path model;

    @Option(names = "--machine", defaultValue = Machines.DEFAULT, paramLabel = "NAME|FILE",
            description = "Machine preset or YAML file (default: ${DEFAULT-VALUE}).")
    String machine;

    @Option(names = "--mapping", paramLabel = "plain|search",
            description = "Analog machines: plain mapping (one pair per weight, wScale = max|mu|) or the per-layer search "
                    + "over cell type, replicas and weight scale (docs/device-aware.md); default: the machine's mapping block "
                    + "(plain without one).")
    String mapping;

    @Option(names = "--mapping-machine", paramLabel = "NAME|FILE",
            description = "Analog machines: choose the mapping (plain or searched) with this machine's device model, e.g. "
                    + "a calibrated one, and read it on --machine's device: what a chip does when its mapping was compiled "
                    + "from a model of its devices (differential-pair cells, the same conductance window).")
    String mappingMachine;

    @Option(names = "--strategy", defaultValue = "jq", paramLabel = "fp|vpq|jq",
            description = "Weight quantization before mapping (default: ${DEFAULT-VALUE}); digital-jq machines need jq.")
    String strategy;

    @Option(names = "--bits", paramLabel = "B", description = "Bits of vpq or jq (default: 4).")
    Integer bits;

    @Option(names = "--samples", defaultValue = "100", paramLabel = "S", description = "Monte Carlo samples (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--seed", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", required = true, paramLabel = "OUT.json", description = "JSON to write.")
    Path json;

    @Option(names = "--report", paramLabel = "DIR", description = "Also write machine.yaml, plots and report.md here.")
    Path report;

    @Option(names = "--subsample", defaultValue = "1", paramLabel = "K",
            description = "Use every K-th test image (default: ${DEFAULT-VALUE}, all).")
    int subsample;

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
        var q = ReplayRun.strategy(strategy, bits);
        MachineDescription m = ReplayRun.withMapping(Machines.load(machine), mapping);
        ReplayRun.check(m, q);
        DevicePreset mappingDevice = null;
        if (mappingMachine != null) {
            MachineDescription mm = Machines.load(mappingMachine);
            mappingDevice = mm.device().devicePreset();
            if (mappingDevice == null) {
                throw new BadInputException("--mapping-machine " + mappingMachine + " has no device model (a digital machine?)");
            }
            if (!m.tile().cellType().analog()) {
                throw new BadInputException("--mapping-machine is for analog machines; " + m.name() + " has "
                        + m.tile().cell() + " cells");
            }
            DevicePreset own = m.device().devicePreset();
            if (own != null) {
                // the check the mapping makes, before the data are loaded
                CellMapping.requireSameWindow(mappingDevice.range(), own.range(), "--mapping-machine " + mappingMachine
                        + ": its", m.name());
            }
        }
        var net = org.bmsim.sim.io.ModelFile.read(model);
        if (!net.bayesian()) {
            throw new BadInputException(model + ": replay needs a Bayesian model (this one is deterministic)");
        }
        DataCache cache = DataCache.fromEnvironment();
        var data = DirtyMnist.load(cache, log::println);
        var test = ReplayRun.every(data.test(), subsample);
        ReplayRun.Result r = ReplayRun.run(net, data.train(), DirtyMnist.heldOut(cache, data), test, m, q, samples, seed,
                t, log, mappingDevice);
        ReplayRun.write(r, json, report);
        out.print(EvalRun.table(r.report()));
        out.println(ReplayRun.summary(r));
        log.printf("wrote %s%s%n", json, report == null ? "" : " and " + report);
        return 0;
    }
}
