package org.bmsim.sim.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bmsim.common.BadInputException;
import org.bmsim.sim.tile.CellType;
import org.junit.jupiter.api.Test;

class MachinesTest {
    @Test
    void everyPresetLoadsAndRoundTrips() {
        for (String n : Machines.PRESETS) {
            MachineDescription m = Machines.preset(n);
            assertEquals(n, m.name());
            assertEquals(m, Machines.parse(Machines.toYaml(m), "round trip"));
        }
        assertEquals(CellType.DIGITAL_JQ, Machines.preset("ideal").tile().cellType());
        assertTrue(Machines.preset("ideal").adc().idealReadout());
    }

    @Test
    void unknownKeyIsOneLineNamingTheKeyAndTheKnownOnes() {
        String y = Machines.presetText("pcm-joshi2020").replace("integration_ns: 10.0", "integration_us: 0.01");
        BadInputException e = assertThrows(BadInputException.class, () -> Machines.parse(y, "m.yaml"));
        assertTrue(e.getMessage().startsWith("m.yaml: unknown key 'integration_us' (in array); known: integration_ns, read_voltage_v"),
                e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void outOfRangeAndMissingAreOneLine() {
        String y = Machines.presetText("rram-wan2022").replaceFirst("bits: 8 ", "bits: 25 ");
        BadInputException e = assertThrows(BadInputException.class, () -> Machines.parse(y, "m.yaml"));
        assertEquals("m.yaml: dac.bits: must be in [0, 24], got 25", e.getMessage());
        String z = Machines.presetText("rram-wan2022").replace("  adds_per_cycle: 64\n", "");
        BadInputException f = assertThrows(BadInputException.class, () -> Machines.parse(z, "m.yaml"));
        assertTrue(f.getMessage().contains("adds_per_cycle") && !f.getMessage().contains("\n"), f.getMessage());
        String v = Machines.presetText("ideal").replace("version: 1", "version: 2");
        assertEquals("m.yaml: machine: version must be 1, got 2",
                assertThrows(BadInputException.class, () -> Machines.parse(v, "m.yaml")).getMessage());
        assertThrows(BadInputException.class, () -> Machines.load("no-such-machine"));
    }
}
