package org.bmsim.noise.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bmsim.common.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConductanceTableTest {
    private static final String GOOD = """
            # measured at 300 K
            g_us, sigma_us, reads
            5, 0.8, 1000

            10, 1.1, 1000
            20, 1.6, 1000
            """;

    private static void fails(String text, String fragment) {
        BadInputException e = assertThrows(BadInputException.class,
                () -> ConductanceTable.parse(text, "dev.csv", ConductanceTable.SIGMA_COLUMN));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    @Test
    void interpolatesLinearlyBetweenRows() {
        ConductanceTable t = ConductanceTable.parse(GOOD, "dev.csv", ConductanceTable.SIGMA_COLUMN);
        assertEquals(3, t.rows());
        assertEquals(0.8, t.at(5), 0.0);
        assertEquals(1.6, t.at(20), 0.0);
        assertEquals(0.95, t.at(7.5), 1e-15); // halfway between 0.8 and 1.1
        assertEquals(1.35, t.at(15), 1e-15); // halfway between 1.1 and 1.6
        assertEquals(5.0, t.range().gMinMicroSiemens(), 0.0);
        assertEquals(20.0, t.range().gMaxMicroSiemens(), 0.0);
    }

    @Test
    void refusesQueriesOutsideTheTable() {
        ConductanceTable t = ConductanceTable.parse(GOOD, "dev.csv", ConductanceTable.SIGMA_COLUMN);
        BadInputException e = assertThrows(BadInputException.class, () -> t.at(4.9));
        assertTrue(e.getMessage().contains("table dev.csv"), e.getMessage());
        assertThrows(BadInputException.class, () -> t.at(20.1));
    }

    @Test
    void clearOneLineErrors() {
        fails("g_us,sig\n1,2\n3,4\n", "missing 'sigma_us'");
        fails("conductance,sigma_us\n1,2\n3,4\n", "missing 'g_us'");
        fails("g_us,sigma_us\n1,0.1\n3,0.2\n2,0.3\n", "line 4: conductances must increase strictly");
        fails("g_us,sigma_us\n1,0.1\n1,0.2\n", "must increase strictly");
        fails("g_us,sigma_us\n1,NaN\n3,0.2\n", "line 2: column 'sigma_us' must be a finite number");
        fails("g_us,sigma_us\n1,0.1\nInfinity,0.2\n", "column 'g_us' must be a finite number");
        fails("g_us,sigma_us\n1,-0.1\n3,0.2\n", "value (sigma) must be >= 0");
        fails("g_us,sigma_us\n-1,0.1\n3,0.2\n", "conductance must be >= 0");
        fails("g_us,sigma_us\n1,abc\n3,0.2\n", "not a number: 'abc'");
        fails("g_us,sigma_us\n1,0.1,7\n3,0.2\n", "expected 2 comma-separated fields, got 3");
        fails("g_us,sigma_us\n1,0.1\n", "at least 2 rows, got 1");
        fails("# nothing\n\n", "empty noise table");
    }

    @Test
    void readsAFileAndDrivesANoiseModel(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("my-device.csv");
        Files.writeString(f, GOOD);
        ConductanceTable t = ConductanceTable.read(f, ConductanceTable.SIGMA_COLUMN);
        ProgrammingNoise noise = ProgrammingNoise.of(t);
        assertEquals(1.1, noise.stdDevMicroSiemens(10), 0.0);
        NoiseRandom rng = NoiseRandom.of(4);
        int n = 50_000;
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = noise.sample(12.5, rng); // sigma = 1.1 + 0.25 * 0.5 = 1.225, 6 sigma inside [5, 20]
        }
        assertEquals(1.225 * 1.225, Moments.variance(d), Moments.varianceBound(1.225 * 1.225, 3, n));
        BadInputException e = assertThrows(BadInputException.class,
                () -> ConductanceTable.read(dir.resolve("missing.csv"), ConductanceTable.SIGMA_COLUMN));
        assertTrue(e.getMessage().startsWith("cannot read noise table"), e.getMessage());
    }

    @Test
    void arrayFormChecksTheSameRules() {
        assertThrows(BadInputException.class, () -> ConductanceTable.of(new double[] {1, 2}, new double[] {0.1}, "t"));
        assertThrows(BadInputException.class, () -> ConductanceTable.of(new double[] {2, 1}, new double[] {0, 0}, "t"));
        assertEquals(0.15, ConductanceTable.of(new double[] {1, 2}, new double[] {0.1, 0.2}, "t").at(1.5), 1e-15);
    }
}
