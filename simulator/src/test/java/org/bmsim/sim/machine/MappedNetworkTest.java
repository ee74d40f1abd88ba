package org.bmsim.sim.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.bmsim.sim.data.FloatSet;
import org.bmsim.sim.metrics.McPredictions;
import org.bmsim.sim.nn.Activation;
import org.bmsim.sim.nn.Architecture;
import org.bmsim.sim.nn.MonteCarloInference;
import org.bmsim.sim.nn.Network;
import org.bmsim.sim.nn.Parallel;
import org.bmsim.sim.nn.SigmaTransform;
import org.bmsim.sim.nn.Softmax;
import org.junit.jupiter.api.Test;

class MappedNetworkTest {
    static FloatSet images(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n * 784];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextFloat() * 2 - 0.4f;
        }
        short[] labels = new short[n];
        byte[] subset = new byte[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (short) (i % 10);
        }
        return new FloatSet("random", n, 1, 28, 28, x, labels, subset, null, 10);
    }

    static MachineDescription machine(String preset, String... replacements) {
        String y = Machines.presetText(preset);
        for (int i = 0; i < replacements.length; i += 2) {
            y = y.replace(replacements[i], replacements[i + 1]);
        }
        return Machines.parse(y, "test");
    }

    @Test
    void noiseOffOnSmallTilesEqualsTheFloatNetwork() {
        Network net = Network.initialised(Architecture.of("lenet5", Activation.RELU), true, SigmaTransform.SOFTPLUS, -5f, 3);
        // no device noise, unquantized DAC, ideal readout, 64 x 32 tiles: conv2 and fc1 span several tiles
        MachineDescription m = machine("rram-wan2022", "preset: rram-wan2022", "preset: none", "bits: 8 ", "bits: 0 ",
                "rows: 256", "rows: 64", "cols: 256", "cols: 32");
        assertTrue(m.adc().idealReadout() && m.dac().bits() == 0);
        MappedNetwork mn = MappedNetwork.map(net, m, 1);
        FloatSet d = images(6, 2);
        McPredictions p;
        try (Parallel par = Parallel.of(1)) {
            p = mn.predict(d, 2, 5, par);
        }
        float[] logits = MonteCarloInference.logits(net, net.params(), d.x(), d.count());
        float[] ref = new float[logits.length];
        for (int e = 0; e < d.count(); e++) {
            Softmax.softmax(logits, e * 10, 10, ref, e * 10);
        }
        for (int s = 0; s < 2; s++) {
            for (int k = 0; k < ref.length; k++) {
                assertEquals(ref[k], p.probs()[s * ref.length + k], 1e-4);
            }
        }
        Map<String, Object> r = mn.mappingReport();
        assertEquals(0, r.get("unrealisable_weights"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> layers = (List<Map<String, Object>>) r.get("layers");
        assertEquals("7 x 4", layers.get(2).get("tiles")); // fc1: 400 x 120 on 64 x 32 tiles
    }

    @Test
    void predictionsDoNotDependOnThreadsAndCostsAreReported() {
        Network net = Network.initialised(Architecture.of("mlp:784-32-10", Activation.RELU), true, SigmaTransform.SOFTPLUS, -4f, 4);
        MachineDescription m = Machines.preset("pcm-joshi2020");
        MappedNetwork mn = MappedNetwork.map(net, m, 1);
        FloatSet d = images(70, 3);
        mn.calibrate(d, 64, 1);
        McPredictions a;
        McPredictions b;
        try (Parallel p1 = Parallel.of(1); Parallel p2 = Parallel.of(2)) {
            a = mn.predict(d, 3, 9, p1);
            b = mn.predict(d, 3, 9, p2);
        }
        for (int k = 0; k < a.probs().length; k++) {
            assertEquals(a.probs()[k], b.probs()[k], 1e-4); // see AnalogTileTest on last-ulp differences
        }
        Map<String, Object> c = mn.costReport(3);
        assertTrue((Long) c.get("cycles_per_inference") > 0);
        assertTrue((Double) c.get("energy_pj_per_inference") > 0);
        assertEquals(3.0, mn.effectiveSampleSize(3));
    }
}
