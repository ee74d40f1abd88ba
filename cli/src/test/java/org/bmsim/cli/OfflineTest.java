package org.bmsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bmsim.examples.data.DataCache;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No network at run time once the data is fetched (docs/reliability.md): the steps of the demo on
 * the cached data, each a real {@code bmsim} process in a network namespace of its own
 * ({@code unshare -n}: only a loopback interface, which is down), must succeed: data fetch (which
 * then only checks the cache), train, eval and replay. Skipped with the reason where
 * {@code unshare -n} is not permitted (it needs root or user namespaces); without the fetched data
 * it is skipped, or fails under {@code -Dbmsim.data.required=true}.
 */
class OfflineTest {
    @TempDir
    Path dir;

    private static String unshareProblem() {
        try {
            Process p = new ProcessBuilder("unshare", "-n", "true").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "unshare -n did not return";
            }
            return p.exitValue() == 0 ? null : "unshare -n is not permitted here: " + out;
        } catch (Exception e) {
            return "unshare is not available: " + e.getMessage();
        }
    }

    private String offline(String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of("unshare", "-n", java, "-XX:+UseParallelGC", "-Djava.awt.headless=true",
                "--add-modules", "jdk.incubator.vector", "-D" + DataCache.PROPERTY + "=" + DataCache.fromEnvironment().root(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        Path log = dir.resolve("log.txt");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(600, TimeUnit.SECONDS), String.join(" ", args) + " finished");
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), String.join(" ", args) + " offline: " + out);
        return out;
    }

    @Test
    void cachedDataDemoStepsRunWithoutANetwork() throws Exception {
        String problem = unshareProblem();
        Assumptions.assumeTrue(problem == null, problem);
        DataCache cache = DataCache.fromEnvironment();
        for (String set : new String[] {"mnist", "fashion-mnist"}) {
            if (cache.entry(set).isEmpty()) {
                String msg = "data set '" + set + "' is not in " + cache.root() + " (run bin/bmsim data fetch)";
                if (Boolean.getBoolean("bmsim.data.required")) {
                    fail(msg);
                }
                Assumptions.abort(msg);
            }
        }
        // the namespace really has no network: nothing but a loopback device that is down
        Process ip = new ProcessBuilder("unshare", "-n", "cat", "/proc/net/dev").redirectErrorStream(true).start();
        String dev = new String(ip.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(ip.waitFor(30, TimeUnit.SECONDS));
        assertEquals(3, dev.strip().lines().count(), "two header lines and lo only: " + dev);
        offline("data", "fetch");
        String model = dir.resolve("mlp.safetensors").toString();
        offline("train", "--arch", "mlp", "--epochs", "1", "--threads", "2", "--out", model);
        offline("eval", "--model", model, "--samples", "2", "--threads", "2", "--json", dir.resolve("eval.json").toString());
        String replay = offline("replay", "--model", model, "--samples", "2", "--threads", "2", "--json",
                dir.resolve("replay.json").toString());
        assertTrue(replay.contains("cycles"), replay);
        assertTrue(Files.size(dir.resolve("eval.json")) > 0 && Files.size(dir.resolve("replay.json")) > 0);
    }
}
