package org.bmsim.noise.rng;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bmsim.common.BadInputException;
import org.junit.jupiter.api.Test;

/** The golden vectors of the sampler spec, section 6 (seed 0), and the table facts of section 5. */
class SamplerGoldenVectorsTest {
    @Test
    void splitMixSeededState() {
        Taus88 t = Taus88.seeded(0);
        assertEquals(0x7b1dcdaf, t.s1());
        assertEquals(0xa1b965f4, t.s2());
        assertEquals(0x8009454f, t.s3());
        assertArrayEquals(new int[] {0x7b1dcdaf, 0xa1b965f4, 0x8009454f}, Taus88.seedState(0));
    }

    @Test
    void firstTaus88Outputs() {
        Taus88 t = Taus88.lane(0, 0);
        int[] expected = {0x4ddcaf2b, 0x063b6349, 0x474a73a5, 0x9e8ebe5d, 0xcf60d76a, 0x670eee44, 0x2ca6bc93,
            0x958f6446};
        int[] got = new int[8];
        t.next(got, 0, 8);
        assertArrayEquals(expected, got);
    }

    @Test
    void firstClt12Eps() {
        Taus88 t = Taus88.lane(0, 0);
        int[] got = new int[8];
        for (int i = 0; i < 8; i++) {
            got[i] = GaussianSampler.Mode.CLT12.sampler().next(t);
        }
        assertArrayEquals(new int[] {1960, 3387, -4561, 1242, -706, 3700, 2934, 58}, got);
        // the word-array form agrees with the lane form
        int[] words = new int[48];
        Taus88.lane(0, 0).next(words, 0, 48);
        for (int i = 0; i < 8; i++) {
            assertEquals(got[i], new GaussianSampler.Clt12().eps(words, 6 * i));
        }
    }

    @Test
    void firstIcdfEps() {
        Taus88 t = Taus88.lane(0, 0);
        int[] got = new int[8];
        for (int i = 0; i < 8; i++) {
            got[i] = GaussianSampler.Mode.ICDF.sampler().next(t);
        }
        assertArrayEquals(new int[] {2099, 8074, 2406, -4825, -2030, 1010, 3837, -5641}, got);
    }

    @Test
    void laneSeedIsGlobalSeedXorLane() {
        Taus88 a = Taus88.lane(0x1234, 5);
        Taus88 b = Taus88.seeded(0x1234 ^ 5);
        for (int i = 0; i < 4; i++) {
            assertEquals(b.nextInt(), a.nextInt());
        }
        assertThrows(IllegalArgumentException.class, () -> Taus88.lane(0, -1));
    }

    @Test
    void icdfTableFactsOfSection5() {
        int[] base = IcdfTable.bases();
        int[] delta = IcdfTable.deltas();
        assertEquals(447, base.length);
        int maxBase = 0;
        int minDelta = 0;
        int maxDelta = Integer.MIN_VALUE;
        for (int i = 0; i < base.length; i++) {
            maxBase = Math.max(maxBase, base[i]);
            minDelta = Math.min(minDelta, delta[i]);
            maxDelta = Math.max(maxDelta, delta[i]);
        }
        assertEquals(25258, maxBase);
        assertEquals(-333, minDelta);
        assertEquals(-21, maxDelta);
        assertEquals(0, IcdfTable.index(0, 0));
        assertEquals(446, IcdfTable.index(30, 0));
        assertEquals(16, IcdfTable.index(1, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> IcdfTable.index(29, 2));
        // octave o covers v in [2^(30-o), 2^(31-o)): its last segment ends where octave o-1 begins
        for (int o = 1; o < IcdfTable.OCTAVES; o++) {
            int last = IcdfTable.offset(o + 1) - 1;
            int first = IcdfTable.offset(o - 1);
            assertTrue(Math.abs(base[last] + delta[last] - base[first]) <= 1, "octave " + o);
        }
    }

    @Test
    void icdfExtremes() {
        // v = 0 is treated as v = 1: the deepest tail, both signs
        int top = GaussianSampler.Icdf.eps(0);
        assertEquals(-top, GaussianSampler.Icdf.eps(0x80000000));
        assertEquals(IcdfTable.bases()[446], top);
        assertTrue(top > 6 * 4096, "tail beyond 6 sigma: " + top);
        // the largest v sits next to the median
        assertTrue(Math.abs(GaussianSampler.Icdf.eps(0x7FFFFFFF)) < 8);
    }

    @Test
    void modeParsing() {
        assertEquals(GaussianSampler.Mode.ICDF, GaussianSampler.Mode.parse("ICDF"));
        assertEquals(GaussianSampler.Mode.CLT12, GaussianSampler.Mode.parse("clt12"));
        assertThrows(BadInputException.class, () -> GaussianSampler.Mode.parse("box-muller"));
    }
}
