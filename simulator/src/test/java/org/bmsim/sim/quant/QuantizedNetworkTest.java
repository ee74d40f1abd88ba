package org.bmsim.sim.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bmsim.common.BadInputException;
import org.bmsim.noise.rng.GaussianSampler;
import org.bmsim.sim.datapath.DatapathConfig;
import org.bmsim.sim.datapath.GoldenDatapath;
import org.bmsim.sim.datapath.JqArithmetic;
import org.bmsim.sim.datapath.SigmaStep;
import org.bmsim.sim.datapath.Stimulus;
import org.bmsim.sim.datapath.Trace;
import org.bmsim.sim.nn.Activation;
import org.bmsim.sim.nn.Architecture;
import org.bmsim.sim.nn.Layer;
import org.bmsim.sim.nn.Network;
import org.bmsim.sim.nn.SigmaTransform;
import org.junit.jupiter.api.Test;

class QuantizedNetworkTest {
    /** A small Bayesian MLP whose sigmas (rho = -3.5, sigma about 0.03) are comparable to a 4-bit LSB. */
    static Network tiny() {
        return Network.initialised(Architecture.of("mlp:784-6-10", Activation.RELU), true, SigmaTransform.SOFTPLUS,
                -3.5f, 7);
    }

    @Test
    void hardwareModeWeightsEqualTheGoldenDatapath() {
        Network net = tiny();
        QuantizedNetwork q = QuantizedNetwork.of(net, QuantSpec.parse("jq:4"), QuantOptions.defaults().withHardware(true)
                .withSubLsbGain(0.7));
        int n = q.epsCount();
        assertEquals(784 * 6 + 6 * 10, n);
        long seed = 99;
        int sample = 3;
        int[] eps = new int[n];
        CommonRandomNumbers.fill(seed, sample, eps);
        float[] w = new float[net.paramCount()];
        q.weights(eps, w);
        // the golden model, one lane, seeded with the sample's global seed, fed the codes in consumption order
        DatapathConfig cfg = DatapathConfig.of(1, 4, 4, 4, 4, 20, GaussianSampler.Mode.ICDF, SigmaStep.HALF_OCTAVE);
        int wait = 1 + org.bmsim.sim.datapath.Datapath.seedCycles(1);
        int cycles = wait + n + 3;
        Stimulus in = Stimulus.allocate(cycles, 1);
        in.ctrl()[0] = Stimulus.SEED_LOAD | Stimulus.OUT_READY;
        in.seed()[0] = CommonRandomNumbers.sampleSeed(seed, sample);
        for (int c = 1; c < cycles; c++) {
            in.control(c, c >= wait && c < wait + n, true, true);
        }
        int k = 0;
        int nonZeroSigma = 0;
        int[][] blockRows = new int[2][];
        for (int blk = 0; blk < 2; blk++) {
            int[][] codes = q.codes(blk);
            for (int i = 0; i < codes[0].length; i++) {
                in.codes(wait + k, 0, codes[0][i], codes[1][i], 1);
                nonZeroSigma += codes[1][i] > 0 ? 1 : 0;
                k++;
            }
        }
        Trace t = Trace.allocate(cycles, 1);
        try (GoldenDatapath dp = new GoldenDatapath(cfg)) {
            dp.run(in, t);
        }
        int out = 0;
        int differs = 0;
        for (int c = 0; c < cycles; c++) {
            if (!t.outValid(c)) {
                continue;
            }
            int blk = out < 784 * 6 ? 0 : 1;
            int local = blk == 0 ? out : out - 784 * 6;
            int cols = blk == 0 ? 784 : 6;
            Layer.TensorSlot s = net.tensors().stream().filter(x -> x.kind() == Layer.TensorSlot.Kind.WEIGHT_MU)
                    .toList().get(blk);
            double scale = q.scales(blk)[local / cols];
            assertEquals(eps[out], t.eps()[c], "eps of weight " + out);
            assertEquals(t.w()[c] * scale, w[s.offset() + local], 0.0, "weight " + out);
            if (t.w()[c] != q.codes(blk)[0][local] * 1) {
                differs++;
            }
            out++;
        }
        assertEquals(n, out);
        // the test means something: most sigma codes are live and the noise moves some weights off their mu code
        assertTrue(nonZeroSigma > n / 2, "live sigma codes " + nonZeroSigma);
        assertTrue(differs > n / 20, "weights moved by noise " + differs);
    }

    @Test
    void hardwareSigmaCodesFollowTheFixedGridOfEachChannel() {
        Network net = tiny();
        QuantizedNetwork q = QuantizedNetwork.of(net, QuantSpec.parse("jq:4"),
                QuantOptions.defaults().withHardware(true).withJqCoding(JqCoding.NEAREST));
        JqArithmetic jq = q.arithmetic();
        float[] sig = new float[net.paramCount()];
        net.sigmas(sig, null, null, 0, net.paramCount());
        Layer.TensorSlot mu = net.tensors().get(0);
        double[] scales = q.scales(0);
        int[] sc = q.codes(0)[1];
        for (int i = 0; i < mu.size(); i += 97) {
            double s = scales[i / 784];
            assertEquals(Math.getExponent(s), Math.log(s) / Math.log(2), 0.0, "power-of-two scale");
            double lsb = sig[mu.offset() + mu.size() + i] / s;
            // nearest level on the half-octave grid within codes 1..15
            int best = 1;
            for (int c = 1; c <= 15; c++) {
                if (Math.abs(Math.log(jq.sigmaLsb(c)) - Math.log(lsb)) < Math.abs(Math.log(jq.sigmaLsb(best)) - Math.log(lsb))) {
                    best = c;
                }
            }
            assertEquals(best, sc[i], "sigma code of weight " + i);
        }
    }

    @Test
    void strategiesOnHandCase() {
        Network net = tiny();
        int[] eps = new int[784 * 6 + 60];
        java.util.Arrays.fill(eps, 4096); // eps = 1.0
        float[] fp = new float[net.paramCount()];
        QuantizedNetwork.of(net, QuantSpec.fp(), QuantOptions.defaults()).weights(eps, fp);
        float[] sig = new float[net.paramCount()];
        net.sigmas(sig, null, null, 0, net.paramCount());
        Layer.TensorSlot mu = net.tensors().get(0);
        assertEquals(net.params()[5] + sig[mu.size() + 5], fp[5], 1e-7);
        // SPQ: every sampled weight on its row's grid s = max(|mu| + 3 sigma) / 7
        float[] spq = new float[net.paramCount()];
        QuantizedNetwork.of(net, QuantSpec.parse("spq:4"), QuantOptions.defaults()).weights(eps, spq);
        double max = 0;
        for (int j = 0; j < 784; j++) {
            max = Math.max(max, Math.abs(net.params()[j]) + 3 * sig[mu.size() + j]);
        }
        double s = max / 7;
        for (int j = 0; j < 784; j++) {
            double c = spq[j] / s;
            assertEquals(Math.rint(c), c, 1e-4);
            assertEquals(UniformQuantizer.of(4).quantize(fp[j], s), spq[j], 1e-6);
        }
        // VPQ: sigma on the log grid, mu on the uniform grid, sum in float
        float[] vpq = new float[net.paramCount()];
        QuantizedNetwork.of(net, QuantSpec.parse("vpq:4"), QuantOptions.defaults()).weights(eps, vpq);
        assertTrue(Math.abs(vpq[5] - fp[5]) < 0.05);
    }

    @Test
    void storageOfLenet5MatchesTheSpec() {
        Network lenet = Network.of(Architecture.of("lenet5", Activation.RELU), true, SigmaTransform.SOFTPLUS);
        java.util.Arrays.fill(lenet.params(), 0.01f);
        Storage fp = QuantizedNetwork.of(lenet, QuantSpec.fp(), QuantOptions.defaults()).storage();
        assertEquals(61_706, fp.weights());
        assertEquals(493_648, fp.fp32Bytes());
        assertEquals(493_648, fp.totalBytes());
        Storage jq = QuantizedNetwork.of(lenet, QuantSpec.parse("jq:4"), QuantOptions.defaults().withSubLsbGain(1))
                .storage();
        assertEquals(61_706, jq.weightBytes());
        assertEquals(8.0, (double) fp.fp32Bytes() / jq.weightBytes(), 0.0);
        // per-channel float scales: 6 + 16 + 120 + 84 + 10 = 236 channel scales, 2 more per layer
        assertEquals((236 + 10) * 32, jq.scaleBits());
        assertEquals(5 * 3 * 32, jq.layerScaleBits());
        assertTrue((double) fp.fp32Bytes() / jq.totalBytesLayerScales() >= 7.9);
        Storage hw = QuantizedNetwork.of(lenet, QuantSpec.parse("jq:4"),
                QuantOptions.defaults().withHardware(true).withSubLsbGain(1))
                .storage();
        assertEquals((236 + 10) * 8, hw.scaleBits());
        Storage vpq2 = QuantizedNetwork.of(lenet, QuantSpec.parse("vpq:2"), QuantOptions.defaults()).storage();
        assertEquals(30_853, vpq2.weightBytes()); // 61,706 x 4 bits
    }

    @Test
    void specParsing() {
        assertEquals(QuantSpec.fp(), QuantSpec.parse("FP"));
        assertEquals(new QuantSpec(Strategy.JQ, 4, 0), QuantSpec.parse("jq:4"));
        assertEquals(new QuantSpec(Strategy.SHARE, 5, 32), QuantSpec.parse("share:32"));
        assertEquals(QuantSpec.DEFAULT_CLUSTERS, QuantSpec.parse("share").clusters());
        assertEquals("vpq:8", QuantSpec.parse(" vpq:8 ").id());
        for (String bad : new String[] {"jq", "jq:1", "jq:9", "vpq:x", "fp:4", "int8", "share:1", "share:5000", "",
            "spq:"}) {
            BadInputException e = assertThrows(BadInputException.class, () -> QuantSpec.parse(bad), bad);
            assertTrue(!e.getMessage().contains("\n"), "one-line message");
        }
        assertEquals(java.util.List.of(2, 3, 4, 6, 8), QuantSpec.parseBits("2,3,4,6,8"));
        assertThrows(BadInputException.class, () -> QuantSpec.parseBits("4,12"));
        assertThrows(BadInputException.class, () -> QuantizedNetwork.of(tiny(), QuantSpec.parse("vpq:4"),
                QuantOptions.defaults().withHardware(true)));
    }

    @Test
    void commonRandomNumbersAreTheSamplersStream() {
        int[] a = new int[50];
        int[] b = new int[50];
        CommonRandomNumbers.fill(5, 2, a);
        CommonRandomNumbers.fill(5, 2, b);
        assertEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(b));
        var lane = org.bmsim.noise.rng.Taus88.lane(CommonRandomNumbers.sampleSeed(5, 2), 0);
        for (int i = 0; i < 50; i++) {
            assertEquals(GaussianSampler.Icdf.eps(lane.nextInt()), a[i]);
        }
        CommonRandomNumbers.fill(5, 3, b);
        assertTrue(!java.util.Arrays.equals(a, b));
    }
}
