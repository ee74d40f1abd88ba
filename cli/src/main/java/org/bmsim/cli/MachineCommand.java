package org.bmsim.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.bmsim.sim.machine.MachineDescription;
import org.bmsim.sim.machine.Machines;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code bmsim machine}: the shipped machine presets. */
@Command(name = "machine", mixinStandardHelpOptions = true, description = "List and show machine descriptions.",
        subcommands = {MachineCommand.ListMachines.class, MachineCommand.Show.class})
public final class MachineCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "no subcommand given (list or show)");
    }

    /** {@code bmsim machine list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the machine presets.")
    static final class ListMachines implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            for (String n : Machines.PRESETS) {
                MachineDescription m = Machines.preset(n);
                out.printf("%-14s %s%n", n, m.description());
            }
            out.flush();
            return 0;
        }
    }

    /** {@code bmsim machine show NAME|FILE}. */
    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Print a preset's YAML as shipped, or a file's description after validation.")
    static final class Show implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "NAME|FILE")
        String name;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            out.print(Machines.PRESETS.contains(name) ? Machines.presetText(name) : Machines.toYaml(Machines.load(name)));
            out.flush();
            return 0;
        }
    }
}
