package org.bmsim.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.bmsim.common.AtomicFiles;
import org.bmsim.sim.nn.Parallel;
import org.bmsim.sim.tile.MvmThroughput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** {@code bmsim bench}: kernel benchmarks. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Kernel benchmarks.",
        subcommands = {BenchCommand.Mvm.class})
public final class BenchCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "no benchmark given (try: bench mvm)");
    }

    /** {@code bmsim bench mvm}. */
    @Command(name = "mvm", mixinStandardHelpOptions = true,
            description = "Tile matrix-vector products with per-device noise: faithful (one Gaussian per MAC, fresh "
                + "per read) or fast (output-referred). Prints and writes macs_per_second.")
    static final class Mvm implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--rows", defaultValue = "256", description = "Tile rows (default: ${DEFAULT-VALUE}).")
        int rows;

        @Option(names = "--cols", defaultValue = "256", description = "Tile columns (default: ${DEFAULT-VALUE}).")
        int cols;

        @Option(names = "--batch", defaultValue = "1", description = "Reads per call (default: ${DEFAULT-VALUE}).")
        int batch;

        @Option(names = "--mode", defaultValue = "faithful", description = "faithful or fast (default: ${DEFAULT-VALUE}).")
        String mode;

        @Option(names = "--seconds", defaultValue = "5", description = "Measured time (default: ${DEFAULT-VALUE}).")
        double seconds;

        @Option(names = "--threads", description = "Worker threads (default: all processors).")
        Integer threads;

        @Option(names = "--json", paramLabel = "OUT.json", description = "Write the result as JSON.")
        Path json;

        @Override
        public Integer call() {
            int th = threads == null ? Parallel.defaultThreads() : Parallel.checkThreads(threads);
            MvmThroughput.Result r = MvmThroughput.run(rows, cols, batch, mode, seconds, th);
            PrintWriter out = spec.commandLine().getOut();
            out.println(r.summary());
            out.flush();
            if (json != null) {
                JsonMapper m = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
                AtomicFiles.writeString(json, m.writeValueAsString(r.json()) + "\n");
            }
            return 0;
        }
    }
}
