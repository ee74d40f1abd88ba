package org.bmsim.sim.machine;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import java.util.Locale;
import org.bmsim.common.BadInputException;
import org.bmsim.noise.converter.AdcArchitecture;
import org.bmsim.noise.converter.AdcConfig;
import org.bmsim.noise.converter.AdcRange;
import org.bmsim.noise.converter.DacConfig;
import org.bmsim.noise.device.ConductanceRange;
import org.bmsim.noise.device.DevicePreset;
import org.bmsim.noise.device.DevicePresets;
import org.bmsim.noise.device.PolynomialCurve;
import org.bmsim.noise.device.ProgrammingNoise;
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
        Adc adc, Array array, Digital digital, Schedule schedule,
        @OptionalKey @JsonInclude(JsonInclude.Include.NON_NULL) Mapping mapping) {
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

    /** The same machine with another mapping block (null: the plain mapping). */
    public MachineDescription withMapping(Mapping m) {
        return new MachineDescription(version, name, description, tile, device, dac, adc, array, digital, schedule, m);
    }

    /** The mapping block in force: the file's, or the plain mapping when the file has none. */
    public Mapping mappingOrPlain() {
        return mapping == null ? Mapping.plain() : mapping;
    }

    /**
     * How analog layers are mapped (the optional {@code mapping} block, docs/device-aware.md).
     * {@code search: false} (or no block) is the plain mapping: the tile's cell, one device per
     * polarity, wScale = max |mu|. {@code search: true} picks per layer the candidate (cell type x
     * replicas x scale factor) with the smallest mean 2-Wasserstein distance to the posterior.
     *
     * @param search whether to search
     * @param cells analog cell types to consider (default: the tile's cell)
     * @param replicas devices per polarity summed on the bit line to consider, each in [1, {@value #MAX_REPLICAS}]
     * @param scaleFactors wScale = factor x max |mu| to consider, each in [0.05, 1000] (below 1 clips the
     *        largest means; the clipped part counts in the distance)
     */
    public record Mapping(boolean search, @OptionalKey @JsonInclude(JsonInclude.Include.NON_NULL) List<String> cells,
            @OptionalKey @JsonInclude(JsonInclude.Include.NON_NULL) List<Integer> replicas,
            @OptionalKey @JsonInclude(JsonInclude.Include.NON_NULL) List<Double> scaleFactors,
            @OptionalKey @JsonInclude(JsonInclude.Include.NON_NULL) String objective,
            @OptionalKey @JsonInclude(JsonInclude.Include.NON_NULL) List<String> scaling,
            @OptionalKey @JsonInclude(JsonInclude.Include.NON_NULL) Double rowGainMin) {
        /** Values of {@code scaling}: one scale per layer, or per-row drive x per-column gain ({@link RowColumnScales}). */
        public static final List<String> SCALINGS = List.of("layer", "row-column");
        /** Default smallest row drive amplitude (a 6-bit programmable drive: 1/64 of full scale). */
        public static final double DEFAULT_ROW_GAIN_MIN = 1.0 / 64;
        /** Values of {@code objective}: mean W2 / sigma (default) or mean W2 in weight units. */
        public static final List<String> OBJECTIVES = List.of("relative", "absolute");

        /** Largest replica count per polarity. */
        public static final int MAX_REPLICAS = 1024;
        /** Default replica counts. */
        public static final List<Integer> DEFAULT_REPLICAS = List.of(1, 2, 4, 8, 16, 32, 64);
        /** Default scale factors: 2^(j/2), j = -2..12 (0.5 to 64). */
        public static final List<Double> DEFAULT_SCALE_FACTORS = defaultScales();

        public Mapping {
            if (objective != null && !OBJECTIVES.contains(objective)) {
                throw new BadInputException("mapping.objective: unknown '" + objective + "'; known: relative, absolute");
            }
            if (cells != null) {
                if (cells.isEmpty()) {
                    throw new BadInputException("mapping.cells: give at least one cell type (differential-pair, mean-pair-tunable)");
                }
                for (String c : cells) {
                    if (!CellType.parse(c).analog()) {
                        throw new BadInputException("mapping.cells: only analog cells are searched, got '" + c + "'");
                    }
                }
                cells = List.copyOf(cells);
            }
            if (replicas != null) {
                if (replicas.isEmpty()) {
                    throw new BadInputException("mapping.replicas: give at least one replica count");
                }
                for (Integer r : replicas) {
                    if (r == null || r < 1 || r > MAX_REPLICAS) {
                        throw new BadInputException("mapping.replicas: a replica count must be in [1, " + MAX_REPLICAS
                                + "], got " + r);
                    }
                }
                replicas = List.copyOf(replicas);
            }
            if (scaleFactors != null) {
                if (scaleFactors.isEmpty()) {
                    throw new BadInputException("mapping.scale_factors: give at least one factor");
                }
                for (Double f : scaleFactors) {
                    if (f == null || !(f >= 0.05 && f <= 1000)) {
                        throw new BadInputException("mapping.scale_factors: a factor must be in [0.05, 1000], got " + f);
                    }
                }
                scaleFactors = List.copyOf(scaleFactors);
            }
            if (scaling != null) {
                if (scaling.isEmpty()) {
                    throw new BadInputException("mapping.scaling: give at least one of layer, row-column");
                }
                for (String v : scaling) {
                    if (!SCALINGS.contains(v)) {
                        throw new BadInputException("mapping.scaling: unknown '" + v + "'; known: layer, row-column");
                    }
                }
                scaling = List.copyOf(scaling);
            }
            if (rowGainMin != null && !(rowGainMin >= 1e-4 && rowGainMin <= 1)) {
                throw new BadInputException("mapping.row_gain_min: must be in [1e-4, 1], got " + rowGainMin);
            }
        }

        /** No search: the tile's cell, one device per polarity, wScale = max |mu|. */
        public static Mapping plain() {
            return new Mapping(false, null, null, null, null, null, null);
        }

        /** The search over the defaults. */
        public static Mapping searchDefaults() {
            return new Mapping(true, null, null, null, null, null, null);
        }

        /** The cell types to consider on a machine whose tile cell is {@code tileCell}. */
        public List<CellType> cellTypes(CellType tileCell) {
            return search && cells != null ? cells.stream().map(CellType::parse).toList() : List.of(tileCell);
        }

        /** Whether the objective is W2 / sigma (true, the default) or W2 in weight units. */
        public boolean relative() {
            return objective == null || objective.equals("relative");
        }

        public List<Integer> replicaCounts() {
            return search ? (replicas == null ? DEFAULT_REPLICAS : replicas) : List.of(1);
        }

        /** The scalings to search: both by default; the plain mapping has one scale per layer. */
        public List<String> scalings() {
            return search ? (scaling == null ? SCALINGS : scaling) : List.of("layer");
        }

        public double rowGainMinOrDefault() {
            return rowGainMin == null ? DEFAULT_ROW_GAIN_MIN : rowGainMin;
        }

        public List<Double> scales() {
            return search ? (scaleFactors == null ? DEFAULT_SCALE_FACTORS : scaleFactors) : List.of(1.0);
        }

        private static List<Double> defaultScales() {
            List<Double> l = new java.util.ArrayList<>();
            for (int j = -2; j <= 12; j++) {
                l.add(Math.pow(2, j / 2.0));
            }
            return List.copyOf(l);
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

    /**
     * Marks a record component whose YAML key may be left out (every other key is required). An
     * optional block that is absent binds to null.
     */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.RECORD_COMPONENT)
    public @interface OptionalKey {
    }

    /** The value of {@code device.preset} that reads the device law from {@code device.custom}. */
    public static final String CUSTOM = "custom";

    /**
     * The stochastic devices of analog cells: a named preset from published data, {@code none}, or
     * {@code custom} with the law in the {@link CustomDevice} block (a user's or a calibration's).
     */
    public record Device(String preset, String noiseShape, String correlated, double inferenceTimeS,
            double pairReadSigmaUs, double tunableSigmaMaxUs, double realisableTolerance,
            @OptionalKey @JsonInclude(JsonInclude.Include.NON_NULL) CustomDevice custom) {
        public Device {
            if (!preset.equals("none") && !preset.equals(CUSTOM) && !DevicePresets.names().contains(preset)) {
                throw new BadInputException("device.preset: unknown '" + preset + "'; known: none, " + CUSTOM + ", "
                        + String.join(", ", DevicePresets.names()));
            }
            if (preset.equals(CUSTOM) && custom == null) {
                throw new BadInputException("device.preset: custom needs a device.custom block (g_min_us, g_max_us, sigma_us, source)");
            }
            if (!preset.equals(CUSTOM) && custom != null) {
                throw new BadInputException("device.custom: only read with preset: custom, but preset is '" + preset + "'");
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

        /** A device block without a custom law (the presets' form). */
        public Device(String preset, String noiseShape, String correlated, double inferenceTimeS,
                double pairReadSigmaUs, double tunableSigmaMaxUs, double realisableTolerance) {
            this(preset, noiseShape, correlated, inferenceTimeS, pairReadSigmaUs, tunableSigmaMaxUs, realisableTolerance,
                    null);
        }

        public NoiseShape shape() {
            return NoiseShape.parse(noiseShape);
        }

        /**
         * The device model the cells are made of: the named preset, the custom law, or null for
         * {@code none}. The one place a machine's device is resolved.
         */
        public DevicePreset devicePreset() {
            if (preset.equals("none")) {
                return null;
            }
            return preset.equals(CUSTOM) ? custom.devicePreset() : DevicePresets.get(preset);
        }
    }

    /**
     * A user's device law ({@code device.custom}): the conductance window and the state-dependent
     * spread sigma(G) that samples the weights, as a polynomial in G (uS, ascending powers), the
     * form in which published curves and {@code bmsim calibrate} give it. The law must be positive
     * over the whole window: checked at {@link #LAW_CHECK_POINTS} evenly spaced conductances.
     *
     * @param source where the law comes from (a citation, a measurement file and its checksum)
     * @param gMinUs lower end of the window, &gt;= 0
     * @param gMaxUs upper end, &gt; gMinUs
     * @param sigmaUs c_0, c_1, ... of sigma(G) = sum_i c_i G^i in uS
     */
    public record CustomDevice(String source, double gMinUs, double gMaxUs, List<Double> sigmaUs) {
        /** Points at which the law's positivity is checked (window ends included). */
        public static final int LAW_CHECK_POINTS = 257;

        public CustomDevice {
            if (source == null || source.isBlank()) {
                throw new BadInputException("device.custom.source: say where the law comes from (a citation or a measurement file)");
            }
            if (!Double.isFinite(gMinUs) || !Double.isFinite(gMaxUs) || gMinUs < 0 || !(gMaxUs > gMinUs)) {
                throw new BadInputException("device.custom: impossible conductance window [g_min_us, g_max_us] = ["
                        + fmt(gMinUs) + ", " + fmt(gMaxUs) + "] uS (need 0 <= g_min_us < g_max_us, finite)");
            }
            if (sigmaUs == null || sigmaUs.isEmpty()) {
                throw new BadInputException("device.custom.sigma_us: give at least one polynomial coefficient");
            }
            sigmaUs = List.copyOf(sigmaUs);
            for (Double c : sigmaUs) {
                if (c == null || !Double.isFinite(c)) {
                    throw new BadInputException("device.custom.sigma_us: coefficients must be finite numbers, got " + sigmaUs);
                }
            }
            for (int k = 0; k < LAW_CHECK_POINTS; k++) {
                double g = gMinUs + (gMaxUs - gMinUs) * k / (LAW_CHECK_POINTS - 1);
                double s = horner(sigmaUs, g);
                if (!(s > 0)) {
                    throw new BadInputException("device.custom.sigma_us: the noise law must be positive over the window, but sigma("
                            + fmt(g) + " uS) = " + s + " uS");
                }
            }
        }

        /** The law as a device model (programming spread = the sampler, as for the presets). */
        public DevicePreset devicePreset() {
            ConductanceRange range = ConductanceRange.of(gMinUs, gMaxUs, "custom device");
            double[] c = sigmaUs.stream().mapToDouble(Double::doubleValue).toArray();
            return DevicePreset.of(CUSTOM, source, range, ProgrammingNoise.of(PolynomialCurve.of(range, c)), null,
                    List.of("state-dependent spread: sigma(G) = polynomial " + sigmaUs + " uS, Gaussian or Laplace (device.noise_shape)"),
                    List.of("drift", "1/f and telegraph noise", "stuck devices"));
        }

        private static double horner(List<Double> c, double g) {
            double acc = 0;
            for (int i = c.size() - 1; i >= 0; i--) {
                acc = acc * g + c.get(i);
            }
            return acc;
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
