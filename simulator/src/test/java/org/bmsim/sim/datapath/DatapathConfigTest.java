package org.bmsim.sim.datapath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashSet;
import java.util.List;
import org.bmsim.common.BadInputException;
import org.bmsim.noise.rng.GaussianSampler;
import org.junit.jupiter.api.Test;

class DatapathConfigTest {
    @Test
    void gridHasFortyDistinctConfigurations() {
        List<DatapathConfig> g = DatapathConfig.grid();
        assertEquals(40, g.size());
        HashSet<String> ids = new HashSet<>();
        for (DatapathConfig c : g) {
            ids.add(c.id());
            assertEquals(c, DatapathConfig.parseId(c.id()));
        }
        assertEquals(40, ids.size());
        assertEquals("l8_mu4_s4_x4_w4_a20_icdf_half", DatapathConfig.defaults().id());
    }

    @Test
    void invalidRangesAreRejectedBeforeAnObjectExists() {
        GaussianSampler.Mode m = GaussianSampler.Mode.ICDF;
        SigmaStep s = SigmaStep.OCTAVE;
        assertThrows(BadInputException.class, () -> DatapathConfig.of(0, 4, 4, 4, 4, 20, m, s));
        assertThrows(BadInputException.class, () -> DatapathConfig.of(65, 4, 4, 4, 4, 20, m, s));
        assertThrows(BadInputException.class, () -> DatapathConfig.of(1, 4, 4, 0, 4, 20, m, s));
        assertThrows(BadInputException.class, () -> DatapathConfig.of(1, 4, 4, 4, 4, 7, m, s));
        assertThrows(BadInputException.class, () -> DatapathConfig.of(1, 4, 4, 4, 4, 33, m, s));
        assertThrows(BadInputException.class, () -> DatapathConfig.of(1, 4, 4, 4, 4, 20, null, s));
        assertThrows(BadInputException.class, () -> DatapathConfig.parseId("l8_mu4"));
        assertThrows(BadInputException.class, () -> DatapathConfig.parseId("l8_mu4_s4_x4_wX_a20_icdf_half"));
        assertEquals(6, DatapathConfig.of(1, 4, 4, 4, 4, 20, GaussianSampler.Mode.CLT12, s).wordsPerSample());
    }
}
