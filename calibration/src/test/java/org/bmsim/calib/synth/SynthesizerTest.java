package org.bmsim.calib.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bmsim.calib.data.Measurements;
import org.bmsim.common.BadInputException;
import org.bmsim.noise.device.DevicePresets;
import org.junit.jupiter.api.Test;

/** Level placement and the per-device RTN trap rule of the synthesizer. */
class SynthesizerTest {
    private static SynthesisSpec wan(int devices, int reads) {
        return SynthesisSpec.defaults(DevicePresets.get(DevicePresets.RRAM_WAN_2022), devices, reads, 7);
    }

    @Test
    void defaultLevelsAreTheMidpointsOfTheWholeWindow() {
        // Wan's window is [0, 39.26] uS: 8 equal steps of 4.9075 uS, midpoints 2.45375 + 4.9075 k
        double[] t = Synthesizer.plan(wan(16, 16)).targetsUs();
        assertEquals(8, t.length);
        for (int k = 0; k < 8; k++) {
            assertEquals(2.45375 + 4.9075 * k, t[k], 1e-12);
        }
    }

    @Test
    void explicitTargetsAreUsedAndChecked() {
        double[] want = {0.5, 10, 20, 39.26};
        Synthesizer.Plan p = Synthesizer.plan(wan(16, 16).withTargets(want));
        assertArrayEquals(want, p.targetsUs());
        assertEquals(4, p.spec().levels());
        // sigma_prog at 0.5 uS from Wan's cubic: 1.053 + 0.2374 * 0.5 - 0.01167 * 0.25 + 1.536e-4 * 0.125
        assertEquals(1.053 + 0.1187 - 0.0029175 + 1.92e-5, p.truth().sigmaProgUs()[0], 1e-9);
        String[] bad = {"inside the device's window", "increasing", "increasing"};
        double[][] cases = {{0.5, 40}, {10, 5}, {1, Double.NaN}};
        for (int i = 0; i < cases.length; i++) {
            double[] c = cases[i];
            BadInputException e = assertThrows(BadInputException.class, () -> Synthesizer.plan(wan(16, 16).withTargets(c)));
            assertTrue(e.getMessage().contains(bad[i]) && !e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void aTrapExistsOnlyWhereItsLowStateFits() {
        Synthesizer.Plan p = Synthesizer.plan(wan(16, 16));
        // Wan defaults: step a = 5 uS (16 x the largest other per-read sd, rounded up), pi_1 = 1 / (0.5 + 1) = 2/3,
        // so the low state sits 3.333 uS below the conductance; with the other noise (about 0.053 uS sd near
        // 3.5 uS) the threshold is about 3.55 uS
        assertEquals(5.0, p.rtn().amplitudeMicroSiemens(), 1e-12);
        assertFalse(Synthesizer.hasTrap(p, 0.0));
        assertFalse(Synthesizer.hasTrap(p, 3.3));
        assertTrue(Synthesizer.hasTrap(p, 3.6));
        assertTrue(Synthesizer.hasTrap(p, 39.26));
        // the file carries the explicit targets, device d at level d mod 2
        Measurements m = Synthesizer.generate(Synthesizer.plan(wan(64, 16).withTargets(new double[] {3.6, 30})), 2);
        assertArrayEquals(new double[] {3.6, 30}, m.levelTargets());
        assertEquals(1, m.deviceLevel()[63]);
    }

    /** Reads every 0.1 s for a device without drift, 10 s for one that drifts; RTN dwell times of 5 and 10 reads. */
    @Test
    void theDefaultProtocolFollowsTheDevice() {
        SynthesisSpec w = wan(16, 16);
        assertEquals(0.1, w.readIntervalS(), 0);
        assertEquals(0.5, w.rtnTau0S(), 1e-12);
        assertEquals(1.0, w.rtnTau1S(), 1e-12);
        SynthesisSpec p = SynthesisSpec.defaults(DevicePresets.get(DevicePresets.PCM_JOSHI_2020), 16, 100, 7);
        assertEquals(10.0, p.readIntervalS(), 0);
        assertEquals(50.0, p.rtnTau0S(), 1e-12);
        assertEquals(100.0, p.rtnTau1S(), 1e-12);
    }

    /**
     * The trap rule looks at the drifted conductance at the last read: 100 reads every 10 s from 20 s end
     * at 1,010 s, and with t0 = 20 s a device at 10 uS with nu = 0.05 is down to 10 x 50.5^-0.05 =
     * 10 exp(-0.05 x 3.92197) = 8.21931 uS (by hand); without drift it stays at 10 uS.
     */
    @Test
    void theTrapRuleSeesTheDriftedConductance() {
        Synthesizer.Plan p = Synthesizer.plan(SynthesisSpec.defaults(DevicePresets.get(DevicePresets.PCM_JOSHI_2020), 16, 100, 7));
        assertEquals(20.0, p.drift().t0Seconds(), 0);
        assertEquals(8.21931, Synthesizer.lowestConductance(p, 10, 0.05), 1e-5);
        assertEquals(10.0, Synthesizer.lowestConductance(p, 10, 0), 1e-12);
        assertEquals(10.0, Synthesizer.lowestConductance(Synthesizer.plan(wan(16, 16)), 10, 0.05), 0);
    }

    /** A protocol that ends later than 1e9 s after programming is refused in one line (1e300 s reads wrote "Infinity"). */
    @Test
    void aProtocolBeyondThirtyYearsIsRefused() {
        BadInputException e = assertThrows(BadInputException.class,
                () -> SynthesisSpec.defaults(DevicePresets.get(DevicePresets.PCM_JOSHI_2020), 16, 100, 7, 1e300));
        assertTrue(e.getMessage().contains("later than") && !e.getMessage().contains("\n"), e.getMessage());
    }
}
