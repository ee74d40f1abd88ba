package org.bmsim.examples.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.bmsim.common.Sha256;
import org.bmsim.sim.data.FloatSet;
import org.bmsim.sim.io.PredictionDump;
import org.bmsim.sim.metrics.McPredictions;
import org.bmsim.sim.nn.Activation;
import org.bmsim.sim.nn.Architecture;
import org.bmsim.sim.nn.Network;
import org.bmsim.sim.nn.SigmaTransform;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The evaluation run: JSON with the keys, the .npy dump, the same bytes for 1 and 2 threads. */
class EvalRunTest {
    @TempDir
    Path dir;

    @Test
    void writesTheRequiredKeysAndIsThreadCountIndependent() throws Exception {
        Network net = Network.initialised(Architecture.of("lenet5", Activation.RELU), true, SigmaTransform.SOFTPLUS, -2f, 1);
        int n = 90;
        SplittableRandom r = new SplittableRandom(2);
        float[] x = new float[n * 784];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        short[] y = new short[n];
        byte[] sub = new byte[n];
        for (int i = 0; i < n; i++) {
            sub[i] = (byte) (i * 3 / n);
            y[i] = (short) (sub[i] == 2 ? -1 : i % 10);
        }
        FloatSet test = new FloatSet("t", n, 1, 28, 28, x, y, sub, null, 10);
        PrintStream log = new PrintStream(new ByteArrayOutputStream(), true);
        EvalRun.Result one = EvalRun.run(net, test, 6, 4, 1, log);
        EvalRun.Result two = EvalRun.run(net, test, 6, 4, 2, log);
        Path j1 = dir.resolve("one.json");
        Path j2 = dir.resolve("two.json");
        EvalRun.write(one, j1, dir.resolve("dump"));
        EvalRun.write(two, j2, null);
        assertEquals(Sha256.of(j1), Sha256.of(j2));
        JsonNode j = JsonMapper.builder().build().readTree(Files.readString(j1));
        for (String k : new String[] {"accuracy", "nll", "ece", "brier", "auroc_ood", "auroc_amb"}) {
            assertNotNull(j.get(k), k);
        }
        for (String s : new String[] {"mnist", "ambiguous", "ood"}) {
            JsonNode sj = j.get("subsets").get(s);
            assertEquals(30, sj.get("count").asInt());
            for (String k : new String[] {"predictive_mean", "aleatoric_mean", "epistemic_mean"}) {
                assertNotNull(sj.get(k), s + "." + k);
            }
        }
        assertNotNull(j.get("subsets").get("mnist").get("accuracy"));
        McPredictions back = PredictionDump.read(dir.resolve("dump"));
        assertEquals(6, back.samples());
        assertEquals(n, back.count());
        assertTrue(java.util.Arrays.equals(one.predictions().probs(), back.probs()));
        String table = EvalRun.table(one.report());
        assertTrue(table.contains("ambiguous") && table.contains("auroc_amb"), table);
    }
}
