package org.bmsim.sim.machine;

import java.util.LinkedHashMap;
import java.util.Map;
import org.bmsim.noise.converter.AdcConfig;
import org.bmsim.sim.datapath.Datapath;
import org.bmsim.sim.datapath.DatapathConfig;

/**
 * Cycles and energy of one read of one tile (docs/machine.md, "Timing and energy"). With clock
 * frequency f (GHz), so that t ns last ceil(t f) cycles:
 *
 * <pre>
 * analog tile, rows x cols:
 *   dac        = ceil(settle_ns f)                                 (rows driven in parallel)
 *   integrate  = ceil(integration_ns f)
 *   adc        = min(columns_per_adc, cols) ceil(t_conv f)         t_conv = bits step (SAR, IDEAL), 2^bits step (RAMP); 0 for an ideal readout
 *   accumulate = ceil(cols / adds_per_cycle)                       digital partial-sum accumulation and rescale
 *   read       = dac + integrate + adc + accumulate
 *   E_dac   = rows e_dac,  E_array = V^2 t_int sum_ij (G+_ij + G-_ij) (inputs at full scale: an upper bound),
 *   E_adc   = cols FoM_W 2^ENOB,  E_acc = cols e_add
 * digital JQ tile on L lanes:
 *   beats      = rows ceil(cols / L)                               one beat per cycle (Datapath)
 *   sample     = beats + LATENCY_CYCLES                            pipeline fill, 3 cycles
 *   accumulate = ceil(cols / adds_per_cycle)
 *   read       = sample + accumulate
 *   E_sampler = rows cols e_beat,  E_weights = rows cols (muBits + sigmaBits) / 8 e_byte,  E_acc = cols e_add
 * </pre>
 */
public record TileReadCost(long dacCycles, long integrationCycles, long adcCycles, long samplerCycles,
        long accumulateCycles, double dacPj, double arrayPj, double adcPj, double samplerPj, double weightReadPj,
        double accumulatePj) {

    public long cycles() {
        return dacCycles + integrationCycles + adcCycles + samplerCycles + accumulateCycles;
    }

    public double energyPj() {
        return dacPj + arrayPj + adcPj + samplerPj + weightReadPj + accumulatePj;
    }

    static long ceilCycles(double ns, double ghz) {
        // a tolerance of 1e-9 keeps an exact product (1 ns at 1 GHz) from rounding up
        return (long) Math.ceil(ns * ghz - 1e-9);
    }

    /** One read of an analog tile with {@code conductanceSumUs} = sum of all its devices' conductances. */
    public static TileReadCost analog(MachineDescription m, int rows, int cols, double conductanceSumUs) {
        double f = m.digital().clockGhz();
        long dac = ceilCycles(m.dac().settleNs(), f);
        long integ = ceilCycles(m.array().integrationNs(), f);
        long adc = 0;
        double adcPj = 0;
        if (!m.adc().idealReadout()) {
            AdcConfig a = m.adc().config();
            adc = Math.min(a.columnsPerAdc(), cols) * ceilCycles(a.conversionTimeNs(), f);
            adcPj = cols * a.energyPerConversionPj();
        }
        long acc = (cols + m.digital().addsPerCycle() - 1) / m.digital().addsPerCycle();
        double v = m.array().readVoltageV();
        // uS x V^2 x ns = 1e-15 J = 1e-3 pJ
        double arrayPj = v * v * m.array().integrationNs() * conductanceSumUs * 1e-3;
        double dacPj = m.dac().bits() == 0 ? 0 : rows * m.dac().energyPjPerConversion();
        return new TileReadCost(dac, integ, adc, 0, acc, dacPj, arrayPj, adcPj, 0, 0, cols * m.digital().addEnergyPj());
    }

    /** One read of a digital JQ tile. */
    public static TileReadCost digital(MachineDescription m, int rows, int cols) {
        DatapathConfig d = m.digital().datapath();
        long beats = (long) rows * ((cols + d.lanes() - 1) / d.lanes());
        long sample = beats + Datapath.LATENCY_CYCLES;
        long acc = (cols + m.digital().addsPerCycle() - 1) / m.digital().addsPerCycle();
        double cells = (double) rows * cols;
        // a multiplier scale costs one multiply per column and read (pipelined with the accumulation)
        double rescale = m.digital().pow2Scales() ? 0 : cols * m.digital().multiplyEnergyPj();
        return new TileReadCost(0, 0, 0, sample, acc, 0, 0, 0, cells * m.digital().jqBeatEnergyPj(),
                cells * (d.muBits() + d.sigmaBits()) / 8.0 * m.digital().weightReadEnergyPjPerByte(),
                cols * m.digital().addEnergyPj() + rescale);
    }

    /** Energy by component, pJ. */
    public Map<String, Double> energyBreakdown() {
        Map<String, Double> e = new LinkedHashMap<>();
        e.put("dac", dacPj);
        e.put("array", arrayPj);
        e.put("adc", adcPj);
        e.put("sampler", samplerPj);
        e.put("weight_read", weightReadPj);
        e.put("accumulate", accumulatePj);
        return e;
    }

    /** Cycles by component. */
    public Map<String, Long> cycleBreakdown() {
        Map<String, Long> c = new LinkedHashMap<>();
        c.put("dac", dacCycles);
        c.put("integrate", integrationCycles);
        c.put("adc", adcCycles);
        c.put("sampler", samplerCycles);
        c.put("accumulate", accumulateCycles);
        return c;
    }
}
