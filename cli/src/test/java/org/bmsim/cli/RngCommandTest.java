package org.bmsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code bmsim rng}: golden vectors of the sampler spec (section 6) through the CLI, and its errors. */
class RngCommandTest {
    private static MainTest.Run run(String... args) {
        return MainTest.run(args);
    }

    @Test
    void printsGoldenVectors() {
        assertEquals("2099\n8074\n2406\n-4825\n-2030\n1010\n3837\n-5641\n",
                run("rng", "--mode", "icdf", "--seed", "0", "--lane", "0", "--count", "8").out());
        assertEquals("1960\n3387\n-4561\n1242\n-706\n3700\n2934\n58\n",
                run("rng", "--mode", "clt12", "--count", "8").out());
        assertEquals("4ddcaf2b\n063b6349\n474a73a5\n", run("rng", "--raw", "--count", "3").out());
        // lane 1 of seed 0 is SplitMix64 seed 1: differs from lane 0
        assertTrue(!run("rng", "--lane", "1", "--count", "1").out().equals("2099\n"));
        assertEquals("", run("rng", "--count", "0").out());
    }

    @Test
    void statsReportClt12KsFailure() {
        MainTest.Run icdf = run("rng", "--stats", "--count", "1000000", "--seed", "1");
        assertEquals(0, icdf.code(), icdf.err());
        assertTrue(icdf.out().contains("verdict: PASS"), icdf.out());
        MainTest.Run clt = run("rng", "--stats", "--mode", "clt12", "--count", "1000000", "--seed", "1");
        assertEquals(0, clt.code(), clt.err());
        assertTrue(clt.out().contains("verdict: FAIL") && clt.out().contains("Irwin-Hall"), clt.out());
    }

    @Test
    void badInputIsOneLineExitTwo() {
        for (String[] args : new String[][] {{"rng", "--count", "-1"}, {"rng", "--mode", "boxmuller"},
            {"rng", "--seed", "zz"}, {"rng", "--lane", "-2"}, {"rng", "--raw", "--stats"}, {"rng", "--count", "x"}}) {
            MainTest.Run r = run(args);
            assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
            assertTrue(r.err().startsWith("bmsim: error: "), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
        }
    }
}
