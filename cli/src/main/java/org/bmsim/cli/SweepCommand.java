package org.bmsim.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.bmsim.common.BadInputException;
import org.bmsim.examples.data.DataCache;
import org.bmsim.examples.sweep.Shard;
import org.bmsim.examples.sweep.SweepContext;
import org.bmsim.examples.sweep.SweepEngine;
import org.bmsim.examples.sweep.SweepMerge;
import org.bmsim.examples.sweep.SweepSpec;
import org.bmsim.sim.nn.Parallel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code bmsim sweep FILE --out DIR}: every point of a sweep file, a replay each, resumable (docs/sweeps.md). */
@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a sweep file (sweep.yaml, docs/sweeps.md): axes over machine keys (adc.bits, tile.rows, ...), "
            + "quantization (strategy, bits), model, samples and noise_scale, each point a replay with accuracy, "
            + "uncertainty, cycles and energy. Points run in parallel on local threads; each finished point is appended "
            + "durably to DIR/results.jsonl and DIR/results.csv (long format) with its resolved configuration, beside "
            + "DIR/manifest.json (seeds, git commit, JDK, kernels). The same command after a crash (even kill -9) "
            + "resumes: no point lost, none repeated. The same seed gives bit-identical results at any thread count.",
            "When the shard is complete, DIR/report/ holds PNG and SVG plots of each metric against each axis, the "
            + "Pareto plot of energy per inference against uncertainty error, and report.html (self-contained)."},
        subcommands = {SweepCommand.Merge.class, SweepCommand.Report.class})
public final class SweepCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "The sweep file (YAML).")
    Path file;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (created; resumed if it holds this sweep).")
    Path out;

    @Option(names = "--model", paramLabel = "FILE",
            description = "Use this model file instead of the sweep file's 'model' (part of the sweep's identity on resume).")
    Path model;

    @Option(names = "--threads", paramLabel = "T", description = "Points run at once (default: the number of processors).")
    Integer threads;

    @Option(names = "--shard", paramLabel = "k/N",
            description = "Run only shard k of N (points whose index mod N is k-1), for job arrays; merge with 'sweep merge'.")
    String shard;

    @Option(names = "--yes", description = "Run a sweep larger than " + SweepSpec.MAX_POINTS_WITHOUT_YES + " points.")
    boolean yes;

    @Option(names = "--no-report", description = "Do not write the plots and report.html at the end.")
    boolean noReport;

    @Option(names = "--dry-run", description = "Validate the file and print the number of points; run nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        PrintStream out = new PrintStream(new WriterOutputStream(spec.commandLine().getOut()), true);
        PrintStream log = new PrintStream(new WriterOutputStream(spec.commandLine().getErr()), true);
        if (file == null) {
            throw new BadInputException("missing sweep FILE (or a subcommand: merge, report)");
        }
        if (this.out == null && !dryRun) {
            throw new BadInputException("missing --out DIR");
        }
        int t = threads == null ? Parallel.defaultThreads() : Parallel.checkThreads(threads);
        Shard sh = Shard.parse(shard);
        SweepSpec s = SweepSpec.read(file, model);
        s.checkSize(yes);
        if (dryRun) {
            out.printf("%s: %d points (%d in shard %s), parameters %s%n", s.name(), s.size(), sh.count(s.size()), sh.id(),
                    s.parameters());
            return 0;
        }
        String text = read(file);
        SweepContext ctx = SweepContext.forSpec(s, DataCache.fromEnvironment(), log::println);
        SweepEngine.Summary sum = SweepEngine.run(s, text, ctx, this.out, t, sh, System.console() != null, log);
        out.printf(java.util.Locale.ROOT, "sweep %s: %d points in %s, %d run now in %.1f s (%.2f s per point, %d threads)%n",
                s.name(), sum.pointsInShard(), this.out, sum.ran(), sum.wallSeconds(), sum.wallSecondsPerPoint(), t);
        if (!noReport && sh.n() == 1) {
            Path html = org.bmsim.examples.sweep.SweepReport.write(this.out);
            out.println("report: " + html);
        }
        return 0;
    }

    static String read(Path f) {
        try {
            return Files.readString(f, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BadInputException(f + ": " + e.getMessage());
        }
    }

    /** {@code bmsim sweep merge --out DIR SHARD_DIR...}. */
    @Command(name = "merge", mixinStandardHelpOptions = true,
            description = "Merge the output folders of the shards of one sweep (--shard k/N runs) into one folder: "
                + "results.jsonl and results.csv in point order, a manifest listing the shards, and the report. Refuses "
                + "folders of different sweep files, a point present twice, and (without --partial) a missing point.")
    static final class Merge implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Merged output folder.")
        Path out;

        @Option(names = "--partial", description = "Merge even if points are missing (the report shows what there is).")
        boolean partial;

        @Option(names = "--no-report", description = "Do not write the plots and report.html.")
        boolean noReport;

        @Parameters(arity = "1..*", paramLabel = "SHARD_DIR", description = "The shards' output folders.")
        List<Path> shards;

        @Override
        public Integer call() {
            PrintStream o = new PrintStream(new WriterOutputStream(spec.commandLine().getOut()), true);
            SweepMerge.Result r = SweepMerge.merge(shards, out, partial);
            o.printf("merged %d folders: %d of %d points into %s%n", shards.size(), r.points(), r.total(), out);
            if (!noReport) {
                o.println("report: " + org.bmsim.examples.sweep.SweepReport.write(out));
            }
            return 0;
        }
    }

    /** {@code bmsim sweep report DIR}. */
    @Command(name = "report", mixinStandardHelpOptions = true,
            description = "(Re)write DIR/report/ from a sweep output folder: PNG and SVG plots of each metric against "
                + "each axis, the Pareto plot, report.html (self-contained: no network at view time).")
    static final class Report implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "DIR", description = "A sweep output folder.")
        Path dir;

        @Override
        public Integer call() {
            PrintStream o = new PrintStream(new WriterOutputStream(spec.commandLine().getOut()), true);
            o.println("report: " + org.bmsim.examples.sweep.SweepReport.write(dir));
            return 0;
        }
    }
}
