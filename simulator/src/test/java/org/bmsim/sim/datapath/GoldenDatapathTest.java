package org.bmsim.sim.datapath;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.bmsim.noise.rng.GaussianSampler;
import org.bmsim.noise.rng.Taus88;
import org.junit.jupiter.api.Test;

/** Cycle behaviour of the golden model, and its transactions against a direct per-beat reference. */
class GoldenDatapathTest {
    static final int[] TAUS88_GOLDEN = {0x4ddcaf2b, 0x063b6349, 0x474a73a5, 0x9e8ebe5d, 0xcf60d76a, 0x670eee44,
        0x2ca6bc93, 0x958f6446};
    static final int[] ICDF_GOLDEN = {2099, 8074, 2406, -4825, -2030, 1010, 3837, -5641};
    static final int[] CLT12_GOLDEN = {1960, 3387, -4561, 1242, -706, 3700, 2934, 58};

    /** Streams n beats back to back with out_ready high: beat i in cycle i. */
    static Trace streamBeats(Datapath dp, int beats) {
        int lanes = dp.config().lanes();
        int n = beats + Datapath.LATENCY_CYCLES;
        Stimulus in = Stimulus.allocate(n, lanes);
        for (int c = 0; c < n; c++) {
            in.control(c, c < beats, c == 0, true);
            for (int l = 0; l < lanes; l++) {
                in.codes(c, l, 0, 0, 1);
            }
        }
        Trace t = Trace.allocate(n, lanes);
        dp.run(in, t);
        return t;
    }

    @Test
    void latencyIsThreeCyclesAndThroughputOneBeatPerCycle() {
        try (GoldenDatapath dp = new GoldenDatapath(DatapathConfig.defaults())) {
            int beats = 100;
            Trace t = streamBeats(dp, beats);
            for (int c = 0; c < beats + Datapath.LATENCY_CYCLES; c++) {
                assertTrue(t.inReady(c));
                assertEquals(c >= Datapath.LATENCY_CYCLES, t.outValid(c), "cycle " + c);
            }
            assertEquals(beats + Datapath.LATENCY_CYCLES, dp.cycle());
        }
    }

    @Test
    void goldenVectorsAppearOnTheObservabilityPorts() {
        try (GoldenDatapath dp = new GoldenDatapath(DatapathConfig.defaults())) {
            Trace t = streamBeats(dp, 8);
            int[] eps = new int[8];
            int[] word = new int[8];
            for (int i = 0; i < 8; i++) {
                eps[i] = t.eps()[(i + 3) * 8];
                word[i] = t.word()[(i + 3) * 8];
            }
            assertArrayEquals(ICDF_GOLDEN, eps);
            assertArrayEquals(TAUS88_GOLDEN, word);
        }
        DatapathConfig clt = DatapathConfig.of(1, 4, 4, 4, 4, 20, GaussianSampler.Mode.CLT12, SigmaStep.OCTAVE);
        try (GoldenDatapath dp = new GoldenDatapath(clt)) {
            Trace t = streamBeats(dp, 8);
            int[] eps = new int[8];
            for (int i = 0; i < 8; i++) {
                eps[i] = t.eps()[i + 3];
            }
            assertArrayEquals(CLT12_GOLDEN, eps);
            assertEquals(TAUS88_GOLDEN[0], t.word()[3]);
            assertEquals(TAUS88_GOLDEN[6], t.word()[4]);
        }
    }

    @Test
    void seedLoadHoldsInReadyLowThreeCyclesPerLane() {
        DatapathConfig cfg = DatapathConfig.defaults();
        try (GoldenDatapath dp = new GoldenDatapath(cfg)) {
            int n = 40;
            Stimulus in = Stimulus.allocate(n, 8);
            for (int c = 0; c < n; c++) {
                in.control(c, true, false, true);
            }
            in.ctrl()[0] |= Stimulus.SEED_LOAD;
            in.seed()[0] = 42;
            Trace t = Trace.allocate(n, 8);
            dp.run(in, t);
            assertTrue(t.inReady(0));
            for (int c = 1; c <= 24; c++) {
                assertFalse(t.inReady(c), "cycle " + c);
            }
            assertTrue(t.inReady(25));
            // the beat of cycle 0 used the old (seed 0) stream, the beat of cycle 25 the new one
            assertEquals(TAUS88_GOLDEN[0], t.word()[3 * 8]);
            for (int l = 0; l < 8; l++) {
                assertEquals(Taus88.lane(42, l).nextInt(), t.word()[28 * 8 + l], "lane " + l);
            }
        }
    }

    /** Per-beat reference: lanes, sampler and arithmetic applied directly to the accepted beats in order. */
    static void checkTransactions(DatapathConfig cfg, int cycles, long seed) {
        int lanes = cfg.lanes();
        Stimulus in = Stimulus.allocate(cycles, lanes);
        in.randomize(cfg, new SplittableRandom(seed), 0.7, 0.6);
        Trace t = Trace.allocate(cycles, lanes);
        try (GoldenDatapath dp = new GoldenDatapath(cfg)) {
            dp.run(in, t);
        }
        Taus88[] rng = new Taus88[lanes];
        for (int l = 0; l < lanes; l++) {
            rng[l] = Taus88.lane(0, l);
        }
        GaussianSampler s = cfg.sampler().sampler();
        JqArithmetic jq = cfg.arithmetic();
        int[] acc = new int[lanes];
        int accShift = 32 - cfg.accBits();
        int[] accepted = new int[cycles];
        int nAccepted = 0;
        int nOut = 0;
        for (int c = 0; c < cycles; c++) {
            boolean ready = (in.ctrl()[c] & Stimulus.OUT_READY) != 0;
            if (t.outValid(c) && ready) {
                int b = accepted[nOut++];
                boolean first = (in.ctrl()[b] & Stimulus.IN_FIRST) != 0;
                for (int l = 0; l < lanes; l++) {
                    int eps = s.next(rng[l]);
                    int i = b * lanes + l;
                    int w = jq.sampleWeightCode(in.mu()[i], in.sigma()[i], eps);
                    acc[l] = (((first ? 0 : acc[l]) + w * in.x()[i]) << accShift) >> accShift;
                    int o = c * lanes + l;
                    assertEquals(eps, t.eps()[o], "eps, cycle " + c);
                    assertEquals(w, t.w()[o], "w, cycle " + c);
                    assertEquals(acc[l], t.acc()[o], "acc, cycle " + c);
                }
            }
            if ((in.ctrl()[c] & Stimulus.IN_VALID) != 0 && t.inReady(c)) {
                accepted[nAccepted++] = c;
            }
        }
        assertTrue(nOut > cycles / 3, "too few transfers: " + nOut);
        assertTrue(nAccepted - nOut <= Datapath.LATENCY_CYCLES);
    }

    @Test
    void transactionsMatchThePerBeatReferenceOnTheGrid() {
        for (DatapathConfig cfg : DatapathConfig.grid()) {
            checkTransactions(cfg, 20_000, cfg.id().hashCode());
        }
    }

    @Test
    void closedModelThrows() {
        GoldenDatapath dp = new GoldenDatapath(DatapathConfig.defaults());
        dp.close();
        assertThrows(IllegalStateException.class, dp::reset);
        assertThrows(IllegalStateException.class, () -> dp.run(Stimulus.allocate(1, 8), Trace.allocate(1, 8)));
    }
}
