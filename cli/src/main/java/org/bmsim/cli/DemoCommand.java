package org.bmsim.cli;

import java.io.PrintStream;
import java.util.concurrent.Callable;
import org.bmsim.examples.Demo;
import org.bmsim.examples.data.DataCache;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code bmsim demo}: the main job, end to end. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the whole pipeline on real data: fetch the data sets and summarise them.")
public final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintStream out = new PrintStream(new WriterOutputStream(spec.commandLine().getOut()), true);
        PrintStream log = new PrintStream(new WriterOutputStream(spec.commandLine().getErr()), true);
        new Demo(DataCache.fromEnvironment(), out, log).run();
        return 0;
    }
}
