package org.bmsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class MachineBenchCommandTest {
    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    @Test
    void machineListAndShow() {
        String[] r = run("machine", "list");
        assertEquals("0", r[0]);
        assertTrue(r[1].contains("pcm-joshi2020") && r[1].contains("digital-jq4"), r[1]);
        String[] s = run("machine", "show", "rram-wan2022");
        assertEquals("0", s[0]);
        assertTrue(s[1].contains("version: 1") && s[1].contains("preset: rram-wan2022"));
        String[] bad = run("machine", "show", "nope");
        assertEquals("2", bad[0]);
        assertEquals(1, bad[2].strip().split("\n").length, bad[2]);
    }

    @Test
    void benchMvmWritesMacsPerSecond(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("mvm.json");
        String[] r = run("bench", "mvm", "--rows", "64", "--cols", "64", "--batch", "4", "--mode", "fast", "--seconds",
                "0.2", "--threads", "1", "--json", json.toString());
        assertEquals("0", r[0], r[2]);
        JsonNode j = JsonMapper.builder().build().readTree(Files.readString(json));
        assertTrue(j.get("macs_per_second").asDouble() > 0);
        assertEquals(1, j.get("threads").asInt());
        assertEquals("2", run("bench", "mvm", "--mode", "slow", "--seconds", "0.1")[0]);
    }
}
