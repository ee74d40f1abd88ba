package org.bmsim.examples.replay;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bmsim.common.AtomicFiles;
import org.bmsim.common.BadInputException;
import org.bmsim.sim.data.FloatSet;
import org.bmsim.sim.machine.MachineDescription;
import org.bmsim.sim.metrics.MetricsReport;
import org.bmsim.sim.metrics.SubsetSummary;
import org.bmsim.sim.metrics.UncertaintyError;
import org.bmsim.sim.nn.Network;
import org.bmsim.sim.quant.QuantSpec;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Does one machine stand in for another? The same network replayed on a candidate (typically a
 * calibrated machine, {@code bmsim calibrate}) and on a reference (the device it was calibrated
 * from, a preset or the chip's own description), with the same seed, the same images and S, and
 * the reference replayed again at K other seeds: the candidate's uncertainty error against the
 * reference ({@link UncertaintyError}, docs/metrics.md) beside two Monte Carlo floors.
 *
 * <p>Two floors, two verdicts. The Monte Carlo floor of docs/metrics.md, the one every report of
 * bmsim shows, is the float reference's: FP32 against FP32 reseeded. Beside it this comparison
 * measures the reference machine's own: its replay against itself at seeds seed + 1 .. seed + K,
 * each cell's |difference| averaged over the K, which holds every random draw of a machine replay
 * (programming, per-read device noise, converters) and answers "would another replay of the very
 * same machine differ as much?" (K = 1 gives one draw per cell, as the float floor is; a larger K
 * steadies it). An error is within a floor, as the project's reports read it, when its mean and its
 * max over the six (subset, uncertainty) cells are at most the floor's; the cells within the machine
 * floor's own cell are counted too.
 */
public final class ReplayComparison {
    private static final List<String> SUBSETS = List.of(MetricsReport.MNIST, MetricsReport.AMBIGUOUS, MetricsReport.OOD);
    private static final List<String> KINDS = List.of("aleatoric", "epistemic");
    /** The most reseeded replays of the reference one comparison runs for its machine floor. */
    public static final int MAX_FLOOR_SEEDS = 32;

    private ReplayComparison() {
    }

    /**
     * The replays and what they give.
     *
     * @param candidate       the candidate machine's replay (seed)
     * @param reference       the reference machine's replay (seed)
     * @param reseeded        the reference machine's replays at seed + 1 .. seed + K
     * @param error           the candidate's uncertainty error against the reference
     * @param floor           the reference machine reseeded against itself, each cell averaged over the K: the
     *                        machine's floor (no accuracy or AUROC deltas)
     * @param cellsWithinFloor cells (subset, uncertainty) whose error is at most their machine floor
     * @param cells           cells with both an error and a machine floor
     * @param withinFloor     the error's mean and max at most the Monte Carlo floor's (the float reference's)
     * @param withinMachineFloor the error's mean and max at most the machine floor's
     */
    public record Result(ReplayRun.Result candidate, ReplayRun.Result reference, List<ReplayRun.Result> reseeded,
            UncertaintyError error, UncertaintyError floor, int cellsWithinFloor, int cells, boolean withinFloor,
            boolean withinMachineFloor) {
    }

    /**
     * Refuses two machines that are not programmed alike for {@code strategy} (an analog machine
     * against a digital one: their replays would not start from the same network), before any data
     * is loaded.
     */
    public static void check(MachineDescription candidate, MachineDescription reference, QuantSpec strategy) {
        ReplayRun.check(candidate, strategy);
        ReplayRun.check(reference, strategy);
        String a = ReplayRun.programKey(candidate, strategy);
        String b = ReplayRun.programKey(reference, strategy);
        if (!a.equals(b)) {
            throw new BadInputException("the machines are programmed differently (" + candidate.name() + ": " + a + ", "
                    + reference.name() + ": " + b + "); compare machines of the same cell kind");
        }
    }

    /** Refuses a count of reseeded replays outside [1, {@link #MAX_FLOOR_SEEDS}]. */
    public static void checkFloorSeeds(int floorSeeds) {
        if (floorSeeds < 1 || floorSeeds > MAX_FLOOR_SEEDS) {
            throw new BadInputException("--floor-seeds must be in [1, " + MAX_FLOOR_SEEDS + "], got " + floorSeeds);
        }
    }

    /**
     * The comparison (see the class comment) with the machine floor from {@code floorSeeds} reseeded
     * replays of the reference; the network is programmed once for all of them.
     */
    public static Result run(Network net, FloatSet train, FloatSet heldOut, FloatSet test, MachineDescription candidate,
            MachineDescription reference, QuantSpec strategy, int samples, long seed, int floorSeeds, int threads,
            PrintStream log) {
        checkFloorSeeds(floorSeeds);
        if (!net.bayesian()) {
            throw new BadInputException("a replay comparison needs a Bayesian model (this one is deterministic)");
        }
        check(candidate, reference, strategy);
        ReplayRun.Reference ref = ReplayRun.reference(net, test, samples, seed, threads);
        long t0 = System.nanoTime();
        ReplayRun.Programmed prog = ReplayRun.program(net, train, heldOut, reference, strategy, threads, log);
        double programSeconds = (System.nanoTime() - t0) / 1e9;
        log.printf("replaying %s (%s), S = %d: reference %s at seed %d%n", net.architecture(), strategy.id(), samples,
                reference.name(), seed);
        ReplayRun.Result r = ReplayRun.run(prog, ref, train, test, reference, strategy, samples, seed, threads,
                programSeconds);
        log.printf("  candidate %s at seed %d%n", candidate.name(), seed);
        ReplayRun.Result c = ReplayRun.run(prog, ref, train, test, candidate, strategy, samples, seed, threads, 0);
        List<ReplayRun.Result> again = new ArrayList<>();
        for (int k = 1; k <= floorSeeds; k++) {
            log.printf("  reference %s at seed %d (the machine floor)%n", reference.name(), seed + k);
            again.add(ReplayRun.run(prog, ref, train, test, reference, strategy, samples, seed + k, threads, 0));
        }
        return of(c, r, again);
    }

    /**
     * The comparison of replays already run: candidate and reference at one seed, the reference at
     * K other seeds.
     */
    public static Result of(ReplayRun.Result candidate, ReplayRun.Result reference, List<ReplayRun.Result> reseeded) {
        if (reseeded.isEmpty()) {
            throw new IllegalArgumentException("the machine floor needs at least one reseeded replay");
        }
        UncertaintyError error = UncertaintyError.between(candidate.report(), reference.report());
        List<UncertaintyError> floors = new ArrayList<>();
        for (ReplayRun.Result again : reseeded) {
            floors.add(UncertaintyError.between(again.report(), reference.report()));
        }
        UncertaintyError floor = cellMeans(floors);
        int within = 0;
        int cells = 0;
        for (String d : SUBSETS) {
            for (String u : KINDS) {
                Double e = error.errorsPct().get(d).get(u);
                Double f = floor.errorsPct().get(d).get(u);
                if (e != null && f != null) {
                    cells++;
                    if (e <= f) {
                        within++;
                    }
                }
            }
        }
        return new Result(candidate, reference, reseeded, error, floor, within, cells,
                within(error, reference.floor()), within(error, floor));
    }

    /** Each cell's mean over {@code errors}, with its max and mean over the cells; no deltas. */
    static UncertaintyError cellMeans(List<UncertaintyError> errors) {
        Map<String, Map<String, Double>> cells = new LinkedHashMap<>();
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        int n = 0;
        for (String d : SUBSETS) {
            Map<String, Double> e = new LinkedHashMap<>();
            for (String u : KINDS) {
                double acc = 0;
                boolean defined = true;
                for (UncertaintyError x : errors) {
                    Double v = x.errorsPct().get(d).get(u);
                    defined &= v != null;
                    acc += v == null ? 0 : v;
                }
                Double v = defined ? acc / errors.size() : null;
                e.put(u, v);
                if (v != null) {
                    max = Math.max(max, v);
                    sum += v;
                    n++;
                }
            }
            cells.put(d, e);
        }
        return new UncertaintyError(cells, n == 0 ? null : max, n == 0 ? null : sum / n, null, null, null, null);
    }

    /** Mean and max of {@code error} at most those of {@code floor} (false when either is undefined). */
    static boolean within(UncertaintyError error, UncertaintyError floor) {
        return error.meanPct() != null && floor != null && floor.meanPct() != null && error.meanPct() <= floor.meanPct()
                && error.maxPct() <= floor.maxPct();
    }

    /** The JSON: the six means of both machines, the errors, both floors, the verdict, both mappings. */
    public static String json(Result r) {
        JsonMapper mapper = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
        ObjectNode o = mapper.createObjectNode();
        o.put("candidate", r.candidate().machine().name());
        o.put("reference", r.reference().machine().name());
        o.put("strategy", r.reference().strategy());
        o.put("samples", r.reference().report().samples());
        o.put("images", r.reference().report().count());
        ObjectNode cells = o.putObject("uncertainty_means");
        for (String d : SUBSETS) {
            ObjectNode sd = cells.putObject(d);
            for (String u : KINDS) {
                ObjectNode cell = sd.putObject(u);
                cell.put("candidate", mean(r.candidate().report(), d, u));
                cell.put("reference", mean(r.reference().report(), d, u));
                var reseeded = cell.putArray("reference_reseeded");
                for (ReplayRun.Result again : r.reseeded()) {
                    reseeded.add(mean(again.report(), d, u));
                }
                cell.put("difference_pct", signedPct(mean(r.candidate().report(), d, u), mean(r.reference().report(), d, u)));
            }
        }
        o.set("uncertainty_error", mapper.valueToTree(r.error()));
        o.set("monte_carlo_floor", mapper.valueToTree(r.reference().floor()));
        o.set("machine_floor", mapper.valueToTree(r.floor()));
        o.put("machine_floor_seeds", r.reseeded().size());
        o.put("within_floor", r.withinFloor());
        o.put("within_machine_floor", r.withinMachineFloor());
        o.put("cells_within_machine_floor", r.cellsWithinFloor());
        o.put("cells", r.cells());
        o.set("accuracy", mapper.valueToTree(Map.of("candidate", r.candidate().report().accuracy(),
                "reference", r.reference().report().accuracy())));
        o.set("candidate_mapping", mapper.valueToTree(r.candidate().mapping()));
        o.set("reference_mapping", mapper.valueToTree(r.reference().mapping()));
        o.put("seconds", r.candidate().seconds() + r.reference().seconds()
                + r.reseeded().stream().mapToDouble(ReplayRun.Result::seconds).sum() + r.reference().referenceSeconds());
        return mapper.writeValueAsString(o);
    }

    /** Writes the JSON (atomically). */
    public static void write(Result r, Path json) {
        AtomicFiles.writeString(json, json(r) + "\n");
    }

    /** The console table: per cell the two means, the difference and the floor, then the verdict. */
    public static String table(Result r) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "candidate %s, reference %s: %s, S = %d, %d images%n",
                r.candidate().machine().name(), r.reference().machine().name(), r.reference().strategy(),
                r.reference().report().samples(), r.reference().report().count()));
        b.append(String.format(Locale.ROOT, "%-10s %-11s %12s %12s %10s %10s %10s%n", "subset", "uncertainty", "candidate",
                "reference", "diff (%)", "floor (%)", "machine (%)"));
        for (String d : SUBSETS) {
            for (String u : KINDS) {
                Double c = mean(r.candidate().report(), d, u);
                Double ref = mean(r.reference().report(), d, u);
                b.append(String.format(Locale.ROOT, "%-10s %-11s %12s %12s %10s %10s %10s%n", d, u, fmt(c, "%.5f"),
                        fmt(ref, "%.5f"), fmt(signedPct(c, ref), "%+.2f"),
                        fmt(r.reference().floor().errorsPct().get(d).get(u), "%.2f"),
                        fmt(r.floor().errorsPct().get(d).get(u), "%.2f")));
            }
        }
        b.append(String.format(Locale.ROOT, "uncertainty error %s %% mean / %s %% max: %s the Monte Carlo floor "
                + "(float reference reseeded) %s %% / %s %%; %s the machine floor (%s reseeded, %d seeds) %s %% / %s %%, "
                + "%d of %d cells within their own%n",
                fmt(r.error().meanPct(), "%.3f"), fmt(r.error().maxPct(), "%.3f"), r.withinFloor() ? "WITHIN" : "OUTSIDE",
                fmt(r.reference().floor().meanPct(), "%.3f"), fmt(r.reference().floor().maxPct(), "%.3f"),
                r.withinMachineFloor() ? "within" : "outside", r.reference().machine().name(), r.reseeded().size(),
                fmt(r.floor().meanPct(), "%.3f"), fmt(r.floor().maxPct(), "%.3f"), r.cellsWithinFloor(), r.cells()));
        return b.toString();
    }

    private static Double mean(MetricsReport m, String subset, String kind) {
        SubsetSummary s = m.subset(subset);
        return kind.equals("aleatoric") ? s.aleatoricMean() : s.epistemicMean();
    }

    /** (c - ref) / ref in percent, signed; null when either is missing or ref is 0. */
    static Double signedPct(Double c, Double ref) {
        Double e = UncertaintyError.relativeErrorPct(c, ref);
        return e == null ? null : Math.copySign(e, c - ref);
    }

    private static String fmt(Double v, String f) {
        return v == null ? "-" : String.format(Locale.ROOT, f, v);
    }
}
