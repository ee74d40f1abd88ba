package org.bmsim.noise.converter;

import org.bmsim.common.BadInputException;

/**
 * Configuration of a column ADC (one record per hardware block, units in the field names). Build
 * with {@link #ideal}, {@link #sar} or {@link #ramp} and adjust with the {@code with...} methods;
 * every instance is validated before it exists.
 *
 * <pre>
 *   LSB                 = (max - min) / (2^adcBits - 1)         (from the range)
 *   conversion time     = adcBits x conversionStepNs            (IDEAL, SAR)
 *                       = 2^adcBits x conversionStepNs          (RAMP)
 *   ENOB                = adcBits - log2(sqrt(1 + 12 comparatorNoiseLsb^2))
 *   energy / conversion = FoM_W x 2^ENOB                        ({@link WaldenFom})
 *   tile read time      = columnsPerAdc x conversion time       (ADCs convert in parallel, columns in turn)
 * </pre>
 *
 * The ENOB formula counts quantization noise (LSB^2/12) and comparator noise for a full-scale
 * sine; static INL/DNL are not counted. The default step time, {@value #DEFAULT_CONVERSION_STEP_NS}
 * ns, is a round number for a column SAR ADC (8 bits in 8 ns, 125 MS/s), not from a source: set it
 * from your design. The default FoM is {@link WaldenFom#DEFAULT_FOM_FJ_PER_STEP}.
 *
 * @param adcBits resolution, 1 .. 16
 * @param architecture ideal, SAR or ramp
 * @param range fixed, or percentiles to calibrate from data ({@link #calibrated})
 * @param comparatorNoiseLsb input-referred comparator noise, rms, in LSB; drawn per comparison
 *     (SAR) or per conversion (ramp); 0 for IDEAL
 * @param rampStepSigmaLsb RAMP only: sigma of each ramp step's width, in LSB (the DNL sigma)
 * @param unitCapacitorMismatch SAR only: relative sigma of one unit capacitor of the DAC
 * @param columnsPerAdc columns multiplexed onto one ADC, &gt;= 1
 * @param conversionStepNs time of one SAR bit decision or one ramp step, in ns, &gt; 0
 * @param waldenFomFjPerStep Walden figure of merit, fJ per conversion step, &gt; 0
 */
public record AdcConfig(int adcBits, AdcArchitecture architecture, AdcRange range, double comparatorNoiseLsb,
        double rampStepSigmaLsb, double unitCapacitorMismatch, int columnsPerAdc, double conversionStepNs,
        double waldenFomFjPerStep) {

    /** Default time of one SAR bit decision or ramp step, ns (a round number, see the class comment). */
    public static final double DEFAULT_CONVERSION_STEP_NS = 1.0;

    public AdcConfig {
        if (adcBits < 1 || adcBits > 16) {
            throw new BadInputException("ADC bits must be 1 .. 16, got " + adcBits);
        }
        if (architecture == null || range == null) {
            throw new BadInputException("ADC architecture and range are required");
        }
        nonNegative("comparator noise (LSB)", comparatorNoiseLsb);
        nonNegative("ramp step sigma (LSB)", rampStepSigmaLsb);
        nonNegative("unit capacitor mismatch", unitCapacitorMismatch);
        if (unitCapacitorMismatch > 1) {
            throw new BadInputException("ADC unit capacitor mismatch must be <= 1 (relative sigma), got "
                    + unitCapacitorMismatch);
        }
        if (architecture == AdcArchitecture.IDEAL
                && (comparatorNoiseLsb != 0 || rampStepSigmaLsb != 0 || unitCapacitorMismatch != 0)) {
            throw new BadInputException("an IDEAL ADC has no comparator noise, ramp error or capacitor mismatch; "
                    + "use SAR or RAMP");
        }
        if (architecture != AdcArchitecture.RAMP && rampStepSigmaLsb != 0) {
            throw new BadInputException("ramp step sigma applies to a RAMP ADC only, not " + architecture);
        }
        if (architecture != AdcArchitecture.SAR && unitCapacitorMismatch != 0) {
            throw new BadInputException("unit capacitor mismatch applies to a SAR ADC only, not " + architecture);
        }
        if (columnsPerAdc < 1) {
            throw new BadInputException("columns per ADC must be >= 1, got " + columnsPerAdc);
        }
        if (!(conversionStepNs > 0) || !Double.isFinite(conversionStepNs)) {
            throw new BadInputException("ADC conversion step time must be finite and > 0 ns, got " + conversionStepNs);
        }
        if (!(waldenFomFjPerStep > 0) || !Double.isFinite(waldenFomFjPerStep)) {
            throw new BadInputException("ADC Walden FoM must be finite and > 0 fJ/conv-step, got " + waldenFomFjPerStep);
        }
    }

    private static void nonNegative(String what, double v) {
        if (!(v >= 0) || !Double.isFinite(v)) {
            throw new BadInputException("ADC " + what + " must be finite and >= 0, got " + v);
        }
    }

    /** An ideal uniform quantizer. */
    public static AdcConfig ideal(int adcBits, AdcRange range) {
        return new AdcConfig(adcBits, AdcArchitecture.IDEAL, range, 0, 0, 0, 1, DEFAULT_CONVERSION_STEP_NS,
                WaldenFom.DEFAULT_FOM_FJ_PER_STEP);
    }

    /** A SAR ADC with capacitor mismatch and comparator noise. */
    public static AdcConfig sar(int adcBits, AdcRange range, double unitCapacitorMismatch, double comparatorNoiseLsb) {
        return new AdcConfig(adcBits, AdcArchitecture.SAR, range, comparatorNoiseLsb, 0, unitCapacitorMismatch, 1,
                DEFAULT_CONVERSION_STEP_NS, WaldenFom.DEFAULT_FOM_FJ_PER_STEP);
    }

    /** A ramp ADC with random step widths and comparator noise. */
    public static AdcConfig ramp(int adcBits, AdcRange range, double rampStepSigmaLsb, double comparatorNoiseLsb) {
        return new AdcConfig(adcBits, AdcArchitecture.RAMP, range, comparatorNoiseLsb, rampStepSigmaLsb, 0, 1,
                DEFAULT_CONVERSION_STEP_NS, WaldenFom.DEFAULT_FOM_FJ_PER_STEP);
    }

    public AdcConfig withRange(AdcRange newRange) {
        return new AdcConfig(adcBits, architecture, newRange, comparatorNoiseLsb, rampStepSigmaLsb,
                unitCapacitorMismatch, columnsPerAdc, conversionStepNs, waldenFomFjPerStep);
    }

    public AdcConfig withColumnsPerAdc(int columns) {
        return new AdcConfig(adcBits, architecture, range, comparatorNoiseLsb, rampStepSigmaLsb,
                unitCapacitorMismatch, columns, conversionStepNs, waldenFomFjPerStep);
    }

    public AdcConfig withConversionStepNs(double ns) {
        return new AdcConfig(adcBits, architecture, range, comparatorNoiseLsb, rampStepSigmaLsb,
                unitCapacitorMismatch, columnsPerAdc, ns, waldenFomFjPerStep);
    }

    public AdcConfig withWaldenFomFjPerStep(double fom) {
        return new AdcConfig(adcBits, architecture, range, comparatorNoiseLsb, rampStepSigmaLsb,
                unitCapacitorMismatch, columnsPerAdc, conversionStepNs, fom);
    }

    /**
     * This configuration with its range fixed: a {@link AdcRange.Percentile} range is calibrated on
     * {@code data}; a fixed range is kept.
     */
    public AdcConfig calibrated(float[] data) {
        if (range instanceof AdcRange.Percentile p) {
            return withRange(p.calibrate(data));
        }
        return this;
    }

    /** Number of codes, 2^adcBits. */
    public int levels() {
        return 1 << adcBits;
    }

    /** Time of one conversion, ns. */
    public double conversionTimeNs() {
        long steps = architecture == AdcArchitecture.RAMP ? (1L << adcBits) : adcBits;
        return steps * conversionStepNs;
    }

    /** Effective number of bits with comparator noise (static errors not counted). */
    public double enob() {
        return adcBits - 0.5 * (Math.log1p(12 * comparatorNoiseLsb * comparatorNoiseLsb) / Math.log(2));
    }

    /** Energy of one conversion, pJ, from the Walden FoM and {@link #enob()}. */
    public double energyPerConversionPj() {
        return WaldenFom.energyPerConversionPj(waldenFomFjPerStep, enob());
    }

    /** ADCs needed for {@code columns} columns: ceil(columns / columnsPerAdc). */
    public int adcsFor(int columns) {
        if (columns < 1) {
            throw new BadInputException("a tile needs at least one column, got " + columns);
        }
        return (columns + columnsPerAdc - 1) / columnsPerAdc;
    }

    /** Time to convert every column of a tile once: columnsPerAdc conversions in sequence, ns. */
    public double tileReadTimeNs() {
        return columnsPerAdc * conversionTimeNs();
    }
}
