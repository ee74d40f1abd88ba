package org.bmsim.examples.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.bmsim.common.BadInputException;
import org.bmsim.sim.io.ModelFile;
import org.bmsim.sim.nn.Activation;
import org.bmsim.sim.nn.Architecture;
import org.bmsim.sim.nn.Network;
import org.bmsim.sim.nn.SigmaTransform;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sweep.yaml: parsing, validation (one-line errors before anything runs), point enumeration and seeds. */
class SweepSpecTest {
    @TempDir
    Path dir;

    @BeforeEach
    void model() {
        Network n = Network.initialised(Architecture.of("mlp:784-8-10", Activation.RELU), true, SigmaTransform.SOFTPLUS,
                -3f, 1);
        ModelFile.write(dir.resolve("m.safetensors"), n, Map.of());
    }

    private SweepSpec parse(String axes) {
        return SweepSpec.parse("version: 1\nname: t\nmodel: m.safetensors\nmachine: pcm-joshi2020\nsamples: 2\n" + axes,
                "t.yaml", dir);
    }

    private String error(String axes) {
        BadInputException e = assertThrows(BadInputException.class, () -> parse(axes));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.getMessage().startsWith("t.yaml: "), e.getMessage());
        return e.getMessage();
    }

    @Test
    void gridZipAndListMultiply() {
        SweepSpec s = parse("seeds: [1, 2]\naxes:\n  - bits: [3, 4, 6]\n  - zip: {tile.rows: [64, 128], tile.cols: [64, 128]}\n"
                + "  - list: [{adc.bits: 8, adc.columns_per_adc: 1}, {adc.bits: 4, adc.columns_per_adc: 8}]\n");
        assertEquals(3 * 2 * 2 * 2, s.size());
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < s.size(); i++) {
            assertTrue(keys.add(s.point(i).key()));
        }
        SweepSpec.Point p = s.point(0);
        assertEquals("adc.bits=8,adc.columns_per_adc=1,bits=3,tile.cols=64,tile.rows=64,seed=1", p.key());
        assertEquals(1L, p.seed());
        assertEquals(2L, s.point(1).seed());
        SweepSpec.Resolved r = s.resolve(s.point((int) s.size() - 1).values());
        assertEquals(128, r.machine().tile().rows());
        assertEquals(4, r.machine().adc().bits());
        assertEquals(8, r.machine().adc().columnsPerAdc());
        assertEquals("jq:6", r.quant().id());
    }

    @Test
    void perPointSeedsDependOnTheKeyOnly() {
        SweepSpec a = parse("seeding: per-point\naxes:\n  - adc.bits: [4, 8]\n");
        SweepSpec b = parse("seeding: per-point\naxes:\n  - adc.bits: [8.0, 4]\n");
        // the same point (adc.bits = 8) at another index gets the same seed; 8 and 8.0 are one value
        assertEquals(a.point(1).key(), b.point(0).key());
        assertEquals(a.point(1).seed(), b.point(0).seed());
        assertNotEquals(a.point(0).seed(), a.point(1).seed());
    }

    @Test
    void badFilesGiveOneLineErrors() {
        assertTrue(error("axes:\n  - adc.bits: []\n").contains("axis 'adc.bits' is empty"));
        assertTrue(error("axes:\n  - adc.bitz: [4]\n").contains("unknown parameter 'adc.bitz'"));
        assertTrue(error("axes:\n  - frobnicate: [4]\n").contains("unknown parameter 'frobnicate'"));
        assertTrue(error("axes:\n  - adc.bits: [40]\n").contains("adc.bits"));
        assertTrue(error("axes:\n  - adc.bits: [4]\n  - adc.bits: [6]\n").contains("duplicate axis 'adc.bits'"));
        assertTrue(error("axes:\n  - adc.bits: [4, 4]\n").contains("repeats"));
        assertTrue(error("axes:\n  - adc.conversion_step_us: [1]\n").contains("wrong unit 'us'"));
        assertTrue(error("axes:\n  - adc.conversion_step_ns: ['1 ns']\n").contains("plain number in ns"));
        assertTrue(error("axes:\n  - adc.bits: [4.5]\n").contains("integer"));
        assertTrue(error("axes:\n  - noise_scale: [0]\n").contains("noise_scale must be in"));
        assertTrue(error("axes:\n  - bits: [0]\n").contains("bits"));
        assertTrue(error("axes:\n  - zip: {tile.rows: [64, 128], tile.cols: [64]}\n").contains("equal lengths"));
        assertTrue(error("axes:\n  - adc: [4]\n").contains("names a block"));
        assertTrue(error("colour: red\naxes:\n  - adc.bits: [4]\n").contains("unknown key 'colour'"));
        assertTrue(error("axes: []\n").contains("axes must be a non-empty list"));
        assertTrue(error("axes:\n  - model: [missing.safetensors]\n").contains("does not exist"));
        // a combination only the whole point can refuse: a digital-jq machine needs JQ at its width
        assertTrue(error("axes:\n  - zip: {tile.cell: [digital-jq], strategy: [vpq]}\n").contains("digital-jq"));
    }

    @Test
    void hugeGridsNeedYes() {
        // 100^3 * 2 = 2e6 points: counted without being enumerated beyond the resolve limit
        StringBuilder v = new StringBuilder("[");
        for (int i = 1; i <= 100; i++) {
            v.append(i == 1 ? "" : ", ").append(i);
        }
        v.append("]");
        SweepSpec s = parse("seeds: [1, 2]\naxes:\n  - tile.rows: " + v + "\n  - tile.cols: " + v + "\n  - adc.columns_per_adc: "
                + v + "\n");
        assertEquals(2_000_000L, s.size());
        BadInputException e = assertThrows(BadInputException.class, () -> s.checkSize(false));
        assertTrue(e.getMessage().contains("--yes"));
        s.checkSize(true);
    }

    @Test
    void shardsPartitionThePoints() {
        int n = 7;
        int total = 23;
        for (int i = 0; i < total; i++) {
            int owners = 0;
            for (int k = 1; k <= n; k++) {
                owners += new Shard(k, n).contains(i) ? 1 : 0;
            }
            assertEquals(1, owners);
        }
        long sum = 0;
        for (int k = 1; k <= n; k++) {
            sum += new Shard(k, n).count(total);
        }
        assertEquals(total, sum);
        assertThrows(BadInputException.class, () -> Shard.parse("0/3"));
        assertThrows(BadInputException.class, () -> Shard.parse("4/3"));
        assertThrows(BadInputException.class, () -> Shard.parse("a/b"));
    }
}
