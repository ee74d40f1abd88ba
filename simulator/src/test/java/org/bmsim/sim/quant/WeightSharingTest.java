package org.bmsim.sim.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WeightSharingTest {
    @Test
    void kmeansSeparatesTwoHandClusters() {
        double[][] pts = {{0, 0}, {0.1, 0}, {0, 0.1}, {5, 5}, {5.1, 5}, {5, 5.1}};
        int[] idx = {0, 1, 2, 3, 4, 5};
        int[] lab = KMeans.lloyd(pts, idx, 2, 10);
        assertEquals(lab[0], lab[1]);
        assertEquals(lab[0], lab[2]);
        assertEquals(lab[3], lab[4]);
        assertEquals(lab[3], lab[5]);
        assertNotEquals(lab[0], lab[3]);
    }

    @Test
    void wassersteinOfHandGaussians() {
        // same covariance: only the means count, |(3, 4)|^2 = 25
        Gaussian2 a = new Gaussian2(0, 0, 1, 0, 1);
        Gaussian2 b = new Gaussian2(3, 4, 1, 0, 1);
        assertEquals(25.0, Gaussian2.w2Squared(a, b), 1e-12);
        // diagonal: sum of (sqrt(a_i) - sqrt(b_i))^2 = (2 - 1)^2 + (3 - 1)^2 = 5
        Gaussian2 c = new Gaussian2(0, 0, 4, 0, 9);
        assertEquals(5.0, Gaussian2.w2Squared(a, c), 1e-12);
        assertEquals(5.0, Gaussian2.w2Squared(c, a), 1e-12);
        // a non-diagonal matrix square root: [[2, 1], [1, 2]] = R^2 with R = [[1.366, 0.366], [0.366, 1.366]]
        double[] r = Gaussian2.sqrtm(2, 1, 2);
        assertEquals(2, r[0] * r[0] + r[1] * r[1], 1e-12);
        assertEquals(1, r[0] * r[1] + r[1] * r[2], 1e-12);
        assertEquals(0.0, Gaussian2.w2Squared(new Gaussian2(1, 1, 2, 1, 2), new Gaussian2(1, 1, 2, 1, 2)), 1e-12);
    }

    @Test
    void chiSquareRadiusAndMahalanobis() {
        assertEquals(5.991, Gaussian2.CHI2_95, 5e-4);
        Gaussian2 g = new Gaussian2(1, 2, 4, 0, 1);
        assertEquals(1.0, g.mahalanobis2(3, 2), 1e-12); // 2 / sqrt(4)
        assertEquals(4.0, g.mahalanobis2(1, 4), 1e-12);
        assertEquals(-Math.log(2 * Math.PI) - 0.5 * Math.log(4), g.logPdf(1, 2), 1e-12);
    }

    @Test
    void sharedNetworkKeepsOutliersAndCountsStorage() {
        var net = QuantizedNetworkTest.tiny();
        WeightSharing ws = WeightSharing.of(net, 8);
        // mlp:784-6-10 initialised U(-1/sqrt(784), ..): no |mu| >= 0.2 in layer 1; layer 2 has 60 weights,
        // U(-0.41, 0.41), so some outliers
        assertTrue(ws.outlierCount() > 0);
        assertTrue(ws.gaussianCount() <= 16);
        assertTrue(ws.storedParameters() * 10 < ws.meanFieldParameters());
        int[] eps = new int[ws.epsCount()];
        java.util.Arrays.fill(eps, 0);
        float[] w = new float[net.paramCount()];
        ws.weights(eps, w);
        // with eps = 0 every inlier takes its Gaussian's mean mu: at most K distinct values (plus blends) in layer 1
        java.util.Set<Float> distinct = new java.util.HashSet<>();
        for (int i = 0; i < 784 * 6; i++) {
            distinct.add(w[i]);
        }
        assertTrue(distinct.size() < 784 * 6 / 4, "distinct " + distinct.size());
    }

    @Test
    void perWeightDrawsShareTheGaussianNotItsNoise() {
        var net = QuantizedNetworkTest.tiny();
        WeightSharing own = WeightSharing.of(net, 8);
        WeightSharing shared = WeightSharing.of(net, 8, WeightSharing.Options.spec());
        assertTrue(own.options().perWeightDraws());
        // distinct eps per weight: with per-weight draws two inliers of one Gaussian differ
        // when their eps differ; with one draw per Gaussian they never do
        for (WeightSharing ws : new WeightSharing[] {own, shared}) {
            int[] eps = new int[ws.epsCount()];
            for (int i = 0; i < eps.length; i++) {
                eps[i] = (i * 37) % 20000 - 10000;
            }
            float[] w = new float[net.paramCount()];
            ws.weights(eps, w);
            java.util.Set<Float> distinct = new java.util.HashSet<>();
            for (int i = 0; i < 784 * 6; i++) {
                distinct.add(w[i]);
            }
            if (ws == own) {
                assertTrue(distinct.size() > 784 * 6 / 4, "per-weight draws: distinct " + distinct.size());
            } else {
                assertTrue(distinct.size() < 784 * 6 / 4, "one draw per Gaussian: distinct " + distinct.size());
            }
        }
        // per-weight draws consume one eps per weight
        assertEquals(784 * 6 + 60, own.epsCount());
    }

    @Test
    void relativeOutlierRuleKeepsTheLargestMeans() {
        int n = 1000;
        float[] mu = new float[n];
        float[] sigma = new float[n];
        for (int i = 0; i < n; i++) {
            mu[i] = (i - 500) / 1000f; // |mu| up to 0.5: 600 above the spec's 0.2
            sigma[i] = 0.01f + (i % 10) / 1000f;
        }
        SharedTensor rel = SharedTensor.share(mu, sigma, 8, WeightSharing.Options.defaults());
        java.util.Set<Integer> out = new java.util.HashSet<>();
        for (int o : rel.outliers) {
            out.add(o);
        }
        // the top 1% of |mu|: 10 weights, the five largest at each end
        for (int i : new int[] {0, 1, 2, 3, 4, 996, 997, 998, 999}) {
            assertTrue(out.contains(i), "weight " + i + " is an outlier");
        }
        SharedTensor abs = SharedTensor.share(mu, sigma, 8, WeightSharing.Options.spec());
        assertTrue(abs.outliers.length >= 599, "the spec's |mu| >= 0.2 rule: " + abs.outliers.length);
        assertTrue(rel.outliers.length < 100, "relative rule: " + rel.outliers.length);
    }
}
