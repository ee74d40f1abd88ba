package org.bmsim.noise.converter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.bmsim.common.BadInputException;
import org.junit.jupiter.api.Test;

class DacTest {

    @Test
    void unsignedCodesByHand() {
        Dac dac = Dac.of(DacConfig.of(3, 7.0, false)); // step 7 / 7 = 1
        assertEquals(1.0, dac.config().stepInput(), 0.0);
        assertEquals(2.0, dac.convert(2.4), 0.0);
        assertEquals(3.0, dac.convert(2.6), 0.0);
        assertEquals(2.0, dac.convert(2.5), 0.0); // half to even
        assertEquals(0.0, dac.convert(-1.0), 0.0); // clip
        assertEquals(7.0, dac.convert(9.0), 0.0); // clip
        assertEquals(7, dac.config().maxCode());
        assertEquals(5, dac.code(4.9));
    }

    @Test
    void signedIsSymmetricWithAnExactZero() {
        Dac dac = Dac.of(DacConfig.of(8, 1.0, true)); // step 1/127
        assertEquals(1.0 / 127, dac.config().stepInput(), 0.0);
        assertEquals(0.0, dac.convert(0.003), 0.0);
        assertEquals(-1.0, dac.convert(-3.0), 0.0);
        assertEquals(-127, dac.code(-1.0));
        assertEquals(64 / 127.0, dac.convert(0.5), 1e-15); // 0.5 * 127 = 63.5 -> 64 (half to even)
    }

    @Test
    void gridValuesPassUnchangedAndUnquantizedOnlyClips() {
        Dac dac = Dac.of(DacConfig.of(6, 2.0, true));
        double step = dac.config().stepInput();
        for (int c = -31; c <= 31; c++) {
            assertEquals(c * step, dac.convert(c * step), 1e-15);
        }
        Dac ideal = Dac.of(DacConfig.of(DacConfig.UNQUANTIZED, 1.0, true));
        float[] in = {-0.3f, 0.123456f, 0.999f, 2f, -2f};
        float[] out = new float[in.length];
        ideal.convert(in, out);
        assertEquals(-0.3f, out[0], 0f);
        assertEquals(0.123456f, out[1], 0f);
        assertEquals(0.999f, out[2], 0f);
        assertEquals(1f, out[3], 0f);
        assertEquals(-1f, out[4], 0f);
    }

    @Test
    void refusesBadConfigs() {
        assertThrows(BadInputException.class, () -> DacConfig.of(25, 1, false));
        assertThrows(BadInputException.class, () -> DacConfig.of(-1, 1, false));
        assertThrows(BadInputException.class, () -> DacConfig.of(1, 1, true));
        assertThrows(BadInputException.class, () -> DacConfig.of(4, 0, false));
        assertThrows(BadInputException.class, () -> DacConfig.of(4, Double.NaN, false));
    }
}
