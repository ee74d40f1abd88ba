package org.bmsim.examples.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bmsim.examples.quant.QuantTable;
import org.bmsim.examples.replay.ReplayRun;
import org.bmsim.examples.train.EvalRun;
import org.bmsim.sim.data.FloatSet;
import org.bmsim.sim.data.RandomImages;
import org.bmsim.sim.machine.Machines;
import org.bmsim.sim.nn.Activation;
import org.bmsim.sim.nn.Architecture;
import org.bmsim.sim.nn.Network;
import org.bmsim.sim.nn.SigmaTransform;
import org.bmsim.sim.quant.QuantOptions;
import org.bmsim.sim.quant.QuantSpec;
import org.bmsim.sim.quant.Strategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON of {@code eval}, {@code quant-table} (one strategy) and {@code replay} (a digital and an
 * analog machine) is the same at 1, 2 and 4 threads, written by the same writers as the commands.
 * Only the wall-clock fields (every key containing {@code seconds}: {@code seconds},
 * {@code sub_lsb_calibration_seconds}, {@code replay_seconds}, {@code reference_seconds}) are left
 * out of the comparison (docs/reliability.md); everything else is compared as text.
 */
class ThreadCountDeterminismTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int[] THREADS = {1, 2, 4};

    @TempDir
    Path dir;

    /** The JSON text without the wall-clock fields. */
    static String withoutTimings(Path file) throws Exception {
        JsonNode root = JSON.readTree(Files.readString(file));
        strip(root);
        return JSON.writeValueAsString(root);
    }

    private static void strip(JsonNode n) {
        if (n instanceof ObjectNode o) {
            List<String> drop = new ArrayList<>();
            for (Map.Entry<String, JsonNode> e : o.properties()) {
                if (e.getKey().contains("seconds")) {
                    drop.add(e.getKey());
                } else {
                    strip(e.getValue());
                }
            }
            o.remove(drop);
        } else if (n != null && n.isArray()) {
            for (JsonNode c : n) {
                strip(c);
            }
        }
    }

    /** Seeded random 28x28 rows, values uniform in [-0.4, 1.6); row i in {@code subsets[i % length]}. */
    static FloatSet images(String name, int n, long seed, byte... subsets) {
        return RandomImages.of(name, n, seed, subsets);
    }

    static Network lenet() {
        return Network.initialised(Architecture.of("lenet5", Activation.RELU), true, SigmaTransform.SOFTPLUS, -3f, 5);
    }

    static Network mlp() {
        return Network.initialised(Architecture.of("mlp:784-24-10", Activation.RELU), true, SigmaTransform.SOFTPLUS, -3f,
                9);
    }

    private static void assertSame(List<String> jsons, String what) {
        assertFalse(jsons.get(0).isEmpty());
        for (int i = 1; i < jsons.size(); i++) {
            assertEquals(jsons.get(0), jsons.get(i), what + " at " + THREADS[i] + " threads against 1 thread");
        }
    }

    @Test
    void evalIsThreadCountIndependent() throws Exception {
        Network net = lenet();
        FloatSet test = images("test", 70, 2, FloatSet.MNIST, FloatSet.AMBIGUOUS, FloatSet.OOD);
        List<String> out = new ArrayList<>();
        for (int t : THREADS) {
            Path j = dir.resolve("eval-" + t + ".json");
            EvalRun.write(EvalRun.run(net, test, 5, 7, t, QUIET), j, null);
            out.add(withoutTimings(j));
        }
        assertSame(out, "eval");
    }

    @Test
    void quantTableIsThreadCountIndependent() throws Exception {
        Network net = mlp();
        FloatSet cal = images("calibration", 128, 1, FloatSet.MNIST, FloatSet.AMBIGUOUS);
        FloatSet held = images("held-out", 40, 4, FloatSet.MNIST, FloatSet.AMBIGUOUS, FloatSet.OOD);
        FloatSet test = images("test", 60, 2, FloatSet.MNIST, FloatSet.AMBIGUOUS, FloatSet.OOD);
        QuantTable.Plan plan = new QuantTable.Plan(List.of(Strategy.JQ), List.of(4), List.of(), 4, 3, false,
                QuantOptions.defaults());
        List<String> out = new ArrayList<>();
        for (int t : THREADS) {
            Path j = dir.resolve("quant-" + t + ".json");
            QuantTable.writeJson(j, plan, List.of(QuantTable.run("mlp", net, null, cal, held, test, plan, t, QUIET)));
            out.add(withoutTimings(j));
        }
        assertSame(out, "quant-table jq:4");
    }

    @Test
    void replayIsThreadCountIndependent() throws Exception {
        Network net = mlp();
        FloatSet train = images("train", 128, 1, FloatSet.MNIST, FloatSet.AMBIGUOUS);
        FloatSet held = images("held-out", 30, 4, FloatSet.MNIST, FloatSet.AMBIGUOUS, FloatSet.OOD);
        FloatSet test = images("test", 30, 2, FloatSet.MNIST, FloatSet.AMBIGUOUS, FloatSet.OOD);
        for (String machine : new String[] {Machines.DEFAULT, "rram-wan2022"}) {
            List<String> out = new ArrayList<>();
            for (int t : THREADS) {
                Path j = dir.resolve("replay-" + machine + "-" + t + ".json");
                ReplayRun.write(ReplayRun.run(net, train, held, test, Machines.preset(machine), QuantSpec.parse("jq:4"), 4,
                        3, t, QUIET), j, null);
                out.add(withoutTimings(j));
            }
            assertSame(out, "replay on " + machine);
        }
    }
}
