package org.bmsim.noise.converter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.bmsim.common.BadInputException;
import org.bmsim.noise.device.NoiseRandom;
import org.junit.jupiter.api.Test;

class SharedAdcsTest {
    private final AdcConfig cfg = AdcConfig.ramp(6, AdcRange.fixed(0, 1), 0.3, 0).withColumnsPerAdc(4);

    @Test
    void columnsMapToAdcsInContiguousGroups() {
        SharedAdcs bank = SharedAdcs.of(cfg, 10, NoiseRandom.of(1));
        assertEquals(3, bank.adcCount()); // ceil(10 / 4)
        assertSame(bank.adcForColumn(0), bank.adcForColumn(3));
        assertSame(bank.adcForColumn(8), bank.adcForColumn(9));
        assertNotEquals(bank.adcForColumn(3), bank.adcForColumn(4));
        assertThrows(IndexOutOfBoundsException.class, () -> bank.adcForColumn(10));
        assertEquals(4 * 64.0, bank.readTimeNs(), 0.0); // 4 conversions of 64 ramp steps x 1 ns
        assertEquals(10 * cfg.energyPerConversionPj(), bank.energyPerReadPj(), 1e-15);
        assertThrows(BadInputException.class, () -> SharedAdcs.of(cfg, 0, NoiseRandom.of(1)));
    }

    @Test
    void columnsSharingAnAdcShareItsStaticErrors() {
        SharedAdcs bank = SharedAdcs.of(cfg, 8, NoiseRandom.of(2));
        assertTrue(!Arrays.equals(bank.adcForColumn(0).transitionLevelsLsb(), bank.adcForColumn(4).transitionLevelsLsb()));
        // a sweep of one input value across all columns: equal within a group; the groups differ somewhere
        boolean differ = false;
        for (int i = 0; i < 200; i++) {
            float x = i / 200f;
            float[] in = new float[8];
            Arrays.fill(in, x);
            float[] out = new float[8];
            bank.convert(in, out, NoiseRandom.of(3));
            for (int j = 1; j < 4; j++) {
                assertEquals(out[0], out[j], 0f);
                assertEquals(out[4], out[4 + j], 0f);
            }
            differ |= out[0] != out[4];
        }
        assertTrue(differ);
        // the bank's ADC a is Adc.of(cfg, staticErrors.split(a))
        assertEquals(Arrays.toString(Adc.of(cfg, NoiseRandom.of(2).split(1)).transitionLevelsLsb()),
                Arrays.toString(bank.adcForColumn(5).transitionLevelsLsb()));
    }
}
