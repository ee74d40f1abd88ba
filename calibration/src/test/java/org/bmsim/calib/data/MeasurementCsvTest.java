package org.bmsim.calib.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.bmsim.common.BadInputException;
import org.bmsim.common.Sha256;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MeasurementCsvTest {
    private static final String OK = "# comment\ndevice,target_us,read_index,time_s,g_us\n"
            + "a,5,1,21,5.2\na,5,0,20,5.1\nb,10,0,20,9.9\nb,10,1,21,10.1\n";

    @Test
    void readsGroupsAndOrders() {
        Measurements m = MeasurementCsv.parse(OK, "t.csv");
        assertEquals(2, m.devices());
        assertEquals(2, m.levels());
        assertEquals(4, m.rows());
        assertArrayEquals(new double[] {5, 10}, m.levelTargets());
        // device a's rows sorted by read index
        assertArrayEquals(new double[] {5.1, 5.2, 9.9, 10.1}, m.gUs());
        assertArrayEquals(new double[] {20, 21}, m.timeSpanS());
        assertArrayEquals(new long[] {2, 2}, m.readsPerLevel());
        assertTrue(m.summary().contains("2 devices at 2 levels"));
    }

    @Test
    void fileChecksumAndMilliseconds(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("m.csv");
        Files.writeString(f, "device,target_level,read_index,time_ms,g_us,temperature_c\na,0,0,1000,1,25\nb,1,0,1000,2,26\n");
        Measurements m = MeasurementCsv.read(f);
        assertEquals(Sha256.of(f), m.sha256());
        assertEquals(1.0, m.timeS()[0]);
        assertFalse(m.targetIsConductance());
        assertArrayEquals(new double[] {25, 26}, m.temperatureRangeC());
    }

    private static String error(String text) {
        return assertThrows(BadInputException.class, () -> MeasurementCsv.parse(text, "x.csv")).getMessage();
    }

    @Test
    void badFilesAreOneLineErrors(@TempDir Path dir) throws Exception {
        assertTrue(error("").contains("empty file"), error(""));
        assertTrue(error("device,target_us,read_index,time_s\na,1,0,1\n").contains("missing column 'g_us'"));
        String unit = error("device,target_us,read_index,time_s,g_ms\n");
        assertTrue(unit.contains("line 1, column 5 'g_ms': unknown unit 'ms'"), unit);
        String nan = error("device,target_us,read_index,time_s,g_us\na,1,0,1,NaN\n");
        assertTrue(nan.contains("line 2, column 5 'g_us': conductance must be finite and >= 0"), nan);
        String neg = error("device,target_us,read_index,time_s,g_us\na,1,0,1,-0.5\n");
        assertTrue(neg.contains("got -0.5"), neg);
        String word = error("device,target_us,read_index,time_s,g_us\na,1,0,abc,1\n");
        assertTrue(word.contains("line 2, column 4 'time_s': not a number: 'abc'"), word);
        String one = error("device,target_us,read_index,time_s,g_us\na,1,0,1,1\nb,1,0,1,1\n");
        assertTrue(one.contains("only one level"), one);
        assertTrue(error("device,target_us,read_index,time_s,g_us\na,1,0,1,1\na,1,0,2,1\nb,2,0,1,1\n").contains("twice"));
        assertTrue(error("device,target_us,read_index,time_s,g_us\na,1,0,1,1\na,2,1,2,1\n").contains("one programming"));
        assertTrue(error("device,target_us,read_index,time_s,g_us\na,1,0\n").contains("3 fields, the header has 5"));
        Path empty = dir.resolve("empty.csv");
        Files.write(empty, new byte[0]);
        String e = assertThrows(BadInputException.class, () -> MeasurementCsv.read(empty)).getMessage();
        assertTrue(e.startsWith(empty + ": empty file"), e);
        for (String msg : new String[] {unit, nan, neg, word, one, e}) {
            assertEquals(1, msg.lines().count());
        }
    }
}
