package org.bmsim.noise.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.bmsim.common.BadInputException;
import org.junit.jupiter.api.Test;

class DevicePresetsTest {

    @Test
    void namesAndWindows() {
        assertEquals(List.of("pcm-joshi2020", "rram-wan2022", "rram-milo2021"), DevicePresets.names());
        DevicePreset pcm = DevicePresets.get("pcm-joshi2020");
        assertEquals(0.0, pcm.gMinMicroSiemens(), 0.0);
        assertEquals(25.0, pcm.gMaxMicroSiemens(), 0.0);
        assertEquals(39.26, DevicePresets.get("rram-wan2022").gMaxMicroSiemens(), 0.0);
        assertEquals(62.5, DevicePresets.get("rram-milo2021").gMinMicroSiemens(), 0.0);
        assertEquals(110.0, DevicePresets.get("rram-milo2021").gMaxMicroSiemens(), 0.0);
    }

    @Test
    void everyPresetCitesItsSourceAndSaysWhatItLeavesOut() {
        for (String name : DevicePresets.names()) {
            DevicePreset p = DevicePresets.get(name);
            assertEquals(name, p.name());
            assertFalse(p.processes().isEmpty(), name);
            assertFalse(p.leavesOut().isEmpty(), name);
            assertTrue(p.citation().matches(".*(2020|2021|2022).*"), p.citation());
            assertEquals(0.0, p.stuckDevices().pStuckAtGMin(), 0.0);
        }
        assertTrue(DevicePresets.get("pcm-joshi2020").citation().contains("Nature Communications 11, 2473"));
        assertTrue(DevicePresets.get("rram-wan2022").citation().contains("Nature 608"));
        assertTrue(DevicePresets.get("rram-milo2021").citation().contains("IRPS"));
    }

    @Test
    void onlyThePcmPresetHasDriftAndOneOverFNoise() {
        DevicePreset pcm = DevicePresets.get("pcm-joshi2020");
        assertTrue(pcm.drift().isPresent());
        FlickerNoise f = pcm.flickerNoise(3600, 1e-6, 1).orElseThrow();
        assertEquals(JoshiPcm2020.accumulatedReadSigma(12.5, 10, 3600, 25), f.stdDevMicroSiemens(12.5, 10), 1e-12);
        for (String rram : List.of("rram-wan2022", "rram-milo2021")) {
            assertTrue(DevicePresets.get(rram).drift().isEmpty());
            assertTrue(DevicePresets.get(rram).flickerNoise(3600, 1e-6, 1).isEmpty());
        }
    }

    @Test
    void unknownNameListsTheKnownOnes() {
        BadInputException e = assertThrows(BadInputException.class, () -> DevicePresets.get("pcm"));
        assertEquals("unknown device preset 'pcm'; known: pcm-joshi2020, rram-wan2022, rram-milo2021", e.getMessage());
    }
}
