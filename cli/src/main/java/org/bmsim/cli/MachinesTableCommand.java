package org.bmsim.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.bmsim.common.BadInputException;
import org.bmsim.examples.data.DataCache;
import org.bmsim.examples.table.MachinesTable;
import org.bmsim.sim.nn.Parallel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bmsim machines-table}: plain mapping, searched mapping and device-aware training over the presets, one table. */
@Command(name = "machines-table", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Plain mapping vs searched mapping vs device-aware training on each machine, as one table.",
        description = {"For each analog machine of --machines, the model three ways (--ways): 'plain' (replay --strategy "
            + "fp --mapping plain), 'search' (--mapping search, the per-layer mapping search) and 'trained' (device-aware "
            + "fine-tuning of the model for the machine, as 'bmsim train --machine M --init MODEL', written to "
            + "DIR/trained-<machine>.safetensors, then replayed with --mapping search). A digital machine has no mapping: "
            + "one reference row (--strategy jq --bits B). Each row: accuracy, AUROCs, the six uncertainty means, the "
            + "uncertainty error against its own parent's float run with the Monte Carlo floor, realisable fraction, "
            + "cycles, latency, energy per inference with its breakdown, and its wall time; the device-aware parents' "
            + "own float metrics (as bmsim eval) against the original model (docs/machine-results.md).",
            "Writes DIR/table.md, DIR/table.csv and DIR/table.json (atomically). Resumable: finished rows are kept in "
            + "DIR/rows.jsonl and trained networks are reused when their parent, machine and training options match, "
            + "so the same command again continues where it stopped."})
public final class MachinesTableCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "Float Bayesian model file (.safetensors).")
    Path model;

    @Option(names = "--machines", split = ",", defaultValue = "pcm-joshi2020,rram-wan2022,digital-jq4", paramLabel = "M,...",
            description = "Machine presets or YAML files (default: ${DEFAULT-VALUE}).")
    List<String> machines;

    @Option(names = "--ways", split = ",", defaultValue = "plain,search,trained", paramLabel = "W,...",
            description = "Ways for analog machines: plain, search, trained (default: ${DEFAULT-VALUE}).")
    List<String> ways;

    @Option(names = "--samples", defaultValue = "100", paramLabel = "S", description = "Monte Carlo samples (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--subsample", defaultValue = "1", paramLabel = "K",
            description = "Use every K-th test image (default: ${DEFAULT-VALUE}, all).")
    int subsample;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of replays, references and training (default: ${DEFAULT-VALUE}).")
    long seed;

    // The defaults of bmsim train (--epochs, --lr), so that the table's trained rows are what
    // 'bmsim train --machine M --init MODEL' gives (MachinesTableCommandTest checks they agree).
    @Option(names = "--train-epochs", defaultValue = "60", paramLabel = "E",
            description = "Epochs of device-aware training (default: ${DEFAULT-VALUE}, as bmsim train).")
    int trainEpochs;

    @Option(names = "--train-lr", defaultValue = "3e-3", paramLabel = "LR",
            description = "Adam's learning rate of device-aware training (default: ${DEFAULT-VALUE}, as bmsim train).")
    float trainLr;

    @Option(names = "--data", defaultValue = "dirty-mnist-lite", paramLabel = "dirty-mnist-lite|random-images",
            description = "Data (default: ${DEFAULT-VALUE}; random-images for smoke tests: its metrics mean nothing).")
    String data;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (resumed if it holds this table).")
    Path out;

    @Option(names = "--threads", paramLabel = "T", description = "Worker threads (default: the number of processors).")
    Integer threads;

    @Override
    public Integer call() {
        PrintStream o = new PrintStream(new WriterOutputStream(spec.commandLine().getOut()), true);
        PrintStream log = new PrintStream(new WriterOutputStream(spec.commandLine().getErr()), true);
        long started = System.nanoTime();
        int t = threads == null ? Parallel.defaultThreads() : Parallel.checkThreads(threads);
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new BadInputException(out + " exists and is not a folder");
        }
        MachinesTable.Options opt = MachinesTable.Options.of(model, machines, ways, samples, subsample, seed, trainEpochs,
                trainLr, data);
        MachinesTable.Plan plan = MachinesTable.plan(opt);
        MachinesTable.done(plan, out); // another table's folder is refused before any data is loaded
        MachinesTable.Data d = MachinesTable.Data.load(opt, DataCache.fromEnvironment(), log::println);
        // originalArgs() starts with the subcommand's name
        List<String> args = new ArrayList<>(List.of("bmsim"));
        args.addAll(spec.commandLine().getParseResult().originalArgs());
        MachinesTable.Summary s = MachinesTable.run(plan, d, out, String.join(" ", args), t, log, started);
        o.printf(java.util.Locale.ROOT, "machines-table: %d rows computed, %d already done, %d trained network%s reused; "
                + "%.1f s this run%n", s.computed(), s.reused(), s.trainedModelsReused(), s.trainedModelsReused() == 1 ? "" : "s",
                s.sessionSeconds());
        o.println("wrote " + s.markdown() + ", table.csv and table.json in " + out);
        return 0;
    }
}
