package org.bmsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.bmsim.hdl.RtlLibrary;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code bmsim cosim} end to end through the packaged library, and its input errors. */
class CosimCommandTest {
    @TempDir
    Path dir;

    private static MainTest.Run run(String... args) {
        return MainTest.run(args);
    }

    @BeforeEach
    void rtl() {
        RtlLibrary.load().ifPresent(reason -> {
            if (Boolean.getBoolean("bmsim.rtl.required")) {
                fail("RTL required but unavailable: " + reason);
            }
            Assumptions.abort("RTL unavailable, skipped: " + reason);
        });
    }

    @Test
    void defaultConfigurationWritesJson() throws Exception {
        Path json = dir.resolve("c.json");
        MainTest.Run r = run("cosim", "--configs", "default", "--cycles", "50000", "--seed", "5", "--json", json.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("mismatches 0"), r.out());
        JsonNode j = JsonMapper.builder().build().readTree(Files.readString(json));
        assertEquals(0, j.get("mismatches").asLong());
        assertEquals(50000, j.get("cycles").asLong());
        assertEquals(1, j.get("configs").asInt());
        assertTrue(j.get("cycles_per_second").asLong() > 0);
        assertTrue(j.get("first_mismatch").isNull());
    }

    @Test
    void badInputIsOneLineExitTwo() {
        for (String[] args : new String[][] {{"cosim", "--cycles", "0"}, {"cosim", "--configs", "nonsense"},
            {"cosim", "--configs", "l3_mu5_s3_x6_w5_a24_icdf_octave", "--cycles", "10"},
            {"cosim", "--threads", "0", "--cycles", "10"}}) {
            MainTest.Run r = run(args);
            assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
            assertTrue(r.err().startsWith("bmsim: error: "), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
        }
    }
}
