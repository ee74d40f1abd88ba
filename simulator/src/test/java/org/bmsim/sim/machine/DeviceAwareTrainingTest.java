package org.bmsim.sim.machine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.bmsim.sim.data.FloatSet;
import org.bmsim.sim.data.RandomImages;
import org.bmsim.sim.nn.Activation;
import org.bmsim.sim.nn.LayerViews;
import org.bmsim.sim.nn.Network;
import org.bmsim.sim.nn.Parallel;
import org.bmsim.sim.nn.SigmaTransform;
import org.bmsim.sim.train.BayesByBackprop;
import org.bmsim.sim.train.SigmaBounds;
import org.bmsim.sim.train.TrainConfig;
import org.junit.jupiter.api.Test;

/** Device-aware training: the bounded family on hand-computed values, its gradients, realisability, reproducibility. */
class DeviceAwareTrainingTest {
    private static TrainConfig cfg(int epochs) {
        return TrainConfig.of("mlp:784-16-10", Activation.RELU, true, SigmaTransform.SOFTPLUS, epochs, 64, 3e-3f, true, 0.1f,
                1f, -5f, 3);
    }

    @Test
    void boundedSigmaOnHandComputedValues() {
        // one tensor of two weights, tables over u in {0, 1}: lo = [0.1, 0.2], hi = [0.3, 0.6], scale factor 2
        SigmaBounds b = new SigmaBounds(List.of(new SigmaBounds.Layer("t", 0, 2, 2, 2.0, new float[] {0.1f, 0.2f},
                new float[] {0.3f, 0.6f}, "test")));
        float[] p = {0.5f, -1.0f, 0f, (float) Math.log(3)};
        float[] sigma = new float[4];
        float[] sigma2 = new float[4];
        float[] dSigma = new float[4];
        float[] dMu = new float[4];
        b.apply(p, sigma, sigma2, dSigma, dMu);
        // wScale = 2 x max|mu| = 2; weight 0: u = 0.25, lo 0.125, hi 0.375, sigmoid(0) = 0.5 -> 2 x 0.25 = 0.5
        assertEquals(0.5, sigma[2], 1e-6);
        assertEquals(0.25, sigma2[2], 1e-6);
        assertEquals(2 * 0.25 * 0.25, dSigma[2], 1e-6);
        // d sigma / d|mu| = lo' + (hi' - lo') s = 0.1 + 0.2 x 0.5
        assertEquals(0.2, dMu[0], 1e-6);
        // weight 1: u = 0.5, lo 0.15, hi 0.45, sigmoid(ln 3) = 0.75 -> 2 x (0.15 + 0.3 x 0.75) = 0.75; mu < 0 flips the sign
        assertEquals(0.75, sigma[3], 1e-6);
        assertEquals(-(0.1 + 0.2 * 0.75), dMu[1], 1e-6);
    }

    @Test
    void perWeightScalesOfRowColumnMappingsOnHandComputedValues() {
        // the same tables with fixed per-weight scales 4 and 1 (a row-column mapping) instead of 2 x max|mu|
        SigmaBounds b = new SigmaBounds(List.of(new SigmaBounds.Layer("t", 0, 2, 2, 2.0, new float[] {0.1f, 0.2f},
                new float[] {0.3f, 0.6f}, "test", new float[] {4f, 1f})));
        float[] p = {0.5f, -1.0f, 0f, (float) Math.log(3)};
        float[] sigma = new float[4];
        float[] dMu = new float[4];
        b.apply(p, sigma, null, null, dMu);
        // weight 0: u = 0.5 / 4 = 0.125, lo 0.1125, hi 0.3375, sigmoid 0.5 -> 4 x 0.225 = 0.9
        assertEquals(0.9, sigma[2], 1e-6);
        assertEquals(0.1 + 0.2 * 0.5, dMu[0], 1e-6);
        // weight 1: u = 1 (at its scale): lo 0.2, hi 0.6, sigmoid 0.75 -> 0.5; the mean is at the clip: no slope
        assertEquals(0.5, sigma[3], 1e-6);
        assertEquals(0.0, dMu[1], 0.0);
    }

    @Test
    void gradientsThroughTheBandMatchFiniteDifferences() {
        Network net = BayesByBackprop.start(cfg(1)).net();
        SigmaBounds b = DeviceAwareBounds.of(net, Machines.preset("pcm-joshi2020"));
        float[] p = net.params();
        int n = p.length;
        float[] sigma = new float[n];
        float[] dSigma = new float[n];
        float[] dMu = new float[n];
        b.apply(p, sigma, null, dSigma, dMu);
        SigmaBounds.Layer l = b.layers().get(0);
        int checked = 0;
        for (int i = 0; i < l.size() && checked < 50; i += 97) {
            float[] q = p.clone();
            double h = 1e-3;
            float[] s1 = new float[n];
            float[] s2 = new float[n];
            q[l.rhoOffset() + i] = (float) (p[l.rhoOffset() + i] + h);
            b.apply(q, s1, null, null, null);
            q[l.rhoOffset() + i] = (float) (p[l.rhoOffset() + i] - h);
            b.apply(q, s2, null, null, null);
            assertEquals((s1[l.rhoOffset() + i] - s2[l.rhoOffset() + i]) / (2 * h), dSigma[l.rhoOffset() + i],
                    2e-3 * Math.abs(dSigma[l.rhoOffset() + i]) + 1e-4);
            checked++;
        }
        assertTrue(checked >= 20);
    }

    @Test
    void theTrainedPosteriorIsRealisedByTheMapping() {
        Network net = BayesByBackprop.start(cfg(1)).net();
        for (String machine : new String[] {"pcm-joshi2020", "rram-wan2022"}) {
            MachineDescription m = Machines.preset(machine).withMapping(MachineDescription.Mapping.searchDefaults());
            Network copy = net.copy();
            SigmaBounds b = DeviceAwareBounds.of(copy, m);
            b.initialiseFrom(copy);
            b.toNetworkRho(copy);
            float[] sg = new float[copy.paramCount()];
            copy.sigmas(sg, null, null, 0, copy.paramCount());
            for (LayerViews.MatrixLayer v : LayerViews.matrixLayers(copy)) {
                if (v == null) {
                    continue;
                }
                float[] mu = MappingSearch.crossbarOrder(copy.params(), v.muOff(), v.fanIn(), v.out());
                float[] s = MappingSearch.crossbarOrder(sg, v.rhoOff(), v.fanIn(), v.out());
                MappingSearch.Choice c = MappingSearch.choose(mu, s, v.out(), m, m.device().devicePreset(), false);
                assertEquals(1.0, c.realisableFraction(), machine + " " + v.name() + ": " + c.reason());
            }
        }
    }

    @Test
    void deviceAwareTrainingIsBitIdenticalWithOneAndTwoThreads() {
        FloatSet data = RandomImages.of("random", 150, 5, FloatSet.MNIST);
        TrainConfig c = cfg(2);
        float[][] out = new float[2][];
        for (int t = 1; t <= 2; t++) {
            Network net = BayesByBackprop.start(c).net();
            SigmaBounds b = DeviceAwareBounds.of(net, Machines.preset("rram-wan2022"));
            b.initialiseFrom(net);
            try (Parallel par = Parallel.of(t)) {
                BayesByBackprop.train(data, c, new BayesByBackprop.State(net, new float[net.paramCount()],
                        new float[net.paramCount()], 0), par, null, null, b);
            }
            b.toNetworkRho(net);
            out[t - 1] = net.params();
        }
        assertArrayEquals(out[0], out[1]);
    }
}
