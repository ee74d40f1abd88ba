package org.bmsim.examples.train;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import org.bmsim.common.AtomicFiles;
import org.bmsim.sim.data.FloatSet;
import org.bmsim.sim.io.PredictionDump;
import org.bmsim.sim.metrics.McPredictions;
import org.bmsim.sim.metrics.MetricsReport;
import org.bmsim.sim.metrics.SubsetSummary;
import org.bmsim.sim.metrics.UncertaintyMetrics;
import org.bmsim.sim.nn.MonteCarloInference;
import org.bmsim.sim.nn.Network;
import org.bmsim.sim.nn.Parallel;

/**
 * One evaluation as the command line and the demo do it: Monte Carlo inference with S weight
 * samples, the metrics of {@link UncertaintyMetrics}, the JSON, optionally the {@code .npy} dump,
 * and a plain-text table. Outputs are written atomically and hold nothing run-dependent, so the same
 * model, data, S and seed give the same files for any thread count.
 */
public final class EvalRun {
    private EvalRun() {
    }

    /** What an evaluation produced; {@code seconds} covers inference and metrics. */
    public record Result(McPredictions predictions, UncertaintyMetrics.Uncertainties uncertainties,
            MetricsReport report, double seconds) {
    }

    public static Result run(Network net, FloatSet test, int samples, long seed, int threads, PrintStream log) {
        log.printf("evaluating %s on %s (%d images: %d mnist, %d ambiguous, %d ood), S = %d, seed %d, %d thread%s%n",
                net.architecture(), test.name(), test.count(), test.countSubset(FloatSet.MNIST),
                test.countSubset(FloatSet.AMBIGUOUS), test.countSubset(FloatSet.OOD), samples, seed, threads,
                threads == 1 ? "" : "s");
        long t0 = System.nanoTime();
        McPredictions p;
        try (Parallel par = Parallel.of(threads)) {
            p = MonteCarloInference.predict(net, test, samples, seed, par, null);
        }
        UncertaintyMetrics.Uncertainties u = UncertaintyMetrics.uncertainties(p);
        MetricsReport r = UncertaintyMetrics.report(p, u);
        return new Result(p, u, r, (System.nanoTime() - t0) / 1e9);
    }

    /** Writes the JSON and, if {@code dumpDir} is not null, the three {@code .npy} files. */
    public static void write(Result r, Path json, Path dumpDir) {
        AtomicFiles.writeString(json, r.report().toJson() + "\n");
        if (dumpDir != null) {
            PredictionDump.write(dumpDir, r.predictions());
        }
    }

    /** The metrics as a plain-text table. */
    public static String table(MetricsReport r) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "S = %d, N = %d%n", r.samples(), r.count()));
        b.append(String.format(Locale.ROOT, "accuracy %s  nll %s  ece %s  brier %s%n", pct(r.accuracy()), num(r.nll()),
                num(r.ece()), num(r.brier())));
        b.append(String.format(Locale.ROOT, "auroc_amb %s  auroc_ood %s  auroc_ood (mnist only) %s%n", num(r.aurocAmb()),
                num(r.aurocOod()), num(r.aurocOodMnistOnly())));
        b.append(String.format(Locale.ROOT, "%-10s %6s %9s %11s %10s %10s%n", "subset", "count", "accuracy", "predictive",
                "aleatoric", "epistemic"));
        for (String k : new String[] {MetricsReport.MNIST, MetricsReport.AMBIGUOUS, MetricsReport.OOD}) {
            SubsetSummary s = r.subsets().get(k);
            if (s == null) {
                continue;
            }
            b.append(String.format(Locale.ROOT, "%-10s %6d %9s %11s %10s %10s%n", k, s.count(), pct(s.accuracy()),
                    num(s.predictiveMean()), num(s.aleatoricMean()), num(s.epistemicMean())));
        }
        return b.toString();
    }

    private static String pct(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.2f%%", 100 * v);
    }

    private static String num(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.4f", v);
    }
}
