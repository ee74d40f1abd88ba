package org.bmsim.examples.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bmsim.common.BadInputException;
import org.bmsim.sim.data.FloatSet;
import org.bmsim.sim.data.RandomImages;
import org.bmsim.sim.io.ModelFile;
import org.bmsim.sim.nn.Activation;
import org.bmsim.sim.nn.Architecture;
import org.bmsim.sim.nn.Network;
import org.bmsim.sim.nn.SigmaTransform;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local engine on a tiny network and random images: bit-identical at any thread count, resume
 * after a torn journal without losing or repeating a point, shared work done once, the report.
 */
class SweepEngineTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
    static final String SPEC = "version: 1\nname: tiny\nmodel: m.safetensors\nmachine: pcm-joshi2020\nstrategy: jq\n"
            + "samples: 2\nseeds: [1]\naxes:\n  - bits: [3, 4]\n  - noise_scale: [1, 2]\n  - adc.bits: [6]\n";

    @TempDir
    static Path dir;
    /** The sweep run once on one thread: the reference of every test. */
    static Path one;
    static String csv;

    static FloatSet images(String name, int n, long seed) {
        return RandomImages.of(name, n, seed, FloatSet.MNIST, FloatSet.AMBIGUOUS, FloatSet.OOD);
    }

    static SweepContext context() {
        return SweepContext.of(images("train", 64, 1), images("held-out", 30, 4), images("test", 24, 2));
    }

    @BeforeAll
    static void model() throws Exception {
        Network n = Network.initialised(Architecture.of("mlp:784-12-10", Activation.RELU), true, SigmaTransform.SOFTPLUS,
                -3f, 9);
        ModelFile.write(dir.resolve("m.safetensors"), n, Map.of());
        Files.writeString(dir.resolve("sweep.yaml"), SPEC);
        one = run("one", 1);
        csv = Files.readString(one.resolve(SweepOutput.CSV));
    }

    private static Path run(String name, int threads) {
        Path out = dir.resolve(name);
        SweepEngine.run(SweepSpec.read(dir.resolve("sweep.yaml")), SPEC, context(), out, threads, Shard.ALL, false, QUIET);
        return out;
    }

    @Test
    void identicalAtAnyThreadCountAndResumable() throws Exception {
        Path three = run("three", 3);
        assertEquals(csv, Files.readString(three.resolve(SweepOutput.CSV)));
        assertEquals(1 + 4 * PointResult.METRICS.size(), csv.lines().count());

        // A crash after 1 point, the 2nd line torn half-way: the same command finishes the sweep.
        Path crashed = dir.resolve("crashed");
        Files.createDirectories(crashed);
        Files.copy(one.resolve(SweepOutput.MANIFEST), crashed.resolve(SweepOutput.MANIFEST));
        List<String> lines = Files.readAllLines(three.resolve(SweepOutput.JSONL));
        String partial = String.join("\n", lines.subList(0, 1)) + "\n" + lines.get(1).substring(0, lines.get(1).length() / 2);
        Files.writeString(crashed.resolve(SweepOutput.JSONL), partial);
        Files.writeString(crashed.resolve(SweepOutput.CSV), "garbage that the journal replaces\n");
        SweepSpec s = SweepSpec.read(dir.resolve("sweep.yaml"));
        SweepEngine.Summary sum = SweepEngine.run(s, SPEC, context(), crashed, 2, Shard.ALL, false, QUIET);
        assertEquals(1, sum.alreadyDone());
        assertEquals(3, sum.ran());
        assertEquals(csv, Files.readString(crashed.resolve(SweepOutput.CSV)));
        assertEquals(4, SweepOutput.readJournal(crashed.resolve(SweepOutput.JSONL), false).size());
        // nothing left to do: a third start runs nothing and changes nothing
        sum = SweepEngine.run(s, SPEC, context(), crashed, 2, Shard.ALL, false, QUIET);
        assertEquals(0, sum.ran());
        assertEquals(csv, Files.readString(crashed.resolve(SweepOutput.CSV)));
    }

    @Test
    void pointsThatDifferOnlyInConvertersShareTheQuantizationAndTheReference() throws Exception {
        Path f = dir.resolve("converters.yaml");
        Files.writeString(f, SPEC.replace("name: tiny", "name: converters").replace("bits: [3, 4]", "bits: [4]")
                .replace("noise_scale: [1, 2]", "noise_scale: [1]").replace("adc.bits: [6]", "adc.bits: [4, 6, 8]"));
        SweepContext ctx = context();
        SweepEngine.run(SweepSpec.read(f), Files.readString(f), ctx, dir.resolve("converters"), 2, Shard.ALL, false, QUIET);
        Map<String, Object> c = ctx.cacheStats();
        assertEquals(3, c.get("replays_run"));
        assertEquals(1, c.get("programmed_networks_built"));
        assertEquals(3, c.get("programmed_networks_asked"));
        assertEquals(1, c.get("float_references_built"));
    }

    @Test
    void sharedWorkIsDoneOnceAndShardsMerge() throws Exception {
        SweepSpec s = SweepSpec.read(dir.resolve("sweep.yaml"));
        SweepContext ctx = context();
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        SweepEngine.run(s, SPEC, ctx, a, 2, new Shard(1, 2), false, QUIET);
        SweepEngine.run(s, SPEC, ctx, b, 2, new Shard(2, 2), false, QUIET);
        Map<String, Object> c = ctx.cacheStats();
        assertEquals(2, c.get("models_built")); // the file once, its noise_scale = 2 copy once
        assertEquals(2, c.get("float_references_built")); // one (model, noise scale, samples, seed) each
        assertEquals(4, c.get("programmed_networks_built")); // (noise scale, bits): nothing shared here
        assertEquals(4, c.get("replays_run"));

        Path merged = dir.resolve("merged");
        BadInputException missing = assertThrows(BadInputException.class,
                () -> SweepMerge.merge(List.of(a), merged, false));
        assertTrue(missing.getMessage().contains("2 of 4"));
        assertTrue(Files.notExists(merged));
        SweepMerge.merge(List.of(a, b), merged, false);
        assertEquals(csv, Files.readString(merged.resolve(SweepOutput.CSV)));
        assertThrows(BadInputException.class, () -> SweepMerge.merge(List.of(a, a), dir.resolve("m2"), false));

        // another sweep file into a used folder is refused before anything is written
        Path other = dir.resolve("other.yaml");
        Files.writeString(other, SPEC.replace("samples: 2", "samples: 4"));
        String before = Files.readString(a.resolve(SweepOutput.JSONL));
        assertThrows(BadInputException.class, () -> SweepEngine.run(SweepSpec.read(other), "", context(), a, 1,
                new Shard(1, 2), false, QUIET));
        assertEquals(before, Files.readString(a.resolve(SweepOutput.JSONL)));
    }

    @Test
    void reportHoldsEveryPlot() throws Exception {
        Path out = one;
        Path html = SweepReport.write(out);
        String h = Files.readString(html, StandardCharsets.UTF_8);
        int imgs = h.split("<img ", -1).length - 1;
        // the two Pareto plots and one per metric defined and axis
        assertTrue(imgs >= 2 + 3 * 10, "images: " + imgs);
        assertTrue(Files.exists(out.resolve("report/pareto-energy-uncertainty.svg")));
        assertTrue(Files.exists(out.resolve("report/accuracy-vs-noise_scale.png")));
        assertTrue(Files.readString(out.resolve("report/accuracy-vs-noise_scale.svg")).contains("<svg"));
        assertTrue(!h.contains("http://") && !h.contains("https://"), "no network at view time");
    }
}
