package org.bmsim.calib.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bmsim.calib.data.Measurements;
import org.bmsim.calib.synth.SynthesisSpec;
import org.bmsim.calib.synth.Synthesizer;
import org.bmsim.noise.device.DevicePresets;
import org.junit.jupiter.api.Test;

/**
 * A calibration with a second, fast measurement for the 1/f slope ({@code calibrate --spectrum-data}):
 * PCM read every 10 s from 20 s (the retention series, no 1/f signal in its band) beside 16 devices read
 * 1,024 times every 0.1 s from 500 s.
 */
class SpectrumDataTest {
    private static final SynthesisSpec SLOW = SynthesisSpec.defaults(DevicePresets.get(DevicePresets.PCM_JOSHI_2020), 160, 64, 7);
    private static final SynthesisSpec FAST = SLOW.withSize(16, 1024).withProtocol(4, 0.1, 500).withSeed(8);

    private static Measurements data(SynthesisSpec s) {
        return Synthesizer.generate(Synthesizer.plan(s), 2);
    }

    private static Calibrator.Options options() {
        Synthesizer.Truth t = Synthesizer.plan(SLOW).truth();
        return Calibrator.Options.defaults(3, 2).withBootstrap(40).withWindow(t.gMinUs(), t.gMaxUs());
    }

    @Test
    void theSlopeComesFromTheFastSeriesAndNothingElseChanges() {
        Measurements slow = data(SLOW);
        CalibrationResult alone = Calibrator.calibrate(slow, options());
        CalibrationResult both = Calibrator.calibrate(slow, data(FAST), options());
        // the retention series samples 0.0016 .. 0.05 Hz, below the 1/f band's lower edge 1 / t_first = 0.05 Hz
        assertTrue(Double.isNaN(alone.get("flicker.slope").value()), "slow series: slope not resolved");
        assertNull(alone.spectrum());
        CalibrationResult.Estimate s = both.get("flicker.slope");
        assertTrue(Double.isFinite(s.value()) && s.lo() < s.value() && s.value() < s.hi(), s.toString());
        // the truth is 1: the estimate within 4 of the interval's sd (its width / 3.92) of it fails with
        // probability about 6e-5 if the interval is right (the recovery study measures its coverage)
        double sd = (s.hi() - s.lo()) / 3.92;
        assertTrue(Math.abs(s.value() - 1) < 4 * sd, s + " against a true slope of 1");
        // every other estimate is the retention series' own, bit for bit
        assertEquals(alone.estimates().size(), both.estimates().size());
        for (int i = 0; i < alone.estimates().size(); i++) {
            if (!alone.estimates().get(i).name().equals("flicker.slope")) {
                assertEquals(alone.estimates().get(i), both.estimates().get(i));
            }
        }
        assertEquals(alone.warnings(), both.warnings());
        // the fast series' levels: 4 of them, each with its conductance, slope, amplitude and floor
        assertEquals(16, both.spectrum().estimates().size());
        assertEquals("spectrum.level0.flicker_slope", both.spectrum().estimates().get(0).name());
        assertEquals(4, both.spectrum().plots().size());
        assertEquals(0.1, both.spectrum().dtS(), 1e-9);
        assertTrue(DeviceYaml.provenance(both).stream().anyMatch(l -> l.startsWith("  spectrum_input: ")));
        assertTrue(DeviceYaml.all(both).stream().anyMatch(e -> e.name().equals("spectrum.level3.flicker_slope")));
    }

    @Test
    void aSpectrumSeriesThatDoesNotResolveTheSlopeIsSaidSo() {
        // the retention protocol again, as "spectrum data": still no 1/f signal, so NaN and a warning
        CalibrationResult r = Calibrator.calibrate(data(SLOW), data(SLOW.withSize(48, 64).withProtocol(4, 10, 20).withSeed(9)),
                options());
        assertTrue(Double.isNaN(r.get("flicker.slope").value()));
        assertFalse(r.warnings().isEmpty());
        assertTrue(r.warnings().get(r.warnings().size() - 1).contains("do not resolve the 1/f slope"),
                String.join("\n", r.warnings()));
    }
}
