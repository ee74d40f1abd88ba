package org.bmsim.sim.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.bmsim.sim.datapath.DatapathConfig;
import org.bmsim.sim.datapath.GoldenDatapath;
import org.bmsim.sim.datapath.Stimulus;
import org.bmsim.sim.datapath.Trace;
import org.junit.jupiter.api.Test;

class TileReadCostTest {
    @Test
    void analogTileReadEqualsTheDocumentedFormula() {
        MachineDescription m = Machines.preset("rram-wan2022");
        // 1 GHz; DAC settle 1 ns -> 1; integration 10 ns -> 10; SAR 8 bits x 1 ns, 8 columns per ADC -> 64;
        // 256 columns / 64 adds per cycle -> 4
        TileReadCost c = TileReadCost.analog(m, 256, 256, 1000.0);
        assertEquals(1 + 10 + 8 * 8 + 4, c.cycles());
        assertEquals(64, c.adcCycles());
        // array: 0.2^2 V^2 x 10 ns x 1000 uS = 400 fJ = 0.4 pJ; ADC: 256 x 10 fJ x 2^8 = 655.36 pJ
        assertEquals(0.4, c.arrayPj(), 1e-12);
        assertEquals(256 * 2.56, c.adcPj(), 1e-9);
        assertEquals(256 * 0.05, c.dacPj(), 1e-12);
        assertEquals(256 * 0.1, c.accumulatePj(), 1e-12);
        // a narrow tile converts only its own columns: 3 columns on ADCs of 8
        assertEquals(1 + 10 + 3 * 8 + 1, TileReadCost.analog(m, 10, 3, 0).cycles());
    }

    @Test
    void digitalSamplerCyclesEqualTheDatapathLatencyAndThroughput() {
        MachineDescription m = Machines.preset("digital-jq4");
        DatapathConfig d = m.digital().datapath();
        int rows = 25;
        int cols = 20; // 3 beats per row on 8 lanes
        TileReadCost c = TileReadCost.digital(m, rows, cols);
        int beats = rows * 3;
        // drive the golden model: every beat valid, output always ready; find the cycle of the last output
        int n = beats + 10;
        Stimulus s = Stimulus.allocate(n, d.lanes());
        for (int cyc = 0; cyc < n; cyc++) {
            s.control(cyc, cyc < beats, cyc % 3 == 0, true);
            for (int l = 0; l < d.lanes(); l++) {
                s.codes(cyc, l, 1, 2, 3);
            }
        }
        Trace t = Trace.allocate(n, d.lanes());
        int outputs = 0;
        int last = -1;
        try (GoldenDatapath g = new GoldenDatapath(d)) {
            g.run(s, t);
        }
        for (int cyc = 0; cyc < n; cyc++) {
            if (t.outValid(cyc)) {
                outputs++;
                last = cyc;
            }
        }
        assertEquals(beats, outputs);
        // the last beat is presented in cycle beats - 1 + LATENCY: the read takes beats + LATENCY cycles
        assertEquals(c.samplerCycles(), last + 1);
        assertEquals(c.cycles(), last + 1 + (cols + 63) / 64);
    }
}
