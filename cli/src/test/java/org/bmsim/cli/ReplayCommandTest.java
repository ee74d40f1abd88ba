package org.bmsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bmsim replay}: strategies a machine cannot run, bad files and values are one-line errors, exit 2. */
class ReplayCommandTest {
    @TempDir
    Path dir;

    private void badInput(String fragment, String... args) {
        MainTest.Run r = MainTest.run(args);
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith("bmsim: error: "), r.err());
        assertTrue(r.err().contains(fragment), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    @Test
    void refusesWhatTheMachineCannotRunBeforeLoadingData() {
        String model = dir.resolve("none.safetensors").toString();
        String json = dir.resolve("r.json").toString();
        badInput("digital-jq cells, which hold JQ codes: use --strategy jq --bits 4", "replay", "--model", model,
                "--machine", "digital-jq4", "--strategy", "fp", "--json", json);
        badInput("needs all three at 3", "replay", "--model", model, "--machine", "ideal", "--bits", "3", "--json", json);
        badInput("replay supports --strategy fp, vpq or jq, not 'share'", "replay", "--model", model, "--strategy",
                "share", "--json", json);
        badInput("--bits applies to a quantization strategy", "replay", "--model", model, "--machine", "rram-wan2022",
                "--strategy", "fp", "--bits", "4", "--json", json);
        badInput("neither a preset", "replay", "--model", model, "--machine", "no-such-machine", "--json", json);
        badInput("file not found", "replay", "--model", model, "--machine", "rram-wan2022", "--json", json);
        badInput("samples must be at least 1", "replay", "--model", model, "--samples", "0", "--json", json);
    }
}
