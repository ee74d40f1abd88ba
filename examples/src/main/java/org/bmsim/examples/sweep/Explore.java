package org.bmsim.examples.sweep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.bmsim.common.BadInputException;

/**
 * {@code bmsim explore}: architecture search over tile and converter parameters. It writes the grid
 * as a sweep file (square tiles of each size x ADC bits x columns per ADC x DAC bits on a base
 * machine), runs it with the sweep engine (so it is parallel and resumable like any sweep) and
 * reports the Pareto front of energy per inference against the uncertainty error, and against the
 * error rate (1 - accuracy).
 */
public final class Explore {
    private Explore() {
    }

    /** The search space and the replay settings. */
    public record Space(Path model, String machine, String strategy, int bits, List<Integer> tileSizes,
            List<Integer> adcBits, List<Integer> columnsPerAdc, List<Integer> dacBits, int samples, int subsample,
            long seed, String data) {
        public Space {
            for (List<Integer> l : List.of(tileSizes, adcBits, columnsPerAdc)) {
                if (l.isEmpty()) {
                    throw new BadInputException("explore: every searched parameter needs at least one value");
                }
            }
        }
    }

    /** The sweep file of a search space (validated by {@link SweepSpec#parse} like any other). */
    public static String sweepYaml(Space s) {
        StringBuilder b = new StringBuilder();
        b.append("# written by bmsim explore (docs/sweeps.md, \"Explore\")\n");
        b.append("version: 1\nname: explore\n");
        b.append("description: \"architecture search: tile size x ADC bits x columns per ADC")
                .append(s.dacBits().isEmpty() ? "" : " x DAC bits").append("\"\n");
        b.append("model: \"").append(s.model().toAbsolutePath().normalize()).append("\"\n");
        b.append("machine: \"").append(s.machine()).append("\"\n");
        b.append("strategy: ").append(s.strategy()).append('\n');
        b.append("bits: ").append(s.bits()).append('\n');
        b.append("samples: ").append(s.samples()).append('\n');
        b.append("subsample: ").append(s.subsample()).append('\n');
        b.append("seeds: [").append(s.seed()).append("]\n");
        b.append("data: ").append(s.data()).append('\n');
        b.append("axes:\n");
        b.append("  - zip: {tile.rows: ").append(list(s.tileSizes())).append(", tile.cols: ").append(list(s.tileSizes()))
                .append("}\n");
        b.append("  - adc.bits: ").append(list(s.adcBits())).append('\n');
        b.append("  - adc.columns_per_adc: ").append(list(s.columnsPerAdc())).append('\n');
        if (!s.dacBits().isEmpty()) {
            b.append("  - dac.bits: ").append(list(s.dacBits())).append('\n');
        }
        return b.toString();
    }

    private static String list(List<Integer> l) {
        return l.stream().map(String::valueOf).collect(Collectors.joining(", ", "[", "]"));
    }

    /** The energy-vs-uncertainty Pareto front of an output folder, in increasing energy. */
    public static List<SweepRecord> front(Path out) {
        List<SweepRecord> recs;
        try {
            recs = new ArrayList<>(SweepOutput.readJournal(out.resolve(SweepOutput.JSONL), false).values());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        recs.sort(Comparator.comparingInt(SweepRecord::index));
        List<SweepRecord> f = new ArrayList<>();
        for (int i : SweepReport.paretoFront(recs)) {
            f.add(recs.get(i));
        }
        return f;
    }

    /** The front as a text table. */
    public static String table(List<SweepRecord> front) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-8s %-6s %-8s %-6s %14s %12s %9s%n", "tile",
                "adc", "col/adc", "dac", "energy_pJ", "unc_err_%", "accuracy"));
        for (SweepRecord r : front) {
            b.append(String.format(Locale.ROOT, "%-8s %-6s %-8s %-6s %14.4g %12.4g %9.4f%n", r.values().get("tile.rows"),
                    r.values().get("adc.bits"), r.values().get("adc.columns_per_adc"),
                    r.values().getOrDefault("dac.bits", "base"), r.metrics().get(SweepReport.ENERGY),
                    r.metrics().get(SweepReport.UNCERTAINTY), r.metrics().get("accuracy")));
        }
        return b.toString();
    }
}
