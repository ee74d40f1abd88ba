package org.bmsim.sim.machine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.bmsim.common.BadInputException;
import org.bmsim.sim.data.FloatSet;
import org.bmsim.sim.data.RandomImages;
import org.bmsim.sim.metrics.McPredictions;
import org.bmsim.sim.nn.Activation;
import org.bmsim.sim.nn.Architecture;
import org.bmsim.sim.nn.MonteCarloInference;
import org.bmsim.sim.nn.Network;
import org.bmsim.sim.nn.Parallel;
import org.bmsim.sim.nn.SigmaTransform;
import org.bmsim.sim.nn.Softmax;
import org.bmsim.sim.quant.ActivationQuantizer;
import org.bmsim.sim.quant.QuantEvaluation;
import org.bmsim.sim.quant.QuantOptions;
import org.bmsim.sim.quant.QuantSpec;
import org.bmsim.sim.quant.QuantizedNetwork;
import org.junit.jupiter.api.Test;

class MappedNetworkTest {
    static FloatSet images(int n, long seed) {
        return RandomImages.of("random", n, seed, FloatSet.MNIST);
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

    /** A mapping chosen with the machine's own device model is the machine's mapping: the same predictions. */
    @Test
    void aMappingFromTheMachinesOwnDeviceModelChangesNothing() {
        Network net = Network.initialised(Architecture.of("mlp:784-32-10", Activation.RELU), true, SigmaTransform.SOFTPLUS, -4f, 4);
        MachineDescription m = Machines.preset("rram-wan2022");
        MappedNetwork a = MappedNetwork.map(net, m, 1);
        MappedNetwork b = MappedNetwork.map(net, m, 1, m.device().devicePreset());
        FloatSet d = images(20, 3);
        a.calibrate(d, 16, 1);
        b.calibrate(d, 16, 1);
        McPredictions pa;
        McPredictions pb;
        try (Parallel p1 = Parallel.of(1)) {
            pa = a.predict(d, 2, 9, p1);
            pb = b.predict(d, 2, 9, p1);
        }
        assertArrayEquals(pa.probs(), pb.probs());
        assertEquals("rram-wan2022", b.mappingReport().get("mapping_device"));
        assertEquals(a.mappingReport().get("unrealisable_weights"), b.mappingReport().get("unrealisable_weights"));
        // a digital machine has no device to read a plan on
        assertThrows(BadInputException.class, () -> MappedNetwork.map(net, Machines.preset("digital-jq4"), 1,
                m.device().devicePreset()));
    }

    /** The JQ-4 network the ideal preset holds: hardware mode with its datapath's scales and activation bits. */
    static QuantizedNetwork jq4For(Network net, MachineDescription m) {
        QuantOptions o = QuantOptions.defaults().withHardware(true).withPow2Scales(m.digital().pow2Scales())
                .withActivationBits(m.digital().xBits()).withSubLsbGain(0.8);
        return QuantizedNetwork.of(net, QuantSpec.parse("jq:4"), o);
    }

    @Test
    void idealDigitalMachineIsTheQuantizationTableBitForBit() {
        Network net = Network.initialised(Architecture.of("lenet5", Activation.RELU), true, SigmaTransform.SOFTPLUS, -3f, 3);
        // small tiles: conv2 and fc1 span several tiles; one lane, per-inference: the table's eps stream
        MachineDescription m = machine("ideal", "rows: 256", "rows: 64", "cols: 256", "cols: 32");
        assertEquals(1, m.digital().lanes());
        QuantizedNetwork q = jq4For(net, m);
        FloatSet d = images(70, 4);
        ActivationQuantizer hook = ActivationQuantizer.calibrate(net, net.params(), d, 64, m.digital().xBits(), 99.99);
        MappedNetwork mn = MappedNetwork.mapDigital(q, hook, m, 1);
        assertTrue(mn.commonRandomNumbers());
        McPredictions machine;
        McPredictions table;
        try (Parallel par = Parallel.of(2)) {
            machine = mn.predict(d, 4, 7, par);
            table = QuantEvaluation.predict(q, hook, d, 4, 7, par);
        }
        assertArrayEquals(table.probs(), machine.probs(), "the ideal machine reproduces the table's JQ-4 predictions");
        // the noise matters: two samples differ
        boolean differ = false;
        for (int k = 0; k < 700 && !differ; k++) {
            differ = machine.probs()[k] != machine.probs()[700 + k];
        }
        assertTrue(differ, "Monte Carlo samples differ");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> layers = (List<Map<String, Object>>) mn.mappingReport().get("layers");
        assertEquals("digital-jq", layers.get(0).get("path"));
        assertEquals("7 x 4", layers.get(2).get("tiles"));
    }

    @Test
    void digitalLanesAndPerReadSamplingDrawOtherStreams() {
        Network net = Network.initialised(Architecture.of("mlp:784-32-10", Activation.RELU), true, SigmaTransform.SOFTPLUS,
                -3f, 5);
        FloatSet d = images(64, 6);
        McPredictions table;
        QuantizedNetwork q = jq4For(net, Machines.preset("digital-jq4"));
        try (Parallel par = Parallel.of(1)) {
            table = QuantEvaluation.predict(q, null, d, 3, 2, par);
            for (MachineDescription m : new MachineDescription[] {Machines.preset("digital-jq4"),
                    machine("ideal", "sampling: per-inference", "sampling: per-read")}) {
                MappedNetwork mn = MappedNetwork.mapDigital(jq4For(net, m), null, m, 1);
                assertTrue(!mn.commonRandomNumbers(), m.name());
                McPredictions p = mn.predict(d, 3, 2, par);
                boolean differ = false;
                for (int k = 0; k < p.probs().length && !differ; k++) {
                    differ = p.probs()[k] != table.probs()[k];
                }
                assertTrue(differ, m.name() + " (" + m.tile().sampling() + ", " + m.digital().lanes() + " lanes)");
            }
        }
    }

    @Test
    void digitalMappingRefusesAMismatchedNetwork() {
        Network net = Network.initialised(Architecture.of("mlp:784-32-10", Activation.RELU), true, SigmaTransform.SOFTPLUS,
                -3f, 5);
        MachineDescription ideal = Machines.preset("ideal");
        String[][] cases = {
            {"jq:4", "software"}, {"jq:3", "hardware"}, {"jq:4", "pow2"}};
        for (String[] c : cases) {
            QuantOptions o = QuantOptions.defaults().withHardware(!c[1].equals("software"))
                    .withPow2Scales(c[1].equals("pow2")).withSubLsbGain(1);
            QuantizedNetwork q = QuantizedNetwork.of(net, QuantSpec.parse(c[0]), o);
            BadInputException e = assertThrows(BadInputException.class, () -> MappedNetwork.mapDigital(q, null, ideal, 1));
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        }
        assertThrows(BadInputException.class, () -> MappedNetwork.map(net, ideal, 1));
        assertThrows(BadInputException.class, () -> MappedNetwork.mapDigital(jq4For(net, ideal), null,
                Machines.preset("rram-wan2022"), 1));
    }
}
