package org.bmsim.sim.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.bmsim.common.BadInputException;
import org.junit.jupiter.api.Test;

/** Hand-computed cases: ties, saturation, log-domain midpoints, power-of-two scales. */
class QuantizerTest {
    private final UniformQuantizer q4 = UniformQuantizer.of(4);

    @Test
    void roundHalfEvenTies() {
        // x / s = 2.5 -> 2, 3.5 -> 4, -2.5 -> -2, 0.5 -> 0, 1.5 -> 2 (ties to the even code)
        assertEquals(2, q4.code(2.5, 1.0));
        assertEquals(4, q4.code(3.5, 1.0));
        assertEquals(-2, q4.code(-2.5, 1.0));
        assertEquals(0, q4.code(0.5, 1.0));
        assertEquals(2, q4.code(1.5, 1.0));
        assertEquals(-0.25, q4.quantize(-0.3, 0.125), 0); // -2.4 -> -2 -> -0.25
    }

    @Test
    void narrowSymmetricSaturation() {
        assertEquals(7, q4.maxCode());
        assertEquals(7, q4.code(9.0, 1.0));
        assertEquals(-7, q4.code(-100.0, 1.0)); // never -8: the range is symmetric
        assertEquals(1, UniformQuantizer.of(2).code(5, 1.0));
        assertEquals(127, UniformQuantizer.of(8).maxCode());
        assertEquals(1.0, q4.straightThroughGradient(0.875, 0.125));
        assertEquals(0.0, q4.straightThroughGradient(0.876, 0.125));
    }

    @Test
    void postTrainingAndHardwareScales() {
        float[] w = {0.1f, -0.7f, 0.35f, 0f};
        assertEquals(0.7f / 7.0, q4.ptqScale(w, 0, 4), 1e-9); // max|x| / 7
        assertEquals(0.35f / 7.0, q4.ptqScale(w, 2, 2), 1e-9);
        assertEquals(1.0, q4.ptqScale(new float[] {0f, 0f}, 0, 2));
        assertEquals(0.125, UniformQuantizer.powerOfTwoAtLeast(0.1));
        assertEquals(0.125, UniformQuantizer.powerOfTwoAtLeast(0.125));
        assertEquals(4.0, UniformQuantizer.powerOfTwoAtLeast(2.0000001));
        assertEquals(-3, UniformQuantizer.log2OfPowerOfTwo(0.125));
        assertThrows(BadInputException.class, () -> q4.ptqScale(new float[] {Float.NaN}, 0, 1));
        assertThrows(BadInputException.class, () -> UniformQuantizer.of(1));
        assertThrows(BadInputException.class, () -> UniformQuantizer.of(17));
    }

    @Test
    void logQuantizerOctaveMidpointsAreGeometric() {
        LogQuantizer l = LogQuantizer.of(4, LogQuantizer.OCTAVE);
        int eMax = l.eMax(0.3); // log2(0.3) = -1.737 -> ceil = -1
        assertEquals(-1, eMax);
        assertEquals(-16, l.eMin(eMax));
        // the threshold between 2^-3 and 2^-2 is their geometric mean 2^-2.5
        assertEquals(-3, l.exponent(Math.pow(2, -2.5) * 0.999, eMax));
        assertEquals(-2, l.exponent(Math.pow(2, -2.5) * 1.001, eMax));
        // exactly on the midpoint: log2 = -2.5, a tie, to the even exponent -2
        assertEquals(-2, l.exponent(Math.pow(2, -2.5), eMax));
        assertEquals(0.25, l.quantize(0.3, eMax)); // rint(log2 0.3 = -1.737) = -2 -> 2^-2
    }

    @Test
    void logQuantizerHalfOctaveLevelsAndClamps() {
        LogQuantizer l = LogQuantizer.of(4, LogQuantizer.HALF_OCTAVE);
        int eMax = l.eMax(1.0); // log2(1) / 0.5 = 0
        assertEquals(0, eMax);
        assertEquals(-15, l.eMin(eMax));
        // sigma = 2^-1.25 is the geometric midpoint of 2^-1 and 2^-1.5 (e = -2 and -3): tie -> even -2
        assertEquals(-2, l.exponent(Math.pow(2, -1.25), eMax));
        assertEquals(-3, l.exponent(Math.pow(2, -1.25) * 0.999, eMax));
        assertEquals(Math.sqrt(0.5), l.valueOfExponent(-1), 1e-15);
        // above the range clamps to e_max; zero and tiny sigmas clamp to e_min, code 0
        assertEquals(0, l.exponent(10.0, eMax));
        assertEquals(0, l.code(0.0, eMax));
        assertEquals(0, l.code(1e-30, eMax));
        assertEquals(15, l.code(1.0, eMax));
        assertEquals(Math.pow(2, -7.5), l.valueOfCode(0, eMax), 1e-18);
        assertThrows(BadInputException.class, () -> LogQuantizer.of(4, 0.25));
        assertThrows(BadInputException.class, () -> l.exponent(-1, eMax));
        assertThrows(BadInputException.class, () -> l.eMax(0));
    }

    @Test
    void activationGridsHoldZeroExactly() {
        var relu = org.bmsim.sim.nn.Network.initialised(org.bmsim.sim.nn.Architecture.of("mlp:784-6-10",
                org.bmsim.sim.nn.Activation.RELU), true, org.bmsim.sim.nn.SigmaTransform.SOFTPLUS, -5f, 1);
        var tanh = org.bmsim.sim.nn.Network.initialised(org.bmsim.sim.nn.Architecture.of("mlp:784-6-10",
                org.bmsim.sim.nn.Activation.HARDTANH), true, org.bmsim.sim.nn.SigmaTransform.SOFTPLUS, -5f, 1);
        // unsigned 2 bits, clip 3: levels 0, 1, 2, 3; ties to even
        ActivationQuantizer u = ActivationQuantizer.of(relu, 2, new float[] {3f});
        assertEquals(2f, u.quantize(0, 1.5f), 0);
        assertEquals(2f, u.quantize(0, 2.5f), 0);
        assertEquals(3f, u.quantize(0, 7f), 0);
        assertEquals(0f, u.quantize(0, -1f), 0);
        assertEquals(0f, u.quantize(0, 0f), 0);
        // signed 3 bits, clip 3: narrow symmetric levels -3..3 (7 of the 8 codes), 0 exact
        ActivationQuantizer q = ActivationQuantizer.of(tanh, 3, new float[] {3f});
        assertEquals(0f, q.quantize(0, 0f), 0);
        assertEquals(0f, q.quantize(0, -0.004f), 0);
        assertEquals(-3f, q.quantize(0, -2.6f), 0);
        assertEquals(3f, q.quantize(0, 5f), 0);
        assertEquals(-2f, q.quantize(0, -2.5f), 0);
        float[] v = {0f, 0.5f, -0.5f, 1.49f, -9f};
        q.apply(0, v, v.length);
        assertEquals(0f, v[0], 0);
        assertEquals(0f, v[1], 0); // 0.5 -> 0 (half to even)
        assertEquals(0f, v[2], 0);
        assertEquals(1f, v[3], 0);
        assertEquals(-3f, v[4], 0);
    }
}
