package org.bmsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bmsim.sim.io.ModelFile;
import org.bmsim.sim.nn.Activation;
import org.bmsim.sim.nn.Architecture;
import org.bmsim.sim.nn.Network;
import org.bmsim.sim.nn.SigmaTransform;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code bmsim machines-table}: on a tiny network and random images, the table has every row and
 * column, the trained parent's float metrics against the original, and a rerun computes only what is
 * missing; bad input is a one-line error, exit 2, nothing written.
 */
class MachinesTableCommandTest {
    @TempDir
    Path dir;

    @BeforeEach
    void model() {
        Network n = Network.initialised(Architecture.of("mlp:784-12-10", Activation.RELU), true, SigmaTransform.SOFTPLUS,
                -3f, 9);
        ModelFile.write(dir.resolve("m.safetensors"), n, Map.of());
    }

    private String[] args(Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("machines-table", "--model", dir.resolve("m.safetensors").toString(),
                "--machines", "pcm-joshi2020,digital-jq4", "--data", "random-images", "--samples", "2", "--subsample", "10",
                "--train-epochs", "1", "--threads", "2", "--out", out.toString()));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    @Test
    void oneCommandGivesTheWholeTableAndARerunContinues() throws Exception {
        Path out = dir.resolve("table");
        MainTest.Run r = MainTest.run(args(out));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("6 rows computed, 0 already done"), r.out());
        // parent|original, pcm plain, search, trained, parent|trained-pcm, digital reference
        List<String> journal = Files.readAllLines(out.resolve("rows.jsonl"));
        assertEquals(6, journal.size());
        assertTrue(Files.exists(out.resolve("trained-pcm-joshi2020.safetensors")));
        String md = Files.readString(out.resolve("table.md"));
        for (String s : new String[] {"| `pcm-joshi2020` | plain | original |", "| `pcm-joshi2020` | search | original |",
            "| `pcm-joshi2020` | trained | trained-pcm-joshi2020 |", "| `digital-jq4` | reference (jq:4; ways do not apply)",
            "aleatoric mnist / amb / ood", "unc. err mean / max % (floor)", "| trained-pcm-joshi2020 |", "auroc_ood change",
            "ESS of S", "## Issue 11 acceptance", "digital energy / energy", "## Energy per inference by component", "## Chosen mappings", "replicas_per_polarity", "## Wall time", "Total:",
            "git commit", "SHA-256", "machines-table --model"}) {
            assertTrue(md.contains(s), "table.md lacks " + s + ":\n" + md);
        }
        List<String> csv = Files.readAllLines(out.resolve("table.csv"));
        assertEquals(5, csv.size(), String.join("\n", csv)); // header + 4 replay rows
        String header = csv.get(0);
        for (String c : new String[] {"accuracy", "auroc_ood", "auroc_amb", "aleatoric_mnist", "epistemic_ood",
            "unc_err_mean_pct", "floor_max_pct", "realisable_fraction", "cycles_per_inference", "latency_ns_per_inference",
            "energy_pj_per_inference", "effective_sample_size", "row_seconds"}) {
            assertTrue(header.contains(c), header);
        }
        assertTrue(header.contains("energy_pj_"), header);
        String json = Files.readString(out.resolve("table.json"));
        assertTrue(json.contains("\"against_original\"") && json.contains("\"within_acceptance\"")
                && json.contains("\"energy_below_digital\""), json);

        // The same command again computes nothing and reuses the trained network's row.
        MainTest.Run again = MainTest.run(args(out));
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("0 rows computed, 6 already done"), again.out());
        assertEquals(journal, Files.readAllLines(out.resolve("rows.jsonl")));

        // A row lost (the trained one and its parent's metrics): only those run, the trained network is reused.
        List<String> kept = journal.stream().filter(l -> !l.contains("trained")).toList();
        assertEquals(4, kept.size());
        Files.writeString(out.resolve("rows.jsonl"), String.join("\n", kept) + "\n" + "{\"key\":\"torn");
        MainTest.Run resumed = MainTest.run(args(out));
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().contains("2 rows computed, 4 already done, 1 trained network reused"), resumed.out());
        assertEquals(6, Files.readAllLines(out.resolve("rows.jsonl")).size());

        // Other options in the same folder: refused, nothing changed.
        MainTest.Run other = MainTest.run(args(out, "--seed", "2"));
        assertEquals(2, other.code(), other.err());
        assertTrue(other.err().contains("holds rows of another table"), other.err());
    }

    /**
     * A real child process killed (SIGKILL) once a random number of rows are in the journal, then the
     * same command again: every row once, and the same figures as an uninterrupted run (the CSV
     * without its two time columns).
     */
    @Test
    void killedChildResumesWithoutLosingOrRepeatingARow() throws Exception {
        Path whole = dir.resolve("whole");
        MainTest.Run r = MainTest.run(args(whole));
        assertEquals(0, r.code(), r.err());

        Path out = dir.resolve("killed");
        Path journal = out.resolve("rows.jsonl");
        int killAt = 1 + new java.util.Random(System.nanoTime()).nextInt(4);
        Process p = child(out);
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(120);
        while (p.isAlive() && lines(journal) < killAt && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        p.destroyForcibly();
        p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
        Process again = child(out);
        assertTrue(again.waitFor(180, java.util.concurrent.TimeUnit.SECONDS), "resumed run finished");
        String log = Files.readString(dir.resolve("child.log"));
        assertEquals(0, again.exitValue(), log);
        // the kill came before the end: the second run computed the rest
        assertTrue(log.matches("(?s).*machines-table: [1-5] rows computed, [1-5] already done.*"), log);
        java.util.Set<String> keys = new java.util.HashSet<>();
        for (String l : Files.readAllLines(journal)) {
            assertTrue(keys.add(l.replaceAll("^\\{\"key\":\"([^\"]*)\".*", "$1")), "row twice: " + l);
        }
        assertEquals(6, keys.size(), keys.toString());
        assertEquals(withoutTimes(whole.resolve("table.csv")), withoutTimes(out.resolve("table.csv")));
    }

    private Process child(Path out) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector", "-Xmx1g", "-cp",
                System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args(out)));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
    }

    private static long lines(Path f) throws Exception {
        return Files.exists(f) ? Files.readString(f).chars().filter(c -> c == '\n').count() : 0;
    }

    /** The CSV without its last two columns (row_seconds, train_seconds). */
    private static List<String> withoutTimes(Path csv) throws Exception {
        return Files.readAllLines(csv).stream().map(l -> l.replaceAll(",[^,]*,[^,]*$", "")).toList();
    }

    private void badInput(String fragment, String... extra) {
        Path out = dir.resolve("bad");
        List<String> a = new ArrayList<>(List.of("machines-table", "--out", out.toString()));
        a.addAll(List.of(extra));
        if (!a.contains("--data")) {
            a.addAll(List.of("--data", "random-images"));
        }
        if (!a.contains("--model")) {
            a.addAll(List.of("--model", dir.resolve("m.safetensors").toString()));
        }
        MainTest.Run r = MainTest.run(a.toArray(String[]::new));
        MainTest.assertExitTwoOneLine(r, fragment);
        assertTrue(Files.notExists(out), "nothing written");
    }

    @Test
    void badInputIsOneLineExitTwoAndNothingWritten() {
        badInput("neither a preset", "--machines", "pcm-joshi2020,no-such-machine");
        badInput("unknown way 'best'", "--ways", "plain,best");
        badInput("samples must be at least 1", "--samples", "0");
        badInput("--subsample must be >= 1", "--subsample", "0");
        badInput("file not found", "--model", dir.resolve("none.safetensors").toString());
        badInput("--train-epochs must be", "--train-epochs", "0");
        badInput("--data: unknown 'mnist'", "--data", "mnist");
    }

    /** The trained rows are what 'bmsim train --machine M --init MODEL' gives: same default epochs and lr. */
    @Test
    void trainingDefaultsAreThoseOfTheTrainCommand() {
        var train = new CommandLine(new TrainCommand()).getCommandSpec();
        var table = new CommandLine(new MachinesTableCommand()).getCommandSpec();
        assertEquals(train.findOption("--epochs").defaultValue(), table.findOption("--train-epochs").defaultValue());
        assertEquals(train.findOption("--lr").defaultValue(), table.findOption("--train-lr").defaultValue());
    }
}
