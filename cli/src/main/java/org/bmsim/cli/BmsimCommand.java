package org.bmsim.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The top-level {@code bmsim} command: a list of subcommands. */
@Command(name = "bmsim", mixinStandardHelpOptions = true, versionProvider = BmsimCommand.Version.class,
        description = "Simulator for analog Bayesian-machine accelerators: crossbar tiles whose device noise samples "
                + "the weights of a Bayesian neural network, with accuracy, uncertainty, cycles and energy.",
        subcommands = {DataCommand.class, TrainCommand.class, EvalCommand.class, DemoCommand.class, RngCommand.class,
            CosimCommand.class, QuantTableCommand.class, BenchCommand.class,
            MachineCommand.class, ReplayCommand.class, FuzzCommand.class, CalibrateCommand.class,
            SweepCommand.class, ExploreCommand.class,
            MachinesTableCommand.class,
            CommandLine.HelpCommand.class},
        footer = {"", "Exit codes: 0 ok, 2 bad input or usage, 1 internal error (and cosim mismatches).",
            "Data cache: $BMSIM_DATA (default ~/.cache/bmsim). Docs: docs/ in the source tree."})
public final class BmsimCommand implements Runnable {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
            description = "Print stack traces with error messages.")
    boolean debug;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "no command given");
    }

    /** Reads the version the build wrote into the jar. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = BmsimCommand.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[] {"bmsim " + p.getProperty("version", "unknown"),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
        }
    }
}
