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

    /** rram-wan2022 with its device written out as a custom law (the same polynomial and window). */
    static String customRram(String window, String sigma) {
        return Machines.presetText("rram-wan2022").replace("name: rram-wan2022", "name: my-rram")
                .replaceFirst("preset: rram-wan2022[^\n]*\n", "preset: custom\n")
                .replace("  realisable_tolerance: 0.1", "  realisable_tolerance: 0.1\n  custom:\n    source: \"Wan et al. 2022, written out\"\n"
                        + window + "\n    sigma_us: " + sigma);
    }

    @Test
    void customDeviceLawIsTheSameModelAsThePresetItCopies() {
        MachineDescription m = Machines.parse(customRram("    g_min_us: 0.0\n    g_max_us: 39.26",
                "[1.053, 0.2374, -1.167e-2, 1.536e-4]"), "my.yaml");
        var custom = m.device().devicePreset();
        var preset = Machines.preset("rram-wan2022").device().devicePreset();
        assertEquals(preset.gMaxMicroSiemens(), custom.gMaxMicroSiemens());
        for (double g = 0; g <= 39.26; g += 0.5) {
            assertEquals(preset.programmingNoise().sigma().at(g), custom.programmingNoise().sigma().at(g), 1e-12);
        }
        assertEquals(m, Machines.parse(Machines.toYaml(m), "round trip"));
        assertFalse(Machines.toYaml(Machines.preset("rram-wan2022")).contains("custom"));
    }

    @Test
    void badCustomDeviceLawsAreOneLineErrors() {
        BadInputException w = assertThrows(BadInputException.class, () -> Machines.parse(
                customRram("    g_min_us: 30.0\n    g_max_us: 10.0", "[1.0]"), "m.yaml"));
        assertEquals("m.yaml: device.custom: impossible conductance window [g_min_us, g_max_us] = [30, 10] uS "
                + "(need 0 <= g_min_us < g_max_us, finite)", w.getMessage());
        // 1 - 0.1 G crosses zero at G = 10 uS, inside the window.
        BadInputException n = assertThrows(BadInputException.class, () -> Machines.parse(
                customRram("    g_min_us: 0.0\n    g_max_us: 20.0", "[1.0, -0.1]"), "m.yaml"));
        assertTrue(n.getMessage().startsWith("m.yaml: device.custom.sigma_us: the noise law must be positive over the window, but sigma(10 uS)"),
                n.getMessage());
        BadInputException missing = assertThrows(BadInputException.class, () -> Machines.parse(
                Machines.presetText("rram-wan2022").replaceFirst("preset: rram-wan2022", "preset: custom"), "m.yaml"));
        assertTrue(missing.getMessage().contains("device.custom block"), missing.getMessage());
        BadInputException unknown = assertThrows(BadInputException.class, () -> Machines.parse(
                customRram("    g_min_us: 0.0\n    g_max_us: 20.0\n    g_max_ms: 1", "[1.0]"), "m.yaml"));
        assertTrue(unknown.getMessage().startsWith("m.yaml: unknown key 'g_max_ms' (in device.custom)"), unknown.getMessage());
        for (BadInputException e : new BadInputException[] {w, n, missing, unknown}) {
            assertFalse(e.getMessage().contains("\n"));
        }
    }
}
