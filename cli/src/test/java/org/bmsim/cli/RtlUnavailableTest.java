package org.bmsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Without the RTL library (what a build on a machine without Verilator produces) {@code bmsim cosim}
 * is a one-line bad-input error that names {@code bin/setup-tools}, exit code 2. Run in a child JVM,
 * because the library is loaded once per JVM; the child points {@code bmsim.rtl.lib} at a missing file.
 */
class RtlUnavailableTest {
    @TempDir
    Path dir;

    @Test
    void missingLibraryNamesSetupTools() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of(java, "-cp", System.getProperty("java.class.path"),
                "-Dbmsim.rtl.lib=" + dir.resolve("no-such-dir/libbmsim_rtl.so"), Main.class.getName(), "cosim",
                "--configs", "default", "--cycles", "10", "--json", dir.resolve("c.json").toString());
        Process p = new ProcessBuilder(cmd).redirectOutput(new File("/dev/null")).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue(), err);
        assertEquals(1, err.strip().lines().count(), err);
        assertTrue(err.startsWith("bmsim: error: RTL co-simulation unavailable: the RTL library "), err);
        assertTrue(err.contains("run bin/setup-tools to install Verilator"), err);
    }
}
