package org.bmsim.sim.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bmsim.common.BadInputException;
import org.bmsim.sim.data.FloatSet;
import org.bmsim.sim.io.ModelFile;
import org.bmsim.sim.nn.Network;
import org.bmsim.sim.nn.Parallel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trainer: reproducibility across thread counts and resumption, learning, the KL pull, Adam, KL. */
class BayesByBackpropTest {
    @TempDir
    Path dir;

    private static BayesByBackprop.State run(FloatSet data, TrainConfig cfg, int threads) {
        try (Parallel par = Parallel.of(threads)) {
            return BayesByBackprop.train(data, cfg, BayesByBackprop.start(cfg), par, null, null);
        }
    }

    private static TrainConfig small(String arch, boolean bayes, int epochs) {
        return TrainConfig.of(arch, org.bmsim.sim.nn.Activation.RELU, bayes, org.bmsim.sim.nn.SigmaTransform.SOFTPLUS,
                epochs, 80, 3e-3f, true, 0.1f, 1f, -5f, 7);
    }

    @Test
    void sameSeedGivesBitIdenticalNetworksWithOneAndTwoThreads() {
        FloatSet data = Synthetic.set(170, 1); // batches 80, 80, 10: chunks of 32 with a partial one
        for (String arch : new String[] {"lenet5", "mlp"}) {
            for (boolean bayes : new boolean[] {true, false}) {
                TrainConfig cfg = small(arch, bayes, 2);
                float[] one = run(data, cfg, 1).net().params();
                float[] two = run(data, cfg, 2).net().params();
                assertArrayEquals(one, two, arch + " bayesian=" + bayes);
                float[] other = run(data, TrainConfig.of(arch, cfg.activation(), bayes, cfg.sigmaTransform(), 2, 80,
                        cfg.lr(), true, cfg.klScale(), 1f, -5f, 8), 2).net().params();
                assertFalse(java.util.Arrays.equals(one, other), "another seed gives another network");
            }
        }
    }

    @Test
    void resumingFromACheckpointEqualsAnUninterruptedRun() {
        FloatSet data = Synthetic.set(150, 2);
        TrainConfig cfg = small("lenet5", true, 3);
        String sha = Checkpoint.dataSha256(data);
        float[] straight = run(data, cfg, 2).net().params();
        Path ck = dir.resolve("ck.safetensors");
        List<Integer> seen = new ArrayList<>();
        try (Parallel par = Parallel.of(2)) {
            BayesByBackprop.State s = BayesByBackprop.start(cfg);
            // train one epoch only by stopping after the first checkpoint
            TrainConfig one = cfg;
            BayesByBackprop.train(data, one, s, par, null, st -> {
                seen.add(st.epochsDone());
                if (st.epochsDone() == 1) {
                    Checkpoint.write(ck, st, cfg, sha);
                }
            });
        }
        assertEquals(List.of(1, 2, 3), seen);
        Checkpoint.Loaded l = Checkpoint.read(ck);
        assertEquals(1, l.state().epochsDone());
        assertEquals(cfg, l.config());
        assertEquals(sha, l.dataSha256());
        BayesByBackprop.State resumed;
        try (Parallel par = Parallel.of(1)) {
            resumed = BayesByBackprop.train(data, l.config(), l.state(), par, null, null);
        }
        assertArrayEquals(straight, resumed.net().params());
        // a finished model file is not a checkpoint
        Path model = dir.resolve("m.safetensors");
        ModelFile.write(model, resumed.net(), Checkpoint.modelMetadata(cfg, sha, 3));
        assertThrows(BadInputException.class, () -> Checkpoint.read(model));
    }

    @Test
    void learnsAndTheKlPullsUnusedWeightsTowardsThePrior() {
        FloatSet data = Synthetic.set(400, 3);
        List<Double> nll = new ArrayList<>();
        List<Double> acc = new ArrayList<>();
        TrainConfig cfg = TrainConfig.of("mlp:784-32-10", org.bmsim.sim.nn.Activation.RELU, true,
                org.bmsim.sim.nn.SigmaTransform.SOFTPLUS, 4, 50, 3e-3f, false, 1f, 1f, -5f, 3);
        Network net;
        try (Parallel par = Parallel.of(2)) {
            net = BayesByBackprop.train(data, cfg, BayesByBackprop.start(cfg), par, new BayesByBackprop.Listener() {
                @Override
                public void epochDone(BayesByBackprop.EpochStats s) {
                    nll.add(s.nll());
                    acc.add(s.trainAccuracy());
                }
            }, null).net();
        }
        assertTrue(nll.get(3) < nll.get(0) / 4, "NLL falls: " + nll);
        assertTrue(acc.get(3) > 0.95, "accuracy " + acc);
        // Pixel (0, 0) is 0 in every image: its fc1 weights get only the KL gradient, of constant sign
        // for rho (towards the prior's sigma 1), so Adam moves rho by about lr per step: 32 steps of
        // 3e-3 take sigma from softplus(-5) = 0.00672 to softplus(-4.904) = 0.00739 (x 1.10); and mu
        // is pulled from |mu| <= 1/28 to 0, where Adam leaves it oscillating within about lr.
        float[] sigma = new float[net.paramCount()];
        net.sigmas(sigma, null, null, 0, net.paramCount());
        int rho = net.tensor("fc1.weight_rho").offset();
        int mu = net.tensor("fc1.weight_mu").offset();
        float init = org.bmsim.sim.nn.SigmaTransform.SOFTPLUS.sigma(-5f);
        for (int j = 0; j < 32; j++) {
            assertEquals(1.10, sigma[rho + j * 784] / init, 0.01, "sigma of an unused weight");
            assertTrue(Math.abs(net.params()[mu + j * 784]) < 0.01, "mu of an unused weight " + net.params()[mu + j * 784]);
        }
    }

    @Test
    void refusesUnlabelledRows() {
        FloatSet d = Synthetic.set(10, 4);
        d.labels()[3] = -1;
        BadInputException e = assertThrows(BadInputException.class, () -> run(d, small("mlp", true, 1), 1));
        assertTrue(e.getMessage().contains("row 3 has label -1"), e.getMessage());
    }

    @Test
    void adamKlAndCosineOnHandComputedValues() {
        float[] m = {0f};
        float[] v = {0f};
        // first step: m = 0.05, v = 0.00025, bias-corrected 0.5 and 0.25: p -= 0.1 * 0.5 / 0.5
        assertEquals(0.9f, Adam.update(1f, 0.5f, m, v, 0, Adam.corrections(0.1f, 1)), 1e-6);
        assertEquals(0.05f, m[0], 1e-8);
        assertEquals(0.00025f, v[0], 1e-9);
        assertEquals(3e-3f, Adam.cosine(3e-3f, 0, 100), 0f);
        assertEquals(1.5e-3f, Adam.cosine(3e-3f, 50, 100), 1e-9);
        assertEquals(0.0, GaussianKl.value(0, 1, 1), 1e-12);
        assertEquals(Math.log(2) + 1.25 / 2 - 0.5, GaussianKl.value(1, 0.5, 1), 1e-12);
        double h = 1e-4;
        assertEquals((GaussianKl.value(0.3, 0.2 + h, 0.5) - GaussianKl.value(0.3, 0.2 - h, 0.5)) / (2 * h),
                GaussianKl.dSigma(0.2f, 0.5f), 1e-4);
        assertEquals((GaussianKl.value(0.3 + h, 0.2, 0.5) - GaussianKl.value(0.3 - h, 0.2, 0.5)) / (2 * h),
                GaussianKl.dMu(0.3f, 0.5f), 1e-4);
    }
}
