package org.bmsim.sim.machine;

import java.util.List;
import java.util.Locale;
import org.bmsim.common.BadInputException;
import org.bmsim.noise.converter.AdcArchitecture;
import org.bmsim.noise.converter.AdcConfig;
import org.bmsim.noise.converter.AdcRange;
import org.bmsim.noise.converter.DacConfig;
import org.bmsim.noise.device.DevicePresets;
import org.bmsim.noise.rng.GaussianSampler;
import org.bmsim.sim.datapath.DatapathConfig;
import org.bmsim.sim.datapath.SigmaStep;
import org.bmsim.sim.tile.CellType;
import org.bmsim.sim.tile.NoiseShape;
import org.bmsim.sim.tile.SamplingSemantics;

/**
 * A Bayesian machine: one record per hardware block, units in the field names (snake_case keys in
 * YAML, see docs/machine.md). Every record validates itself on construction, so a loaded
 * description is valid; every key is required (presets show the full set).
 */
public record MachineDescription(int version, String name, String description, Tile tile, Device device, Dac dac,
        Adc adc, Array array, Digital digital, Schedule schedule) {
    /** The schema version this code reads. */
    public static final int VERSION = 1;

    public MachineDescription {
        if (version != VERSION) {
            throw new BadInputException("machine: version must be " + VERSION + ", got " + version);
        }
        if (name == null || !name.matches("[a-z0-9][a-z0-9._-]*")) {
            throw new BadInputException("machine: name must be lower-case letters, digits, '.', '_' or '-', got '" + BadInputException.excerpt(name) + "'");
        }
        if (tile == null || device == null || dac == null || adc == null || array == null || digital == null
                || schedule == null) {
            throw new BadInputException("machine " + name + ": every block (tile, device, dac, adc, array, digital, schedule) is required");
        }
    }

    /** The crossbar tile. */
    public record Tile(int rows, int cols, String cell, String sampling, boolean fastPath) {
        public Tile {
            check("tile.rows", rows, 1, 4096);
            check("tile.cols", cols, 1, 4096);
            CellType.parse(cell);
            SamplingSemantics.parse(sampling);
        }

        public CellType cellType() {
            return CellType.parse(cell);
        }

        public SamplingSemantics semantics() {
            return SamplingSemantics.parse(sampling);
        }
    }

    /** The stochastic devices of analog cells. */
    public record Device(String preset, String noiseShape, String correlated, double inferenceTimeS,
            double pairReadSigmaUs, double tunableSigmaMaxUs, double realisableTolerance) {
        public Device {
            if (!preset.equals("none") && !DevicePresets.names().contains(preset)) {
                throw new BadInputException("device.preset: unknown '" + preset + "'; known: none, "
                        + String.join(", ", DevicePresets.names()));
            }
            NoiseShape.parse(noiseShape);
            if (!List.of("none", "flicker").contains(correlated)) {
                throw new BadInputException("device.correlated: unknown '" + correlated + "'; known: none, flicker");
            }
            check("device.inference_time_s", inferenceTimeS, 20, 1e9);
            check("device.pair_read_sigma_us", pairReadSigmaUs, 0, 100);
            check("device.tunable_sigma_max_us", tunableSigmaMaxUs, 0, 1000);
            check("device.realisable_tolerance", realisableTolerance, 0, 10);
        }

        public NoiseShape shape() {
            return NoiseShape.parse(noiseShape);
        }
    }

    /** Row DACs. */
    public record Dac(int bits, double settleNs, double energyPjPerConversion) {
        public Dac {
            check("dac.bits", bits, 0, 24);
            check("dac.settle_ns", settleNs, 0, 1e6);
            check("dac.energy_pj_per_conversion", energyPjPerConversion, 0, 1e6);
            DacConfig.of(bits, 1.0, true);
        }

        /** Signed DAC, full scale 1 (inputs are abs-max scaled before the DAC). */
        public DacConfig config() {
            return DacConfig.of(bits, 1.0, true);
        }
    }

    /**
     * Column ADCs; {@code bits = 0} is an ideal readout (no ADC, no conversion time or energy).
     * {@code range} is {@code fixed} ([range_low, range_high] in normalized column units: inputs
     * and weights in [-1, 1]) or {@code percentile} (percentiles of the noise-free column outputs
     * of the calibration images).
     */
    public record Adc(int bits, String architecture, String range, double rangeLow, double rangeHigh, int columnsPerAdc,
            double conversionStepNs, double waldenFomFjPerStep, double comparatorNoiseLsb, double unitCapacitorMismatch,
            double rampStepSigmaLsb) {
        public Adc {
            check("adc.bits", bits, 0, 16);
            if (!List.of("fixed", "percentile").contains(range)) {
                throw new BadInputException("adc.range: unknown '" + range + "'; known: fixed, percentile");
            }
            if (!(rangeLow < rangeHigh)) {
                throw new BadInputException("adc.range_low must be < adc.range_high, got " + rangeLow + " and " + rangeHigh);
            }
            if (range.equals("percentile")) {
                check("adc.range_low", rangeLow, 0, 100);
                check("adc.range_high", rangeHigh, 0, 100);
            }
            check("adc.columns_per_adc", columnsPerAdc, 1, 4096);
            check("adc.conversion_step_ns", conversionStepNs, 1e-6, 1e6);
            check("adc.walden_fom_fj_per_step", waldenFomFjPerStep, 1e-3, 1e6);
            if (bits > 0) {
                adcConfig(bits, architecture, range, rangeLow, rangeHigh, columnsPerAdc, conversionStepNs,
                        waldenFomFjPerStep, comparatorNoiseLsb, unitCapacitorMismatch, rampStepSigmaLsb);
            }
        }

        public boolean idealReadout() {
            return bits == 0;
        }

        /** The converter configuration (range still to calibrate when percentile). */
        public AdcConfig config() {
            return adcConfig(bits, architecture, range, rangeLow, rangeHigh, columnsPerAdc, conversionStepNs,
                    waldenFomFjPerStep, comparatorNoiseLsb, unitCapacitorMismatch, rampStepSigmaLsb);
        }

        private static AdcConfig adcConfig(int bits, String architecture, String range, double rangeLow,
                double rangeHigh, int columnsPerAdc, double conversionStepNs, double waldenFomFjPerStep,
                double comparatorNoiseLsb, double unitCapacitorMismatch, double rampStepSigmaLsb) {
            AdcArchitecture a;
            try {
                a = AdcArchitecture.valueOf(architecture.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new BadInputException("adc.architecture: unknown '" + architecture + "'; known: ideal, sar, ramp");
            }
            AdcRange r = range.equals("fixed") ? AdcRange.fixed(rangeLow, rangeHigh) : AdcRange.percentile(rangeLow, rangeHigh);
            return new AdcConfig(bits, a, r, comparatorNoiseLsb, rampStepSigmaLsb, unitCapacitorMismatch, columnsPerAdc,
                    conversionStepNs, waldenFomFjPerStep);
        }
    }

    /** The crossbar array's read. */
    public record Array(double readVoltageV, double integrationNs) {
        public Array {
            check("array.read_voltage_v", readVoltageV, 0, 5);
            check("array.integration_ns", integrationNs, 0, 1e6);
        }
    }

    /** Digital periphery and the digital JQ cell's datapath. */
    public record Digital(double clockGhz, int addsPerCycle, double addEnergyPj, double multiplyEnergyPj,
            double weightReadEnergyPjPerByte, double jqBeatEnergyPj, int lanes, int muBits, int sigmaBits, int xBits,
            int wBits, String sampler, String scale) {
        /** Values of {@code scale}: how a digital column's weight LSB is applied after the accumulator. */
        public static final List<String> SCALES = List.of("power-of-two", "multiplier");

        public Digital {
            check("digital.clock_ghz", clockGhz, 1e-3, 100);
            check("digital.adds_per_cycle", addsPerCycle, 1, 65536);
            check("digital.add_energy_pj", addEnergyPj, 0, 1e6);
            check("digital.multiply_energy_pj", multiplyEnergyPj, 0, 1e6);
            if (!SCALES.contains(scale)) {
                throw new BadInputException("digital.scale: unknown '" + scale + "'; known: " + String.join(", ", SCALES));
            }
            check("digital.weight_read_energy_pj_per_byte", weightReadEnergyPjPerByte, 0, 1e6);
            check("digital.jq_beat_energy_pj", jqBeatEnergyPj, 0, 1e6);
            DatapathConfig.of(lanes, muBits, sigmaBits, xBits, wBits, 32, GaussianSampler.Mode.parse(sampler),
                    SigmaStep.HALF_OCTAVE);
        }

        /** The JQ datapath of digital cells (accumulator 32 bits, half-octave sigma grid). */
        public DatapathConfig datapath() {
            return DatapathConfig.of(lanes, muBits, sigmaBits, xBits, wBits, 32, GaussianSampler.Mode.parse(sampler),
                    SigmaStep.HALF_OCTAVE);
        }

        public double clockPeriodNs() {
            return 1.0 / clockGhz;
        }

        /** Whether the per-column scales are powers of two (a shift) rather than a multiplier. */
        public boolean pow2Scales() {
            return scale.equals("power-of-two");
        }
    }

    /** How Monte Carlo samples are scheduled: in sequence on one copy, or on replicated tiles. */
    public record Schedule(String mcSamples, int replicas) {
        public Schedule {
            if (!List.of("sequential", "replicated").contains(mcSamples)) {
                throw new BadInputException("schedule.mc_samples: unknown '" + mcSamples + "'; known: sequential, replicated");
            }
            check("schedule.replicas", replicas, 1, 4096);
            if (mcSamples.equals("sequential") && replicas != 1) {
                throw new BadInputException("schedule.replicas must be 1 when mc_samples is sequential, got " + replicas);
            }
        }
    }

    static void check(String key, double v, double lo, double hi) {
        if (!(v >= lo && v <= hi)) {
            throw new BadInputException(key + ": must be in [" + fmt(lo) + ", " + fmt(hi) + "], got " + fmt(v));
        }
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
