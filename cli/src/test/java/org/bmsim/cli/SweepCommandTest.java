package org.bmsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.bmsim.sim.io.ModelFile;
import org.bmsim.sim.nn.Activation;
import org.bmsim.sim.nn.Architecture;
import org.bmsim.sim.nn.Network;
import org.bmsim.sim.nn.SigmaTransform;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bmsim sweep}: bad sweep files are one-line errors with exit 2 and nothing written; a real
 * child process killed at a random moment and started again ends with exactly the CSV of an
 * uninterrupted run, no point twice.
 */
class SweepCommandTest {
    @TempDir
    Path dir;

    static final String HEAD = "version: 1\nname: kill\nmodel: m.safetensors\nmachine: pcm-joshi2020\ndata: random-images\n"
            + "subsample: 20\nsamples: 2\n";

    @BeforeEach
    void model() {
        Network n = Network.initialised(Architecture.of("mlp:784-12-10", Activation.RELU), true, SigmaTransform.SOFTPLUS,
                -3f, 9);
        ModelFile.write(dir.resolve("m.safetensors"), n, Map.of());
    }

    private void badFile(String fragment, String axes, String... extra) throws Exception {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, HEAD + axes);
        Path out = dir.resolve("out-bad");
        List<String> args = new ArrayList<>(List.of("sweep", f.toString(), "--out", out.toString()));
        args.addAll(List.of(extra));
        MainTest.Run r = MainTest.run(args.toArray(String[]::new));
        MainTest.assertExitTwoOneLine(r, fragment);
        assertTrue(Files.notExists(out), "nothing written");
    }

    @Test
    void badSweepFilesAreOneLineErrors() throws Exception {
        badFile("axis 'adc.bits' is empty", "axes:\n  - adc.bits: []\n");
        badFile("unknown parameter 'adc.bitz'", "axes:\n  - adc.bitz: [4]\n");
        badFile("adc.bits: must be in [0, 16], got 40", "axes:\n  - adc.bits: [4, 40]\n");
        badFile("duplicate axis 'tile.rows'", "axes:\n  - tile.rows: [64]\n  - zip: {tile.rows: [32], tile.cols: [32]}\n");
        badFile("wrong unit 'us'", "axes:\n  - array.integration_us: [10]\n");
        StringBuilder v = new StringBuilder("[1");
        for (int i = 2; i <= 100; i++) {
            v.append(", ").append(i);
        }
        v.append(']');
        // 100^3 x 10 seeds = 1e7 points
        badFile("rerun with --yes", "seeds: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\naxes:\n  - tile.rows: " + v
                + "\n  - tile.cols: " + v + "\n  - adc.columns_per_adc: " + v + "\n");
        badFile("--shard must be k/N", "axes:\n  - adc.bits: [4]\n", "--shard", "3/2");
        MainTest.Run r = MainTest.run("sweep", dir.resolve("none.yaml").toString(), "--out", dir.resolve("o").toString());
        assertEquals(2, r.code());
        assertTrue(Files.notExists(dir.resolve("o")));
    }

    @Test
    void helpRendersCleanly() {
        java.io.PrintStream saved = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true));
        try {
            for (String[] c : new String[][] {{"sweep"}, {"sweep", "merge"}, {"sweep", "report"}, {"explore"}}) {
                List<String> a = new ArrayList<>(List.of(c));
                a.add("--help");
                MainTest.Run h = MainTest.run(a.toArray(String[]::new));
                assertEquals(0, h.code(), String.join(" ", c));
                assertTrue(!h.out().contains("%n") && h.out().contains("Usage:"), h.out());
            }
        } finally {
            System.setErr(saved);
        }
        assertTrue(!captured.toString().contains("picocli WARN"), captured.toString());
    }

    @Test
    void exploreFindsTheParetoFront() throws Exception {
        Path out = dir.resolve("explore");
        MainTest.Run r = MainTest.run("explore", "--model", dir.resolve("m.safetensors").toString(), "--data",
                "random-images", "--tile-sizes", "64,256", "--adc-bits", "4", "--columns-per-adc", "8", "--samples", "2",
                "--subsample", "20", "--threads", "2", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("explore: 2 points"), r.out());
        assertTrue(Files.readString(out.resolve("sweep.yaml")).contains("tile.rows: [64, 256], tile.cols: [64, 256]"));
        assertTrue(Files.exists(out.resolve("report/pareto-energy-uncertainty.png")));
        // every front point printed is a row of pareto.csv
        List<String> front = Files.readAllLines(out.resolve("report/pareto.csv")).stream()
                .filter(l -> l.startsWith("energy_uncertainty,")).toList();
        assertTrue(!front.isEmpty() && front.size() <= 2, front.toString());
        assertTrue(r.out().contains("front of energy per inference vs uncertainty error: " + front.size() + " points"), r.out());
        // the same command again runs nothing
        MainTest.Run again = MainTest.run("explore", "--model", dir.resolve("m.safetensors").toString(), "--data",
                "random-images", "--tile-sizes", "64,256", "--adc-bits", "4", "--columns-per-adc", "8", "--samples", "2",
                "--subsample", "20", "--threads", "2", "--out", out.toString());
        assertEquals(0, again.code(), again.err());
        assertTrue(again.err().contains("2 already done, 0 to run"), again.err());
    }

    private Process child(Path spec, Path out) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of(java, "--add-modules", "jdk.incubator.vector", "-Xmx1g", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "sweep", spec.toString(), "--out",
                out.toString(), "--threads", "2", "--no-report");
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
    }

    @Test
    void killedChildResumesWithoutLosingOrRepeatingAPoint() throws Exception {
        Path spec = dir.resolve("kill.yaml");
        Files.writeString(spec, HEAD + "axes:\n  - bits: [3, 4]\n  - adc.bits: [4, 8]\n");
        // The uninterrupted run, in process.
        Path whole = dir.resolve("whole");
        MainTest.Run r = MainTest.run("sweep", spec.toString(), "--out", whole.toString(), "--threads", "2", "--no-report");
        assertEquals(0, r.code(), r.err());
        String expected = Files.readString(whole.resolve("results.csv"));

        // The child, killed (SIGKILL) once a random number of points in [1, 2] of 4 are in the journal.
        Path out = dir.resolve("killed");
        Path journal = out.resolve("results.jsonl");
        int killAt = 1 + new Random(System.nanoTime()).nextInt(2);
        Process p = child(spec, out);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (p.isAlive() && lines(journal) < killAt && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);

        Process again = child(spec, out);
        assertTrue(again.waitFor(180, TimeUnit.SECONDS), "resumed run finished");
        assertEquals(0, again.exitValue(), Files.readString(dir.resolve("child.log")));
        String log = Files.readString(dir.resolve("child.log"));
        assertTrue(log.contains("already done"), log);
        assertEquals(expected, Files.readString(out.resolve("results.csv")));
        List<String> lines = Files.readAllLines(journal);
        Set<String> keys = new HashSet<>();
        for (String l : lines) {
            String key = l.replaceAll(".*\"key\":\"([^\"]*)\".*", "$1");
            assertTrue(keys.add(key), "point twice: " + key);
        }
        assertEquals(4, keys.size());
    }

    private static int lines(Path f) throws Exception {
        if (!Files.exists(f)) {
            return 0;
        }
        byte[] b = Files.readAllBytes(f);
        int n = 0;
        for (byte x : b) {
            n += x == '\n' ? 1 : 0;
        }
        return n;
    }
}
