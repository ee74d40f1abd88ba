package org.bmsim.hdl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bmsim.common.BadInputException;
import org.bmsim.noise.rng.GaussianSampler;
import org.bmsim.noise.rng.SamplerStats;
import org.bmsim.noise.rng.Taus88;
import org.bmsim.sim.datapath.Datapath;
import org.bmsim.sim.datapath.DatapathConfig;
import org.bmsim.sim.datapath.GoldenDatapath;
import org.bmsim.sim.datapath.SigmaStep;
import org.bmsim.sim.datapath.Stimulus;
import org.bmsim.sim.datapath.Trace;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Verilated RTL on its own: golden vectors, timing, seeding, sampler statistics, handle safety. */
class RtlDatapathTest {
    static final int[] TAUS88_GOLDEN = {0x4ddcaf2b, 0x063b6349, 0x474a73a5, 0x9e8ebe5d, 0xcf60d76a, 0x670eee44,
        0x2ca6bc93, 0x958f6446};
    static final int[] ICDF_GOLDEN = {2099, 8074, 2406, -4825, -2030, 1010, 3837, -5641};
    static final int[] CLT12_GOLDEN = {1960, 3387, -4561, 1242, -706, 3700, 2934, 58};
    static final DatapathConfig CLT1 = DatapathConfig.of(1, 4, 4, 4, 4, 20, GaussianSampler.Mode.CLT12,
            SigmaStep.HALF_OCTAVE);
    static final DatapathConfig ICDF1 = DatapathConfig.of(1, 4, 4, 4, 4, 20, GaussianSampler.Mode.ICDF,
            SigmaStep.HALF_OCTAVE);

    @BeforeEach
    void rtl() {
        RtlRequired.assume();
    }

    /** n beats back to back, out_ready high: beat i accepted in cycle i. */
    static Trace stream(Datapath dp, int beats) {
        int lanes = dp.config().lanes();
        int n = beats + Datapath.LATENCY_CYCLES;
        Stimulus in = Stimulus.allocate(n, lanes);
        for (int c = 0; c < n; c++) {
            in.control(c, c < beats, c == 0, true);
            for (int l = 0; l < lanes; l++) {
                in.codes(c, l, 1, 3, 2);
            }
        }
        Trace t = Trace.allocate(n, lanes);
        dp.run(in, t);
        return t;
    }

    @Test
    void goldenVectorsFromTheRtl() {
        try (RtlDatapath dp = RtlDatapath.open(DatapathConfig.defaults())) {
            Trace t = stream(dp, 8);
            int[] eps = new int[8];
            int[] word = new int[8];
            for (int i = 0; i < 8; i++) {
                eps[i] = t.eps()[(i + 3) * 8];
                word[i] = t.word()[(i + 3) * 8];
            }
            assertArrayEquals(ICDF_GOLDEN, eps);
            assertArrayEquals(TAUS88_GOLDEN, word);
        }
        try (RtlDatapath dp = RtlDatapath.open(CLT1)) {
            Trace t = stream(dp, 8);
            int[] eps = new int[8];
            for (int i = 0; i < 8; i++) {
                eps[i] = t.eps()[i + 3];
            }
            assertArrayEquals(CLT12_GOLDEN, eps);
        }
    }

    @Test
    void rtlSeederComputesSplitMix64() {
        // reseeding with 0 through the RTL's SplitMix64 unit gives the spec's seed-0 stream again,
        // and seed 0xDEADBEEF gives Taus88.lane(0xDEADBEEF, l) on every lane
        for (long seed : new long[] {0, 0xDEADBEEFL}) {
            try (RtlDatapath dp = RtlDatapath.open(DatapathConfig.defaults())) {
                int n = 60;
                Stimulus in = Stimulus.allocate(n, 8);
                for (int c = 0; c < n; c++) {
                    in.control(c, c >= 25, false, true);
                }
                in.ctrl()[0] |= Stimulus.SEED_LOAD;
                in.seed()[0] = seed;
                Trace t = Trace.allocate(n, 8);
                dp.run(in, t);
                for (int c = 1; c <= 24; c++) {
                    assertFalse(t.inReady(c), "busy seeding in cycle " + c);
                }
                assertTrue(t.inReady(25));
                for (int l = 0; l < 8; l++) {
                    assertEquals(Taus88.lane(seed, l).nextInt(), t.word()[28 * 8 + l], "lane " + l);
                }
                if (seed == 0) {
                    assertEquals(TAUS88_GOLDEN[0], t.word()[28 * 8]);
                    assertEquals(ICDF_GOLDEN[0], t.eps()[28 * 8]);
                }
            }
        }
    }

    @Test
    void latencyAndThroughputEqualTheGoldenModel() {
        for (DatapathConfig cfg : new DatapathConfig[] {DatapathConfig.defaults(), CLT1}) {
            int beats = 1000;
            Trace r;
            Trace g;
            try (RtlDatapath dp = RtlDatapath.open(cfg)) {
                r = stream(dp, beats);
            }
            try (GoldenDatapath dp = new GoldenDatapath(cfg)) {
                g = stream(dp, beats);
            }
            int firstValidR = -1;
            int validR = 0;
            int validG = 0;
            for (int c = 0; c < beats + Datapath.LATENCY_CYCLES; c++) {
                if (r.outValid(c) && firstValidR < 0) {
                    firstValidR = c;
                }
                validR += r.outValid(c) ? 1 : 0;
                validG += g.outValid(c) ? 1 : 0;
                assertEquals(g.flags()[c], r.flags()[c], "cycle " + c);
            }
            assertEquals(Datapath.LATENCY_CYCLES, firstValidR, "latency in cycles");
            assertEquals(beats, validR, "one beat per cycle");
            assertEquals(validG, validR);
        }
    }

    @Test
    void rtlSamplerStreamsPassSection7() {
        int n = 1_000_000;
        for (DatapathConfig cfg : new DatapathConfig[] {ICDF1, CLT1}) {
            int[] eps = new int[n];
            try (RtlDatapath dp = RtlDatapath.open(cfg)) {
                int batch = 1 << 16;
                Stimulus in = Stimulus.allocate(batch, 1);
                for (int c = 0; c < batch; c++) {
                    in.control(c, true, false, true);
                }
                Trace t = Trace.allocate(batch, 1);
                int got = 0;
                while (got < n) {
                    dp.run(in, t);
                    for (int c = 0; c < batch && got < n; c++) {
                        if (t.outValid(c)) {
                            eps[got++] = t.eps()[c];
                        }
                    }
                }
            }
            SamplerStats s = SamplerStats.of(eps);
            if (cfg.sampler() == GaussianSampler.Mode.ICDF) {
                assertTrue(s.passes(), s.report("rtl icdf"));
            } else {
                assertTrue(s.meanOk() && s.varianceOk(), s.report("rtl clt12"));
                assertFalse(s.ksOk(), "CLT12's known KS failure: " + s.report("rtl clt12"));
            }
        }
    }

    /**
     * Every misuse of the bridge of docs/reliability.md is a Java exception with a one-line message,
     * raised before native code is entered; a JVM crash would kill this test's fork instead.
     */
    @Test
    void misuseThrowsInsteadOfCrashing() throws Exception {
        String id = DatapathConfig.defaults().id();
        RtlDatapath dp = RtlDatapath.open(DatapathConfig.defaults());
        assertTrue(dp.isOpen());
        dp.close();
        assertFalse(dp.isOpen());
        // closed twice
        IllegalStateException twice = assertThrows(IllegalStateException.class, dp::close);
        assertEquals("the RTL datapath " + id + " is closed (close after close())", twice.getMessage());
        // used after close
        assertEquals("the RTL datapath " + id + " is closed (reset after close())",
                assertThrows(IllegalStateException.class, dp::reset).getMessage());
        assertEquals("the RTL datapath " + id + " is closed (run after close())", assertThrows(
                IllegalStateException.class, () -> dp.run(Stimulus.allocate(1, 8), Trace.allocate(1, 8))).getMessage());
        assertThrows(IllegalStateException.class, () -> dp.traceTo(java.nio.file.Path.of("/tmp/x.vcd")));
        assertThrows(IllegalStateException.class, dp::traceClose);
        // a configuration the generated RTL does not have
        DatapathConfig notBuilt = DatapathConfig.of(3, 5, 3, 6, 5, 24, GaussianSampler.Mode.ICDF, SigmaStep.OCTAVE);
        BadInputException missing = assertThrows(BadInputException.class, () -> RtlDatapath.open(notBuilt));
        assertTrue(missing.getMessage().startsWith("the RTL library has no model for configuration " + notBuilt.id()),
                missing.getMessage());
        assertTrue(missing.getMessage().contains("-Dbmsim.rtl.configs=" + notBuilt.id()), missing.getMessage());
        try (RtlDatapath open = RtlDatapath.open(DatapathConfig.defaults())) {
            // arrays that do not match the configuration
            assertThrows(IllegalArgumentException.class, () -> open.run(Stimulus.allocate(4, 1), Trace.allocate(4, 8)));
            assertThrows(IllegalArgumentException.class, () -> open.run(Stimulus.allocate(4, 8), Trace.allocate(3, 8)));
            // used from two threads: the second thread is refused, for every call, close included
            Throwable[] seen = new Throwable[3];
            Thread other = new Thread(() -> {
                seen[0] = catchIt(open::reset);
                seen[1] = catchIt(() -> open.run(Stimulus.allocate(2, 8), Trace.allocate(2, 8)));
                seen[2] = catchIt(open::close);
            }, "second-driver");
            other.start();
            other.join();
            for (Throwable t : seen) {
                assertTrue(t instanceof IllegalStateException, String.valueOf(t));
                assertTrue(t.getMessage().startsWith("the RTL datapath " + id + " was opened by thread '"
                        + Thread.currentThread().getName() + "' and cannot be used from thread 'second-driver'"),
                        t.getMessage());
            }
            // the owner still drives it after the refused calls
            assertTrue(open.isOpen());
            Trace t = stream(open, 8);
            assertEquals(ICDF_GOLDEN[0], t.eps()[3 * 8]);
        }
        for (Throwable t : new Throwable[] {twice, missing}) {
            assertEquals(1, t.getMessage().lines().count());
        }
    }

    private static Throwable catchIt(Runnable r) {
        try {
            r.run();
            return null;
        } catch (Throwable t) {
            return t;
        }
    }
}
