package org.bmsim.examples.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bmsim.common.BadInputException;
import org.bmsim.sim.data.FloatSet;
import org.bmsim.sim.machine.MachineDescription;
import org.bmsim.sim.machine.Machines;
import org.bmsim.sim.metrics.MetricsReport;
import org.bmsim.sim.metrics.SubsetSummary;
import org.bmsim.sim.metrics.UncertaintyError;
import org.bmsim.sim.nn.Network;
import org.bmsim.sim.quant.QuantSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code bmsim calibrate check}'s comparison: a hand-computed verdict, the replays against standalone ones, refusals. */
class ReplayComparisonTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @TempDir
    Path dir;

    private static MetricsReport report(double... means) {
        Map<String, SubsetSummary> s = new LinkedHashMap<>();
        s.put(MetricsReport.MNIST, new SubsetSummary(10, 0.9, 0.1, means[0], means[1]));
        s.put(MetricsReport.AMBIGUOUS, new SubsetSummary(10, 0.5, 0.5, means[2], means[3]));
        s.put(MetricsReport.OOD, new SubsetSummary(10, null, 0.5, means[4], means[5]));
        return new MetricsReport(4, 30, 0.9, 0.3, 0.05, 0.1, 0.9, 0.9, 0.8, s);
    }

    /** A replay whose float reference's Monte Carlo floor is {@code floatReseeded} against {@code r}. */
    private static ReplayRun.Result result(String machine, MetricsReport r, MetricsReport floatReseeded) {
        return new ReplayRun.Result(Machines.preset(machine), "fp", null, null, r, r, null,
                UncertaintyError.between(floatReseeded, r), false, Map.of(), Map.of(), 4, 0, 0);
    }

    @Test
    void theVerdictReadsMeanAndMaxAgainstTheFloorsByHand() {
        MetricsReport base = report(0.1, 0.02, 0.8, 0.05, 1.0, 0.3);
        // the float reference's floor: 1 % on ood epistemic -> mean 1 / 6 %, max 1 %
        ReplayRun.Result ref = result("rram-wan2022", base, report(0.1, 0.02, 0.8, 0.05, 1.0, 0.303));
        // the machine floor: +1 % mnist aleatoric, -5 % ambiguous epistemic, the rest equal -> mean 1.0 %, max 5 %
        MetricsReport reseeded = report(0.101, 0.02, 0.8, 0.0475, 1.0, 0.3);
        ReplayRun.Result again = result("rram-wan2022", reseeded, reseeded);
        // the candidate: 2 % on mnist epistemic, 0.5 % on ood aleatoric -> mean 2.5 / 6 = 0.4167 %, max 2 %
        MetricsReport cand = report(0.1, 0.0204, 0.8, 0.05, 1.005, 0.3);
        ReplayComparison.Result r = ReplayComparison.of(result("pcm-joshi2020", cand, cand), ref, List.of(again));
        assertEquals(2.5 / 6, r.error().meanPct(), 1e-9);
        assertEquals(2.0, r.error().maxPct(), 1e-9);
        assertEquals(1.0, r.floor().meanPct(), 1e-9);
        assertEquals(5.0, r.floor().maxPct(), 1e-9);
        assertFalse(r.withinFloor(), "0.4167 % > 1 / 6 % of the float reference's floor");
        assertTrue(r.withinMachineFloor());
        // cells: mnist epistemic 2 > 0, ood aleatoric 0.5 > 0; the other four 0 <= their machine floor
        assertEquals(4, r.cellsWithinFloor());
        assertEquals(6, r.cells());
        // a candidate 6 % off in one cell: mean 1 % equals the machine floor's, but max 6 > 5
        MetricsReport farReport = report(0.1, 0.02, 0.8, 0.053, 1.0, 0.3);
        ReplayComparison.Result f = ReplayComparison.of(result("pcm-joshi2020", farReport, farReport), ref, List.of(again));
        assertEquals(1.0, f.error().meanPct(), 1e-9);
        assertFalse(f.withinMachineFloor());
        // the same candidate against a float floor of 2 % / 8 %: within
        ReplayRun.Result wide = result("rram-wan2022", base, report(0.1, 0.02, 0.8, 0.054, 1.0, 0.3 * 1.04));
        assertTrue(ReplayComparison.of(result("pcm-joshi2020", farReport, farReport), wide, List.of(again)).withinFloor());
        // two reseeds: each cell's |difference| averaged, mnist aleatoric (1 + 3) / 2 = 2 %, ambiguous epistemic
        // (5 + 0) / 2 = 2.5 %, ood epistemic (0 + 1) / 2 = 0.5 % -> mean 5 / 6 %, max 2.5 %
        MetricsReport second = report(0.103, 0.02, 0.8, 0.05, 1.0, 0.297);
        ReplayComparison.Result two = ReplayComparison.of(result("pcm-joshi2020", farReport, farReport), ref,
                List.of(again, result("rram-wan2022", second, second)));
        assertEquals(2.0, two.floor().errorsPct().get("mnist").get("aleatoric"), 1e-9);
        assertEquals(2.5, two.floor().maxPct(), 1e-9);
        assertEquals(5.0 / 6, two.floor().meanPct(), 1e-9);
        assertEquals(+6.0, ReplayComparison.signedPct(0.053, 0.05), 1e-9);
        assertEquals(-5.0, ReplayComparison.signedPct(0.0475, 0.05), 1e-9);
        String table = ReplayComparison.table(f);
        assertTrue(table.contains("OUTSIDE the Monte Carlo floor") && table.contains("outside the machine floor")
                && table.contains("+6.00"), table);
    }

    /** The device law of rram-wan2022 scaled by {@code k}, written as a custom device. */
    private static MachineDescription wanTimes(double k) {
        String custom = Machines.presetText("rram-wan2022").replace("name: rram-wan2022", "name: wan-times-" + k)
                .replaceFirst("preset: rram-wan2022[^\n]*\n", "preset: custom\n")
                .replace("  realisable_tolerance: 0.1", "  realisable_tolerance: 0.1\n  custom:\n    source: \"test\"\n"
                        + "    g_min_us: 0.0\n    g_max_us: 39.26\n    sigma_us: [" + 1.053 * k + ", " + 0.2374 * k + ", "
                        + -1.167e-2 * k + ", " + 1.536e-4 * k + "]\n");
        return Machines.parse(custom, "wan-times-" + k);
    }

    @Test
    void theReplaysAreTheStandaloneReplaysAndTheSameLawGivesNoError() throws Exception {
        Network net = ReplayRunTest.net();
        FloatSet train = ReplayRunTest.images("train", 256, 1, false);
        FloatSet test = ReplayRunTest.images("test", 45, 2, true);
        FloatSet heldOut = ReplayRunTest.images("held-out", 30, 4, true);
        MachineDescription wan = Machines.preset("rram-wan2022");
        QuantSpec fp = QuantSpec.fp();
        // Wan's cubic written as a custom device: the same machine, so no error in any cell
        ReplayComparison.Result same = ReplayComparison.run(net, train, heldOut, test, wanTimes(1.0), wan, fp, 3, 7, 1, 2, QUIET);
        assertEquals(0.0, same.error().maxPct());
        assertTrue(same.withinFloor() && same.withinMachineFloor());
        // a law 1.5 x wider: each replay is the standalone 'bmsim replay' of its machine and seed
        MachineDescription wide = wanTimes(1.5);
        ReplayComparison.Result r = ReplayComparison.run(net, train, heldOut, test, wide, wan, fp, 3, 7, 2, 2, QUIET);
        MetricsReport c = ReplayRun.run(net, train, heldOut, test, wide, fp, 3, 7, 1, QUIET).report();
        ReplayRun.Result ref7 = ReplayRun.run(net, train, heldOut, test, wan, fp, 3, 7, 1, QUIET);
        ReplayRun.Result ref8 = ReplayRun.run(net, train, heldOut, test, wan, fp, 3, 8, 1, QUIET);
        MetricsReport ref = ref7.report();
        MetricsReport again = ref8.report();
        MetricsReport again9 = ReplayRun.run(net, train, heldOut, test, wan, fp, 3, 9, 1, QUIET).report();
        assertEquals(c.toJson(), r.candidate().report().toJson());
        assertEquals(ref.toJson(), r.reference().report().toJson());
        assertEquals(again.toJson(), r.reseeded().get(0).report().toJson());
        assertEquals(again9.toJson(), r.reseeded().get(1).report().toJson());
        assertEquals(UncertaintyError.between(c, ref), r.error());
        UncertaintyError f8 = UncertaintyError.between(again, ref);
        UncertaintyError f9 = UncertaintyError.between(again9, ref);
        assertEquals((f8.errorsPct().get("ood").get("epistemic") + f9.errorsPct().get("ood").get("epistemic")) / 2,
                r.floor().errorsPct().get("ood").get("epistemic"), 1e-12);
        assertTrue(r.error().maxPct() > 0);
        ReplayComparison.write(r, dir.resolve("c.json"));
        JsonNode j = JsonMapper.builder().build().readTree(Files.readString(dir.resolve("c.json")));
        assertEquals("wan-times-1.5", j.get("candidate").asString());
        assertEquals("rram-wan2022", j.get("reference").asString());
        assertEquals(r.withinFloor(), j.get("within_floor").asBoolean());
        assertEquals(r.withinMachineFloor(), j.get("within_machine_floor").asBoolean());
        assertEquals(c.subset(MetricsReport.OOD).epistemicMean(),
                j.get("uncertainty_means").get("ood").get("epistemic").get("candidate").asDouble());
        // the Monte Carlo floor: the float reference at seed 8 against the one at seed 7
        assertEquals(UncertaintyError.between(ref8.reference(), ref7.reference()).meanPct(),
                j.get("monte_carlo_floor").get("mean_pct").asDouble(), 1e-12);
        assertTrue(j.has("machine_floor") && j.has("candidate_mapping") && j.has("reference_mapping"));
        assertEquals(2, j.get("machine_floor_seeds").asInt());
        assertEquals(again9.subset(MetricsReport.MNIST).aleatoricMean(),
                j.get("uncertainty_means").get("mnist").get("aleatoric").get("reference_reseeded").get(1).asDouble());
    }

    @Test
    void machinesProgrammedDifferentlyAreRefused() {
        BadInputException e = assertThrows(BadInputException.class, () -> ReplayComparison.check(Machines.preset("ideal"),
                Machines.preset("rram-wan2022"), QuantSpec.parse("jq:4")));
        assertTrue(e.getMessage().contains("programmed differently"), e.getMessage());
        assertThrows(BadInputException.class, () -> ReplayComparison.check(Machines.preset("rram-wan2022"),
                Machines.preset("digital-jq4"), QuantSpec.fp()));
        FloatSet few = ReplayRunTest.images("test", 6, 2, true);
        BadInputException k = assertThrows(BadInputException.class, () -> ReplayComparison.run(ReplayRunTest.net(), few,
                few, few, Machines.preset("pcm-joshi2020"), Machines.preset("rram-wan2022"), QuantSpec.fp(), 2, 1, 0, 1,
                QUIET));
        assertTrue(k.getMessage().contains("--floor-seeds must be in [1, 32], got 0"), k.getMessage());
    }
}
