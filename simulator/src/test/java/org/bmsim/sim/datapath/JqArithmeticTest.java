package org.bmsim.sim.datapath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.bmsim.common.BadInputException;
import org.junit.jupiter.api.Test;

/** Hand-computed cases of the per-weight arithmetic (sampler spec, section 8). */
class JqArithmeticTest {
    private final JqArithmetic half = JqArithmetic.of(4, 4, 4, SigmaStep.HALF_OCTAVE);
    private final JqArithmetic oct = JqArithmetic.of(4, 4, 4, SigmaStep.OCTAVE);

    @Test
    void alignmentConstants() {
        // top code 15 is sigma = 2^(wBits - 1) = 8 LSBs: h = 6
        assertEquals(-9, half.e0());
        assertEquals(-12, oct.e0());
        assertEquals(6, half.halfOctaveExponent(15));
        assertEquals(6, oct.halfOctaveExponent(15));
        assertEquals(8.0, half.sigmaLsb(15), 0);
        assertEquals(Math.pow(2, -4), half.sigmaLsb(1), 1e-15);
        assertEquals(Math.pow(2, -11), oct.sigmaLsb(1), 1e-15);
        assertEquals(0.0, half.sigmaLsb(JqArithmetic.SIGMA_ZERO_CODE), 0);
        assertEquals(12, half.muShift());
        assertEquals(7, half.wMax());
        assertEquals(1 << 14, JqArithmetic.of(2, 4, 4, SigmaStep.OCTAVE).muFixed(1));
    }

    @Test
    void sqrt2RoundsHalfUp() {
        assertEquals(5793, JqArithmetic.timesSqrt2(4096)); // 4096 * 1.41421509 = 5792.6
        assertEquals(-5793, JqArithmetic.timesSqrt2(-4096)); // -5792.63 -> floor(-5792.13) = -5793
        assertEquals(1, JqArithmetic.timesSqrt2(1)); // 1.414 + 0.5 -> 1
        assertEquals(0, JqArithmetic.timesSqrt2(0));
        assertEquals(-1, JqArithmetic.timesSqrt2(-1)); // -1.414 + 0.5 = -0.91 -> floor -1
    }

    @Test
    void scaleEpsShiftsAndMultiplies() {
        // half-octave, code 11: h = 2 -> sigma = 2, a left shift by 1
        assertEquals(2 * 1000, half.scaleEps(11, 1000));
        // code 10: h = 1 -> sqrt2 then shift 0
        assertEquals(JqArithmetic.timesSqrt2(1000), half.scaleEps(10, 1000));
        // code 8: h = -1 -> sqrt2 then shift by floor(-1/2) = -1 (right 1, floor)
        assertEquals(JqArithmetic.timesSqrt2(-1001) >> 1, half.scaleEps(8, -1001));
        // code 9: h = 0 -> eps itself
        assertEquals(-1001, half.scaleEps(9, -1001));
        // octave code 1: h = -22, right shift by 11
        assertEquals(-1, oct.scaleEps(1, -1));
        assertEquals(0, oct.scaleEps(1, 2047));
        assertEquals(1, oct.scaleEps(1, 2048));
        // reserved code
        assertEquals(0, half.scaleEps(0, 20000));
        // huge right shifts are capped at 31: sign only
        JqArithmetic wide = JqArithmetic.of(4, 8, 4, SigmaStep.OCTAVE);
        assertEquals(-1, wide.scaleEps(1, -5));
        assertEquals(0, wide.scaleEps(1, 5));
    }

    @Test
    void weightCodeRoundsHalfUpAndSaturatesNarrow() {
        // mu 3 (4-bit mu, 4-bit w: same LSB), sigma 0: w = 3
        assertEquals(3, half.sampleWeightCode(3, 0, 12345));
        // mu 0, sigma 1 LSB (code 9), eps = 0.5 exactly: round half up -> 1; -0.5 -> 0
        assertEquals(1, half.sampleWeightCode(0, 9, 2048));
        assertEquals(0, half.sampleWeightCode(0, 9, -2048));
        assertEquals(-1, half.sampleWeightCode(0, 9, -2049));
        // saturation to +-7 (narrow: -8 never appears)
        assertEquals(7, half.sampleWeightCode(7, 15, 24000));
        assertEquals(-7, half.sampleWeightCode(-8, 15, -24000));
        assertEquals(-7, half.sampleWeightCode(-8, 0, 0));
        // 2-bit weights are ternary
        JqArithmetic ternary = JqArithmetic.of(4, 4, 2, SigmaStep.HALF_OCTAVE);
        assertEquals(1, ternary.wMax());
        assertEquals(1, ternary.sampleWeightCode(7, 0, 0)); // mu 7 * 2^-2 = 1.75 -> 2 -> 1
    }

    @Test
    void rangesAreChecked() {
        assertThrows(BadInputException.class, () -> JqArithmetic.of(4, 4, 1, SigmaStep.OCTAVE));
        assertThrows(BadInputException.class, () -> JqArithmetic.of(4, 4, 17, SigmaStep.OCTAVE));
        assertThrows(BadInputException.class, () -> JqArithmetic.of(17, 4, 4, SigmaStep.OCTAVE));
        assertThrows(BadInputException.class, () -> JqArithmetic.of(4, 9, 4, SigmaStep.OCTAVE));
        assertThrows(BadInputException.class, () -> JqArithmetic.of(4, 4, 4, null));
    }
}
