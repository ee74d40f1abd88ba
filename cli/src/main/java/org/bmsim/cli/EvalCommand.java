package org.bmsim.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.bmsim.examples.data.DataCache;
import org.bmsim.examples.dirty.DirtyMnist;
import org.bmsim.examples.train.EvalRun;
import org.bmsim.sim.nn.Parallel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code bmsim eval}: Monte Carlo evaluation of a model on the Dirty-MNIST-lite test sets. */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Evaluate a model by Monte Carlo inference on the Dirty-MNIST-lite test sets.",
        description = {"Evaluate a model file by Monte Carlo inference (S weight samples, each shared by every input) "
            + "on the Dirty-MNIST-lite test sets: 2,000 MNIST, 400 ambiguous, 2,000 Fashion-MNIST (OOD) images. "
            + "Prints the metrics table and writes them as JSON (accuracy, nll, ece, brier, auroc_ood, auroc_amb and "
            + "per subset count, accuracy, predictive/aleatoric/epistemic means; docs/metrics.md).",
            "With --dump DIR also writes probs.npy (float32 [S, N, 10]), subset.npy (int8 [N]) and labels.npy "
            + "(int16 [N], -1 = none). The same seed gives the same output for any --threads."})
public final class EvalCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "Model file (.safetensors).")
    Path model;

    @Option(names = "--samples", defaultValue = "100", paramLabel = "S", description = "Monte Carlo samples (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the weight samples (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", required = true, paramLabel = "OUT.json", description = "Metrics JSON to write.")
    Path json;

    @Option(names = "--dump", paramLabel = "DIR", description = "Also write probs.npy, subset.npy and labels.npy here.")
    Path dump;

    @Option(names = "--threads", paramLabel = "T", description = "Worker threads (default: the number of processors).")
    Integer threads;

    @Override
    public Integer call() {
        PrintStream out = new PrintStream(new WriterOutputStream(spec.commandLine().getOut()), true);
        PrintStream log = new PrintStream(new WriterOutputStream(spec.commandLine().getErr()), true);
        int t = threads == null ? Parallel.defaultThreads() : threads;
        Parallel.checkThreads(t);
        if (samples < 1) {
            throw new org.bmsim.common.BadInputException("samples must be at least 1, got " + samples);
        }
        var model0 = org.bmsim.sim.io.ModelFile.read(model);
        var test = DirtyMnist.load(DataCache.fromEnvironment(), log::println).test();
        EvalRun.Result r = EvalRun.run(model0, test, samples, seed, t, log);
        EvalRun.write(r, json, dump);
        out.print(EvalRun.table(r.report()));
        log.printf("wrote %s%s; evaluation %.1f s%n", json, dump == null ? "" : " and " + dump, r.seconds());
        return 0;
    }
}
