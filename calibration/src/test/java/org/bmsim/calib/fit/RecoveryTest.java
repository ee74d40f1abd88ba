package org.bmsim.calib.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bmsim.calib.data.Measurements;
import org.bmsim.calib.synth.SynthesisSpec;
import org.bmsim.calib.synth.Synthesizer;
import org.bmsim.noise.device.DevicePresets;
import org.bmsim.sim.machine.Machines;
import org.junit.jupiter.api.Test;

/**
 * The small version of the recovery study ({@code bmsim calibrate recovery}): one synthesized data
 * set per RRAM preset, 400 devices x 64 reads, 60 bootstrap replicates.
 */
class RecoveryTest {
    private static CalibrationResult run(String preset, long seed, int threads) {
        SynthesisSpec s = SynthesisSpec.defaults(DevicePresets.get(preset), 400, 64, seed);
        Synthesizer.Plan p = Synthesizer.plan(s);
        Measurements m = Synthesizer.generate(p, threads);
        Calibrator.Options o = Calibrator.Options.defaults(seed, threads).withBootstrap(60)
                .withWindow(p.truth().gMinUs(), p.truth().gMaxUs());
        return Calibrator.calibrate(m, o);
    }

    @Test
    void recoversTheTrueParametersOfWan() {
        CalibrationResult r = run(DevicePresets.RRAM_WAN_2022, 3, 2);
        Synthesizer.Truth t = Synthesizer.plan(SynthesisSpec.defaults(DevicePresets.get(DevicePresets.RRAM_WAN_2022), 400, 64, 3))
                .truth();
        // family: Laplace against Gaussian and student-t; the BIC gap at 50 devices x 64 reads per level is
        // hundreds of nats, so a wrong choice is not a chance event
        assertEquals("laplace", r.family().label());
        // a 95% interval misses a true value with probability about 0.05; of the 8 programming spreads we
        // allow 2 misses: P(X >= 3 | n = 8, p = 0.05) = 0.0058 (false-failure probability)
        int miss = 0;
        for (int k = 0; k < t.targetsUs().length; k++) {
            if (!r.get("level" + k + ".sigma_prog").covers(t.sigmaProgUs()[k])) {
                miss++;
            }
        }
        assertTrue(miss <= 2, "programming spreads outside their intervals: " + miss);
        // RTN: 3 parameters, each a 95% interval; all three missing has probability about 1e-4
        int rtnMiss = 0;
        rtnMiss += r.get("rtn.tau0").covers(t.rtnTau0S()) ? 0 : 1;
        rtnMiss += r.get("rtn.tau1").covers(t.rtnTau1S()) ? 0 : 1;
        rtnMiss += r.get("rtn.amplitude").covers(t.rtnAmplitudeUs()) ? 0 : 1;
        assertTrue(rtnMiss <= 1, "RTN parameters outside their intervals: " + rtnMiss);
        // the written machine loads and carries the fitted law
        String yaml = DeviceYaml.yaml(r, Machines.preset("rram-wan2022"));
        var m = Machines.parse(yaml, "test");
        assertEquals("custom", m.device().preset());
        assertEquals("gaussian", m.device().noiseShape());
    }

    @Test
    void sameSeedSameResultAtAnyThreadCount() {
        CalibrationResult a = run(DevicePresets.RRAM_MILO_2021, 5, 1);
        CalibrationResult b = run(DevicePresets.RRAM_MILO_2021, 5, 2);
        assertEquals(a.estimates(), b.estimates());
    }
}
