package org.bmsim.sim.tile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.bmsim.sim.nn.Parallel;
import org.junit.jupiter.api.Test;

/**
 * The fast path agrees with the faithful path where the rule allows it (two-sample KS per column),
 * and the rule refuses each inexact case. False-failure odds: 8 columns tested at alpha = 1e-3 each,
 * so a correct implementation fails with probability 1 - (1 - 1e-3)^8 = 0.8 % for a random seed;
 * the seeds here are fixed, so the test is deterministic.
 */
class FastPathRuleTest {
    @Test
    void allowsOnlyIndependentGaussianFreshPerReadUnquantizedUnclipped() {
        FastPathRule.Inputs ok = new FastPathRule.Inputs(SamplingSemantics.PER_READ, false, NoiseShape.GAUSSIAN, false, false);
        assertTrue(FastPathRule.decide(ok).fast());
        assertFalse(FastPathRule.decide(new FastPathRule.Inputs(SamplingSemantics.PER_INFERENCE, false, NoiseShape.GAUSSIAN, false, false)).fast());
        assertFalse(FastPathRule.decide(new FastPathRule.Inputs(SamplingSemantics.PER_READ, true, NoiseShape.GAUSSIAN, false, false)).fast());
        assertFalse(FastPathRule.decide(new FastPathRule.Inputs(SamplingSemantics.PER_READ, false, NoiseShape.LAPLACE, false, false)).fast());
        assertFalse(FastPathRule.decide(new FastPathRule.Inputs(SamplingSemantics.PER_READ, false, NoiseShape.GAUSSIAN, true, false)).fast());
        assertFalse(FastPathRule.decide(new FastPathRule.Inputs(SamplingSemantics.PER_READ, false, NoiseShape.GAUSSIAN, false, true)).fast());
        assertEquals(5, FastPathRule.decide(new FastPathRule.Inputs(SamplingSemantics.PER_INFERENCE, true, NoiseShape.LAPLACE, true, true)).refusals().size());
    }

    @Test
    void tilesPickTheFastPathOnlyWhereAllowed() {
        TileMatrix tm = TileMatrix.of(2, 2, new float[] {1, 0, 0, 1}, new float[] {0.1f, 0.1f, 0.1f, 0.1f});
        var dac = org.bmsim.noise.converter.DacConfig.of(0, 1, true);
        assertEquals(AnalogTile.Path.FAST, AnalogTile.builder(tm, dac).build().path());
        assertEquals(AnalogTile.Path.FAITHFUL, AnalogTile.builder(tm, dac).semantics(SamplingSemantics.PER_INFERENCE).build().path());
        assertEquals(AnalogTile.Path.FAITHFUL, AnalogTile.builder(tm, dac).allowFast(false).build().path());
    }

    @Test
    void fastAndFaithfulAgreeByKolmogorovSmirnov() {
        int rows = 40;
        int cols = 8;
        Random r = new Random(5);
        float[] mu = new float[rows * cols];
        float[] sg = new float[rows * cols];
        for (int k = 0; k < mu.length; k++) {
            mu[k] = (float) r.nextGaussian() * 0.3f;
            sg[k] = 0.02f + 0.2f * r.nextFloat();
        }
        TileMatrix tm = TileMatrix.of(rows, cols, mu, sg);
        int reads = 4000;
        float[] x = new float[reads * rows];
        for (int i = 0; i < rows; i++) {
            float v = (float) r.nextGaussian();
            for (int b = 0; b < reads; b++) {
                x[b * rows + i] = v;
            }
        }
        float[] yFast = new float[reads * cols];
        float[] yFaith = new float[reads * cols];
        try (Parallel par = Parallel.of(2)) {
            MvmKernels.outputReferred(tm, x, reads, yFast, 1, par);
            MvmKernels.perRead(tm, x, reads, yFaith, 2, par);
        }
        for (int j = 0; j < cols; j++) {
            float[] a = new float[reads];
            float[] b = new float[reads];
            for (int k = 0; k < reads; k++) {
                a[k] = yFast[k * cols + j];
                b[k] = yFaith[k * cols + j];
            }
            KsTest.Result ks = KsTest.twoSample(a, b);
            assertTrue(ks.pValue() > 1e-3, "column " + j + ": KS D = " + ks.d() + ", p = " + ks.pValue());
        }
    }

    @Test
    void ksDetectsAShiftedDistribution() {
        Random r = new Random(9);
        float[] a = new float[2000];
        float[] b = new float[2000];
        for (int k = 0; k < a.length; k++) {
            a[k] = (float) r.nextGaussian();
            b[k] = (float) r.nextGaussian() * 1.15f;
        }
        assertTrue(KsTest.twoSample(a, b).pValue() < 1e-3);
    }

    @Test
    void vectorGaussianHasUnitMomentsAndNormalTails() {
        VectorGaussian g = VectorGaussian.of(3);
        float[] z = new float[1 << 18];
        g.fill(z, 0, z.length);
        double s = 0;
        double s2 = 0;
        double s4 = 0;
        int tail = 0;
        for (float v : z) {
            s += v;
            s2 += v * v;
            s4 += (double) v * v * v * v;
            if (Math.abs(v) > 2) {
                tail++;
            }
        }
        int n = z.length;
        assertEquals(0, s / n, 5 / Math.sqrt(n));
        assertEquals(1, s2 / n, 5 * Math.sqrt(2.0 / n));
        assertEquals(3, s4 / n, 5 * Math.sqrt(96.0 / n));
        assertEquals(0.0455, (double) tail / n, 5 * Math.sqrt(0.0455 / n));
        float[] ref = new float[1 << 12];
        java.util.Random jr = new java.util.Random(4);
        for (int k = 0; k < ref.length; k++) {
            ref[k] = (float) jr.nextGaussian();
        }
        assertTrue(KsTest.twoSample(java.util.Arrays.copyOf(z, 1 << 14), ref).pValue() > 1e-3);
    }
}
