package org.bmsim.examples.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bmsim.common.BadInputException;
import org.bmsim.examples.quant.QuantTable;
import org.bmsim.sim.data.FloatSet;
import org.bmsim.sim.data.RandomImages;
import org.bmsim.sim.machine.Machines;
import org.bmsim.sim.metrics.MetricsReport;
import org.bmsim.sim.metrics.UncertaintyMetrics;
import org.bmsim.sim.nn.Activation;
import org.bmsim.sim.nn.Architecture;
import org.bmsim.sim.nn.Network;
import org.bmsim.sim.nn.Parallel;
import org.bmsim.sim.nn.SigmaTransform;
import org.bmsim.sim.quant.HessianCompensation;
import org.bmsim.sim.quant.QuantEvaluation;
import org.bmsim.sim.quant.QuantOptions;
import org.bmsim.sim.quant.QuantSpec;
import org.bmsim.sim.quant.QuantizedNetwork;
import org.bmsim.sim.quant.SubLsbGain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code bmsim replay}'s run: the ideal machine against the quantization table, strategies, errors, the report. */
class ReplayRunTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @TempDir
    Path dir;

    static FloatSet images(String name, int n, long seed, boolean withOod) {
        return withOod ? RandomImages.of(name, n, seed, FloatSet.MNIST, FloatSet.AMBIGUOUS, FloatSet.OOD)
                : RandomImages.of(name, n, seed, FloatSet.MNIST, FloatSet.AMBIGUOUS);
    }

    static Network net() {
        return Network.initialised(Architecture.of("mlp:784-24-10", Activation.RELU), true, SigmaTransform.SOFTPLUS, -3f, 9);
    }

    @Test
    void idealMachineReportsTheTablesJq4Metrics() throws Exception {
        Network net = net();
        FloatSet train = images("train", 256, 1, false);
        FloatSet test = images("test", 90, 2, true);
        FloatSet heldOut = images("held-out", 60, 4, true);
        QuantSpec jq4 = QuantSpec.parse("jq:4");
        ReplayRun.Result r = ReplayRun.run(net, train, heldOut, test, Machines.preset("ideal"), jq4, 5, 3, 2, QUIET);
        assertTrue(r.commonRandomNumbers());
        // the same network through the quantization table's evaluation
        QuantOptions o = QuantOptions.defaults().withHardware(true).withPow2Scales(false).withActivationBits(8);
        HessianCompensation hc = HessianCompensation.of(net, train);
        MetricsReport table;
        try (Parallel par = Parallel.of(1)) {
            // the gain calibrated by the same rule, on one thread instead of two
            SubLsbGain.Calibration gain = SubLsbGain.calibrate(net, jq4, o, hc, QuantTable.hook(net, jq4, o, train),
                    heldOut, SubLsbGain.DEFAULT_SAMPLES, par);
            assertEquals(gain.gain(), (Double) r.mapping().get("sub_lsb_gain"));
            QuantizedNetwork q = QuantizedNetwork.of(net, jq4, gain.apply(o), hc);
            table = UncertaintyMetrics.report(QuantEvaluation.predict(q, QuantTable.hook(net, jq4, o, train), test, 5, 3,
                    par));
        }
        assertEquals(table.toJson(), r.report().toJson(), "bit for bit");
        ReplayRun.write(r, dir.resolve("r.json"), dir.resolve("report"));
        JsonNode j = JsonMapper.builder().build().readTree(Files.readString(dir.resolve("r.json")));
        assertEquals("jq:4", j.get("strategy").asString());
        assertTrue(j.get("common_random_numbers").asBoolean());
        assertTrue(j.get("cycles_per_inference").asLong() > 0);
        assertTrue(j.get("energy_pj_per_inference").asDouble() > 0);
        assertTrue(j.has("monte_carlo_floor") && j.has("uncertainty_error") && j.has("mapping"));
        assertTrue(Files.readString(dir.resolve("report/report.md")).contains("common random numbers"));
        assertTrue(Files.exists(dir.resolve("report/machine.yaml")));
    }

    @Test
    void analogMachinesTakeTheStoredCodesAndDigitalOnesRefuseFloat() {
        Network net = net();
        FloatSet train = images("train", 256, 1, false);
        FloatSet test = images("test", 30, 2, true);
        FloatSet heldOut = images("held-out", 30, 4, true);
        ReplayRun.Result r = ReplayRun.run(net, train, heldOut, test, Machines.preset("rram-wan2022"),
                QuantSpec.parse("jq:4"), 2, 3, 1, QUIET);
        assertTrue(!r.commonRandomNumbers());
        assertEquals("jq:4", r.strategy());
        BadInputException e = assertThrows(BadInputException.class, () -> ReplayRun.run(net, train, heldOut, test,
                Machines.preset("digital-jq4"), QuantSpec.fp(), 2, 3, 1, QUIET));
        assertTrue(e.getMessage().contains("--strategy jq --bits 4"), e.getMessage());
        assertThrows(BadInputException.class, () -> ReplayRun.strategy("spq", 4));
        assertThrows(BadInputException.class, () -> ReplayRun.strategy("fp", 4));
        assertThrows(BadInputException.class, () -> ReplayRun.strategy("jq", 9));
        assertEquals("vpq:3", ReplayRun.strategy("vpq", 3).id());
        assertEquals("jq:4", ReplayRun.strategy("JQ", null).id());
    }
}
