package org.bmsim.hdl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bmsim.sim.datapath.DatapathConfig;
import org.bmsim.sim.datapath.GoldenDatapath;
import org.bmsim.sim.datapath.SigmaStep;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lockstep co-verification of RTL and golden model: the whole grid, 1e6 cycles per configuration. */
class CosimTest {
    @TempDir
    Path dir;

    @BeforeEach
    void rtl() {
        RtlRequired.assume();
    }

    @Test
    void gridAgreesForAMillionCyclesPerConfiguration() {
        List<DatapathConfig> grid = DatapathConfig.grid();
        Cosim.Report r = Cosim.run(new Cosim.Options(grid, 1_000_000, 7, null, 2), line -> { });
        assertNull(r.firstMismatch(), () -> String.valueOf(r.firstMismatch()));
        assertEquals(0, r.mismatches());
        assertEquals(40, r.configs().size());
        assertEquals(40_000_000L, r.cycles());
        for (Cosim.ConfigResult c : r.configs()) {
            // stalls on both sides, and most beats went through
            assertTrue(c.beatsIn() > 300_000 && c.beatsIn() < 990_000, c.toString());
            assertTrue(c.beatsIn() - c.beatsOut() <= 3, c.toString());
        }
    }

    /** A model with one wrong constant (the sigma step) is caught within a few cycles. */
    @Test
    void aWrongModelIsCaughtWithinAFewCycles() throws Exception {
        DatapathConfig cfg = DatapathConfig.defaults();
        Cosim.Report r = Cosim.run(new Cosim.Options(List.of(cfg), 100_000, 1, dir.resolve("bad.vcd"), 1),
                line -> { }, c -> new GoldenDatapath(DatapathConfig.of(c.lanes(), c.muBits(), c.sigmaBits(), c.xBits(),
                        c.wBits(), c.accBits(), c.sampler(), SigmaStep.OCTAVE)));
        Cosim.Mismatch m = r.firstMismatch();
        assertNotNull(m);
        assertTrue(m.cycle() < 100, "caught at cycle " + m.cycle());
        assertTrue(m.port().equals("w") || m.port().equals("acc"), m.port());
        assertNotNull(m.sourceBeat());
        assertTrue(r.mismatches() > 0);
        assertTrue(Files.readString(dir.resolve("bad.vcd").toAbsolutePath()).contains("$enddefinitions"));
    }

    @Test
    void waveformOnRequestWithoutMismatch() throws Exception {
        Path vcd = dir.resolve("ok.vcd");
        Cosim.Report r = Cosim.run(new Cosim.Options(List.of(DatapathConfig.defaults()), 3000, 3, vcd, 1),
                line -> { });
        assertEquals(0, r.mismatches());
        String text = Files.readString(vcd);
        assertTrue(text.contains("$enddefinitions") && text.contains("out_valid"), "VCD header");
        assertTrue(text.contains("#29995") || text.contains("#29990"), "3000 cycles traced");
    }
}
