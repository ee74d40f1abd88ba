package org.bmsim.noise.converter;

import org.bmsim.common.BadInputException;
import org.bmsim.noise.device.NoiseRandom;

/**
 * The ADCs of one tile when several columns share an ADC through a multiplexer: columns
 * {@code [a k, (a+1) k)} go to ADC {@code a}, with k = {@code columnsPerAdc}. Columns that share an
 * ADC share its static transfer errors; each ADC's errors come from {@code staticErrors.split(a)}.
 *
 * <pre>
 *   ADCs per tile  = ceil(columns / columnsPerAdc)
 *   read time      = columnsPerAdc x conversion time      (ADCs in parallel, their columns in turn)
 *   energy / read  = columns x energy per conversion
 * </pre>
 */
public final class SharedAdcs {
    private final AdcConfig config;
    private final int columns;
    private final Adc[] adcs;

    private SharedAdcs(AdcConfig config, int columns, Adc[] adcs) {
        this.config = config;
        this.columns = columns;
        this.adcs = adcs;
    }

    public static SharedAdcs of(AdcConfig config, int columns, NoiseRandom staticErrors) {
        if (columns < 1) {
            throw new BadInputException("a tile needs at least one column, got " + columns);
        }
        Adc[] adcs = new Adc[config.adcsFor(columns)];
        for (int a = 0; a < adcs.length; a++) {
            adcs[a] = Adc.of(config, staticErrors.split(a));
        }
        return new SharedAdcs(config, columns, adcs);
    }

    public AdcConfig config() {
        return config;
    }

    public int columns() {
        return columns;
    }

    public int adcCount() {
        return adcs.length;
    }

    /** The ADC that converts column {@code column}. */
    public Adc adcForColumn(int column) {
        if (column < 0 || column >= columns) {
            throw new IndexOutOfBoundsException("column " + column + " of " + columns);
        }
        return adcs[column / config.columnsPerAdc()];
    }

    /** Converts one read of every column: {@code out[j]} is column j's reconstructed value. */
    public void convert(float[] columnInputs, float[] out, NoiseRandom rng) {
        if (columnInputs.length != columns || out.length != columns) {
            throw new IllegalArgumentException("expected " + columns + " columns, got " + columnInputs.length
                    + " inputs and " + out.length + " outputs");
        }
        int k = config.columnsPerAdc();
        for (int j = 0; j < columns; j++) {
            Adc adc = adcs[j / k];
            out[j] = (float) adc.value(adc.convert(columnInputs[j], rng));
        }
    }

    /** Time to convert all columns once, ns. */
    public double readTimeNs() {
        return config.tileReadTimeNs();
    }

    /** Energy to convert all columns once, pJ. */
    public double energyPerReadPj() {
        return columns * config.energyPerConversionPj();
    }
}
