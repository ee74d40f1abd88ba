package org.bmsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bmsim train} and {@code bmsim eval}: bad options and bad model files are one-line errors, exit 2. */
class TrainEvalCommandTest {
    @TempDir
    Path dir;

    private static void badInput(String fragment, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(2, code, err.toString());
        assertTrue(err.toString().startsWith("bmsim: error: "), err.toString());
        assertTrue(err.toString().contains(fragment), err.toString());
        assertEquals(1, err.toString().strip().lines().count(), err.toString());
    }

    @Test
    void trainRefusesBadOptionsBeforeTouchingData() {
        String out = dir.resolve("m.safetensors").toString();
        badInput("unknown architecture 'vgg'", "train", "--arch", "vgg", "--out", out);
        badInput("epochs must be 1..100000, got 0", "train", "--epochs", "0", "--out", out);
        badInput("unknown activation 'gelu'", "train", "--activation", "gelu", "--out", out);
        badInput("threads must be 1..1024, got 0", "train", "--threads", "0", "--out", out);
        badInput("Missing required option: '--out=FILE'", "train");
    }

    @Test
    void evalRefusesMissingAndBadModelFiles() throws Exception {
        String json = dir.resolve("m.json").toString();
        badInput("file not found", "eval", "--model", dir.resolve("none.safetensors").toString(), "--json", json);
        Path bad = dir.resolve("bad.safetensors");
        Files.write(bad, new byte[] {1, 2, 3});
        badInput("truncated", "eval", "--model", bad.toString(), "--json", json);
        badInput("samples must be at least 1", "eval", "--model", bad.toString(), "--json", json, "--samples", "0");
    }
}
