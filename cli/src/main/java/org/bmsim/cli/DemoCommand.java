package org.bmsim.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import org.bmsim.examples.Demo;
import org.bmsim.examples.data.DataCache;
import org.bmsim.sim.nn.Parallel;
import org.bmsim.sim.train.TrainConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code bmsim demo}: the main job, end to end. */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        header = "The whole pipeline: data, Dirty-MNIST-lite, training, evaluation, run folder.",
        description = {"Run the whole pipeline on real data: fetch MNIST and Fashion-MNIST, build (or load) "
            + "Dirty-MNIST-lite, train the LeNet-5 float reference (or reuse the model cached under the hash of its "
            + "configuration and training data), evaluate it by Monte Carlo inference, print the metrics and write a "
            + "run folder: config.json (everything resolved), metrics.json and histograms of aleatoric and epistemic "
            + "uncertainty per subset (PNG)."})
public final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--run-dir", paramLabel = "DIR",
            description = "Run folder (default: runs/demo-<date>-<time> in the current directory).")
    Path runDir;

    @Option(names = "--epochs", defaultValue = "60", description = "Training epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--seed", defaultValue = "1", description = "Training seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--samples", defaultValue = "100", paramLabel = "S",
            description = "Monte Carlo samples (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--threads", paramLabel = "T", description = "Worker threads (default: the number of processors).")
    Integer threads;

    @Override
    public Integer call() {
        PrintStream out = new PrintStream(new WriterOutputStream(spec.commandLine().getOut()), true);
        PrintStream log = new PrintStream(new WriterOutputStream(spec.commandLine().getErr()), true);
        int t = Parallel.checkThreads(threads == null ? Parallel.defaultThreads() : threads);
        Path dir = runDir != null ? runDir
                : Path.of("runs", "demo-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Demo.Options o = Demo.Options.standard(t, dir);
        o = new Demo.Options(o.dataSeed(), TrainConfig.reference("lenet5", epochs, seed), samples, o.evalSeed(), t, dir);
        new Demo(DataCache.fromEnvironment(), out, log, o).run();
        return 0;
    }
}
