package org.bmsim.sim.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.bmsim.common.BadInputException;
import org.junit.jupiter.api.Test;

class UncertaintyMetricsTest {
    private static final double TOL = 1e-9;

    /** Predictions with S samples given sample-major: rows[s][i] is the class vector of input i. */
    private static McPredictions predictions(float[][][] rows, short[] labels, byte[] subset) {
        int s = rows.length;
        int n = rows[0].length;
        int c = rows[0][0].length;
        float[] p = new float[s * n * c];
        for (int si = 0; si < s; si++) {
            for (int i = 0; i < n; i++) {
                System.arraycopy(rows[si][i], 0, p, (si * n + i) * c, c);
            }
        }
        return new McPredictions(s, n, c, p, labels, subset);
    }

    /**
     * Two samples, three classes, by hand (natural log).
     * Input 0: p1 = (1/2, 1/2, 0), p2 = (1/2, 0, 1/2). Each sample's entropy is ln 2, so AU = ln 2;
     * pbar = (1/2, 1/4, 1/4), PE = 1/2 ln 2 + 2 * 1/4 ln 4 = 3/2 ln 2; EU = PE - AU = 1/2 ln 2 = 0.346574.
     * Input 1: p1 = (0.7, 0.2, 0.1), p2 = (0.1, 0.6, 0.3).
     * H(p1) = 0.7*0.356675 + 0.2*1.609438 + 0.1*2.302585 = 0.801819,
     * H(p2) = 0.1*2.302585 + 0.6*0.510826 + 0.3*1.203973 = 0.897946, AU = 0.849882;
     * pbar = (0.4, 0.4, 0.2), PE = 2*0.4*0.916291 + 0.2*1.609438 = 1.054920; EU = 0.205038.
     * Input 2: both samples (1, 0, 0): PE = AU = EU = 0 (up to eps = 1e-12).
     */
    @Test
    void mutualInformationTwoSamplesThreeClassesByHand() {
        McPredictions p = predictions(new float[][][] {
            {{0.5f, 0.5f, 0f}, {0.7f, 0.2f, 0.1f}, {1f, 0f, 0f}},
            {{0.5f, 0f, 0.5f}, {0.1f, 0.6f, 0.3f}, {1f, 0f, 0f}}},
            new short[] {0, 1, 0}, new byte[] {0, 1, 0});
        UncertaintyMetrics.Uncertainties u = UncertaintyMetrics.uncertainties(p);
        double ln2 = Math.log(2);
        assertEquals(ln2, u.aleatoric()[0], TOL);
        assertEquals(1.5 * ln2, u.predictive()[0], TOL);
        assertEquals(0.5 * ln2, u.epistemic()[0], TOL);
        // float inputs (0.7f etc.) differ from the decimals by ~1e-8: tolerance 1e-6
        assertEquals(0.849882, u.aleatoric()[1], 1e-6);
        assertEquals(1.054920, u.predictive()[1], 1e-6);
        assertEquals(0.205038, u.epistemic()[1], 1e-6);
        assertEquals(0.0, u.predictive()[2], 1e-11);
        assertEquals(0.0, u.aleatoric()[2], 1e-11);
        assertEquals(0.0, u.epistemic()[2], 0);
        assertEquals(0.4, u.meanProbs()[3], 1e-7);
        assertEquals(0.2, u.meanProbs()[5], 1e-7);
    }

    /**
     * Accuracy, NLL, ECE and Brier by hand, one sample (so pbar = p), three classes, five MNIST rows
     * (conf = max pbar; bins ((m-1)/15, m/15]):
     * <pre>
     * row pbar               label pred conf bin(0-based) right
     *  0  (0.90 0.05 0.05)   0     0    0.90 13 (0.867, 0.933]  yes
     *  1  (0.95 0.03 0.02)   1     0    0.95 14                 no
     *  2  (0.50 0.30 0.20)   0     0    0.50  7 (0.467, 0.533]  yes
     *  3  (0.20 0.45 0.35)   2     1    0.45  6 (0.400, 0.467]  no
     *  4  (0.88 0.10 0.02)   0     0    0.88 13                 yes
     * </pre>
     * accuracy = 3/5 = 0.6.
     * ECE: bin 13: 2/5 * |1 - 0.89| = 0.044; bin 14: 1/5 * |0 - 0.95| = 0.19; bin 7: 1/5 * 0.5 = 0.1;
     * bin 6: 1/5 * 0.45 = 0.09; total 0.424.
     * NLL = -(ln 0.9 + ln 0.03 + ln 0.5 + ln 0.35 + ln 0.88) / 5
     *     = (0.105361 + 3.506558 + 0.693147 + 1.049822 + 0.127833) / 5 = 1.096544.
     * Brier: 0.01+0.0025+0.0025 = 0.015; 0.9025+0.9409+0.0004 = 1.8438; 0.25+0.09+0.04 = 0.38;
     * 0.04+0.2025+0.4225 = 0.665; 0.0144+0.01+0.0004 = 0.0248; mean 2.9286 / 5 = 0.58572.
     * Two extra rows must not enter the top-level values: an ambiguous row (labelled, wrong) and an
     * OOD row (no label).
     */
    @Test
    void accuracyNllEceBrierByHand() {
        McPredictions p = predictions(new float[][][] {{
            {0.90f, 0.05f, 0.05f}, {0.95f, 0.03f, 0.02f}, {0.50f, 0.30f, 0.20f}, {0.20f, 0.45f, 0.35f},
            {0.88f, 0.10f, 0.02f}, {0.1f, 0.1f, 0.8f}, {0.4f, 0.3f, 0.3f}}},
            new short[] {0, 1, 0, 2, 0, 1, -1}, new byte[] {0, 0, 0, 0, 0, 1, 2});
        MetricsReport r = UncertaintyMetrics.report(p);
        assertEquals(0.6, r.accuracy(), TOL);
        assertEquals(0.424, r.ece(), 1e-6);
        assertEquals(1.096544, r.nll(), 1e-6);
        assertEquals(0.58572, r.brier(), 1e-6);
        assertEquals(5, r.subset("mnist").count());
        assertEquals(0.6, r.subset("mnist").accuracy(), TOL);
        assertEquals(1, r.subset("ambiguous").count());
        assertEquals(0.0, r.subset("ambiguous").accuracy(), 0);
        assertEquals(1, r.subset("ood").count());
        assertNull(r.subset("ood").accuracy());
        // one sample: no epistemic uncertainty anywhere, so EU ties everywhere and AUROC_OOD = 0.5
        assertEquals(0.0, r.subset("ood").epistemicMean(), 1e-11);
        assertEquals(0.5, r.aurocOod(), 0);
        // AU of the ambiguous row, H(0.1, 0.1, 0.8) = 0.639032, against the MNIST rows' entropies
        // (0.394, 0.232, 1.030, 1.049, 0.421): it beats 3 of 5, AUROC_amb = 0.6
        assertEquals(0.6, r.aurocAmb(), 0);
        assertEquals(0.639032, r.subset("ambiguous").aleatoricMean(), 1e-6);
    }

    @Test
    void eceBinsAreRightClosed() {
        assertEquals(0, UncertaintyMetrics.eceBin(0.0, 15));
        assertEquals(0, UncertaintyMetrics.eceBin(1.0 / 15, 15));
        assertEquals(1, UncertaintyMetrics.eceBin(Math.nextUp(1.0 / 15), 15));
        assertEquals(9, UncertaintyMetrics.eceBin(10.0 / 15, 15));
        assertEquals(10, UncertaintyMetrics.eceBin(Math.nextUp(10.0 / 15), 15));
        assertEquals(14, UncertaintyMetrics.eceBin(1.0, 15));
        for (int m = 1; m <= 15; m++) {
            double edge = (double) m / 15;
            assertEquals(m - 1, UncertaintyMetrics.eceBin(edge, 15), "edge " + m);
        }
    }

    /** The subset AUROCs against an independent computation by pair counting, on random predictions. */
    @Test
    void aurocsAndMeansAgreeWithPairCountingOnRandomPredictions() {
        SplittableRandom r = new SplittableRandom(7);
        int s = 4;
        int n = 90;
        int c = 10;
        float[] probs = new float[s * n * c];
        short[] labels = new short[n];
        byte[] subset = new byte[n];
        for (int i = 0; i < n; i++) {
            subset[i] = (byte) (i % 3);
            labels[i] = subset[i] == 2 ? -1 : (short) r.nextInt(c);
        }
        for (int si = 0; si < s; si++) {
            for (int i = 0; i < n; i++) {
                double sum = 0;
                double[] e = new double[c];
                for (int k = 0; k < c; k++) {
                    e[k] = Math.exp(3 * r.nextGaussian() * (1 + subset[i]));
                    sum += e[k];
                }
                for (int k = 0; k < c; k++) {
                    probs[(si * n + i) * c + k] = (float) (e[k] / sum);
                }
            }
        }
        McPredictions p = new McPredictions(s, n, c, probs, labels, subset);
        UncertaintyMetrics.Uncertainties u = UncertaintyMetrics.uncertainties(p);
        MetricsReport rep = UncertaintyMetrics.report(p, u);
        double[] eu0 = pick(u.epistemic(), subset, 0);
        double[] eu1 = pick(u.epistemic(), subset, 1);
        double[] eu2 = pick(u.epistemic(), subset, 2);
        double[] au0 = pick(u.aleatoric(), subset, 0);
        double[] au1 = pick(u.aleatoric(), subset, 1);
        double[] eu01 = new double[eu0.length + eu1.length];
        System.arraycopy(eu0, 0, eu01, 0, eu0.length);
        System.arraycopy(eu1, 0, eu01, eu0.length, eu1.length);
        assertEquals(AurocTest.bruteForce(eu01, eu2), rep.aurocOod(), 1e-12);
        assertEquals(AurocTest.bruteForce(eu0, eu2), rep.aurocOodMnistOnly(), 1e-12);
        assertEquals(AurocTest.bruteForce(au0, au1), rep.aurocAmb(), 1e-12);
        assertEquals(mean(au1), rep.subset("ambiguous").aleatoricMean(), 1e-12);
        assertEquals(mean(eu2), rep.subset("ood").epistemicMean(), 1e-12);
        for (int i = 0; i < n; i++) {
            assertTrue(u.epistemic()[i] >= 0);
            assertEquals(u.predictive()[i], u.aleatoric()[i] + u.epistemic()[i], 1e-9);
        }
    }

    private static double[] pick(double[] v, byte[] subset, int code) {
        return java.util.stream.IntStream.range(0, v.length).filter(i -> subset[i] == code).mapToDouble(i -> v[i])
                .toArray();
    }

    private static double mean(double[] v) {
        return java.util.Arrays.stream(v).sum() / v.length;
    }

    @Test
    void jsonHasTheDocumentedKeysAndRoundTrips() {
        McPredictions p = predictions(new float[][][] {
            {{0.5f, 0.5f, 0f}, {0.7f, 0.2f, 0.1f}, {1f, 0f, 0f}},
            {{0.5f, 0f, 0.5f}, {0.1f, 0.6f, 0.3f}, {0.9f, 0.1f, 0f}}},
            new short[] {0, 1, -1}, new byte[] {0, 1, 2});
        MetricsReport r = UncertaintyMetrics.report(p);
        String json = r.toJson();
        for (String key : new String[] {"\"accuracy\"", "\"nll\"", "\"ece\"", "\"brier\"", "\"auroc_ood\"",
            "\"auroc_ood_mnist_only\"", "\"auroc_amb\"", "\"subsets\"", "\"mnist\"", "\"ambiguous\"", "\"ood\"",
            "\"count\"", "\"predictive_mean\"", "\"aleatoric_mean\"", "\"epistemic_mean\""}) {
            assertTrue(json.contains(key), key + " missing in " + json);
        }
        assertFalse(json.contains("aurocOod") || json.contains("null"), json);
        // the ood subset has no labels: no accuracy key inside it
        String ood = json.substring(json.indexOf("\"ood\""));
        assertFalse(ood.contains("accuracy"), ood);
        assertEquals(r, MetricsReport.fromJson(json));
        assertThrows(BadInputException.class, () -> MetricsReport.fromJson("{\"accuracy\": \"x\"}"));
    }

    @Test
    void emptySubsetsGiveNullsNotNaN() {
        McPredictions p = predictions(new float[][][] {{{0.6f, 0.4f}, {0.3f, 0.7f}}}, new short[] {0, 0},
                new byte[] {0, 0});
        MetricsReport r = UncertaintyMetrics.report(p);
        assertEquals(0.5, r.accuracy(), 0);
        assertNull(r.aurocOod());
        assertNull(r.aurocAmb());
        assertEquals(0, r.subset("ood").count());
        assertNull(r.subset("ood").aleatoricMean());
        assertFalse(r.toJson().contains("NaN"));
    }

    @Test
    void refusesLogitsNaNAndBadLabels() {
        assertThrows(BadInputException.class, () -> UncertaintyMetrics.report(
                predictions(new float[][][] {{{2.0f, -1.0f}}}, new short[] {0}, new byte[] {0})));
        assertThrows(BadInputException.class, () -> UncertaintyMetrics.report(
                predictions(new float[][][] {{{Float.NaN, 1f}}}, new short[] {0}, new byte[] {0})));
        assertThrows(BadInputException.class, () -> UncertaintyMetrics.report(
                predictions(new float[][][] {{{0.5f, 0.5f}}}, new short[] {2}, new byte[] {0})));
        assertThrows(BadInputException.class, () -> UncertaintyMetrics.report(
                predictions(new float[][][] {{{0.5f, 0.5f}}}, new short[] {0}, new byte[] {3})));
    }

    @Test
    void aPredictionArrayTooLargeForJavaIsBadInput() {
        org.bmsim.common.BadInputException e = org.junit.jupiter.api.Assertions.assertThrows(
                org.bmsim.common.BadInputException.class, () -> McPredictions.allocate(2_000_000_000, 4400, 10));
        assertTrue(e.getMessage().contains("use at most 48806 samples"), e.getMessage());
        assertEquals(3 * 5 * 10, McPredictions.allocate(3, 5, 10).length);
    }
}
