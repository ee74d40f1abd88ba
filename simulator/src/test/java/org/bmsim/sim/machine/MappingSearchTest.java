package org.bmsim.sim.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.bmsim.common.BadInputException;
import org.bmsim.noise.device.ConductanceFunction;
import org.bmsim.noise.device.ConductanceRange;
import org.bmsim.sim.tile.CellMapping;
import org.bmsim.sim.tile.CellType;
import org.junit.jupiter.api.Test;

/** The per-layer mapping search: replicas, scale, the W2 objective, the infeasible report, the YAML block. */
class MappingSearchTest {
    /** rram-wan2022 with a constant custom law sigma(G) = c uS on [0, 40] uS and the given mapping block. */
    static MachineDescription constantLaw(double c, String mapping) {
        String y = MachinesTest.customRram("    g_min_us: 0.0\n    g_max_us: 40.0", "[" + c + "]");
        return Machines.parse(mapping == null ? y : y + mapping, "m.yaml");
    }

    @Test
    void crossbarOrderPutsFanInOnRowsAndOutputsOnColumns() {
        // network order [out = 2][fan-in = 3] after one leading parameter: rows are inputs, columns outputs
        float[] p = {9, 1, 2, 3, 4, 5, 6};
        org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, MappingSearch.crossbarOrder(p, 1, 3, 2));
    }

    @Test
    void replicasDivideTheNoiseBySqrtNAndKeepTheMean() {
        // constant law c = 1 uS on a 40 uS window: a pair reads sqrt(2) uS whatever G; in weight units
        // sqrt(2) / 40 wScale / sqrt(N) (hand-computed)
        ConductanceFunction s = ConductanceFunction.constant(1.0, ConductanceRange.of(0, 40, "test"));
        float[] mu = {1f, -0.5f, 0.25f};
        float[] sigma = {0.01f, 0.01f, 0.01f};
        for (int n : new int[] {1, 4, 16}) {
            CellMapping.Result r = CellMapping.differentialPair(mu, sigma, s, 0.1, 1.0, n);
            for (int k = 0; k < mu.length; k++) {
                assertEquals(mu[k], r.muRealised()[k], 1e-6);
                assertEquals(Math.sqrt(2) / 40 / Math.sqrt(n), r.sigmaRealised()[k], 1e-6);
            }
            assertEquals(n, r.replicas());
        }
        // a scale below max |mu| clips the mean: mu 1 with wScale 0.5 is realised as 0.5
        CellMapping.Result c = CellMapping.differentialPair(mu, sigma, s, 0.1, 0.5, 1);
        assertEquals(0.5, c.muRealised()[0], 1e-6);
        assertEquals(-0.5, c.muRealised()[1], 1e-6);
    }

    @Test
    void searchFindsTheFewestReplicasThatRealiseTheLayer() {
        // every sigma is sqrt(2)/40/4 max|mu| (wScale 1): realised exactly with 16 replicas at scale 1,
        // or 4 at scale 0.5 (clips), or 64 at scale 2; the search must find a realised mapping
        MachineDescription m = constantLaw(1.0,
                "mapping:\n  search: true\n  replicas: [1, 4, 16, 64]\n  scale_factors: [1.0, 2.0]\n  scaling: [layer]\n");
        int n = 200;
        float[] mu = new float[n];
        float[] sigma = new float[n];
        for (int k = 0; k < n; k++) {
            mu[k] = (k % 2 == 0 ? 1 : -1) * (0.1f + 0.9f * k / (n - 1));
            sigma[k] = (float) (Math.sqrt(2) / 40 / 4);
        }
        MappingSearch.Choice c = MappingSearch.choose(mu, sigma, 1, m, m.device().devicePreset(), false);
        assertEquals(CellType.DIFFERENTIAL_PAIR, c.cell());
        assertEquals(16, c.replicas());
        assertEquals(1.0, c.scaleFactor());
        assertEquals(1.0, c.realisableFraction());
        assertTrue(c.meanW2() < 1e-6, "W2 " + c.meanW2());
        assertEquals(2L * 16 * n, c.devices());
        assertNull(c.reason());
        assertEquals(8, c.candidates());
        // without the search: one pair, every weight's noise 4x too large, all unrealisable
        MachineDescription plain = constantLaw(1.0, null);
        MappingSearch.Choice p = MappingSearch.choose(mu, sigma, 1, plain, plain.device().devicePreset(), false);
        assertEquals(1, p.replicas());
        assertEquals(0.0, p.realisableFraction());
    }

    @Test
    void aDeviceTenTimesNoisierIsReportedNotRealisedWithTheReason() {
        // rram-wan2022's law with a floor 10x higher (every coefficient x 10), only small replica counts
        String y = MachinesTest.customRram("    g_min_us: 0.0\n    g_max_us: 39.26", "[10.53, 2.374, -0.1167, 0.001536]")
                + "mapping:\n  search: true\n  replicas: [1, 2, 4]\n";
        MachineDescription m = Machines.parse(y, "noisy.yaml");
        int n = 500;
        float[] mu = new float[n];
        float[] sigma = new float[n];
        for (int k = 0; k < n; k++) {
            mu[k] = (k % 2 == 0 ? 1 : -1) * (0.05f + 0.95f * k / (n - 1));
            sigma[k] = 0.02f * Math.abs(mu[k]);
        }
        MappingSearch.Choice c = MappingSearch.choose(mu, sigma, 1, m, m.device().devicePreset(), false);
        assertFalse(c.realised());
        assertTrue(c.realisableFraction() < 0.5, "fraction " + c.realisableFraction());
        assertTrue(c.sigmaBelowFloor() > c.sigmaAboveCeiling(), c.reason());
        assertTrue(c.reason().startsWith("the device cannot realise this layer's posterior"), c.reason());
        assertTrue(c.reason().contains("need a sigma below the cell's floor"), c.reason());
        assertTrue(c.reason().contains("no fallback is applied"), c.reason());
        assertEquals(false, c.report().get("realised"));
        assertEquals(c.reason(), c.report().get("not_realised_reason"));
    }

    @Test
    void badMappingBlocksAreOneLineErrors() {
        BadInputException neg = assertThrows(BadInputException.class,
                () -> constantLaw(1.0, "mapping:\n  search: true\n  replicas: [4, -2]\n"));
        assertEquals("m.yaml: mapping.replicas: a replica count must be in [1, 1024], got -2", neg.getMessage());
        BadInputException zero = assertThrows(BadInputException.class,
                () -> constantLaw(1.0, "mapping:\n  search: true\n  replicas: [0]\n"));
        assertTrue(zero.getMessage().contains("got 0"), zero.getMessage());
        BadInputException cell = assertThrows(BadInputException.class,
                () -> constantLaw(1.0, "mapping:\n  search: true\n  cells: [digital-jq]\n"));
        assertTrue(cell.getMessage().contains("only analog cells"), cell.getMessage());
        BadInputException unknown = assertThrows(BadInputException.class,
                () -> constantLaw(1.0, "mapping:\n  search: true\n  replica: [2]\n"));
        assertTrue(unknown.getMessage().startsWith("m.yaml: unknown key 'replica' (in mapping)"), unknown.getMessage());
        BadInputException obj = assertThrows(BadInputException.class,
                () -> constantLaw(1.0, "mapping:\n  search: true\n  objective: best\n"));
        assertEquals("m.yaml: mapping.objective: unknown 'best'; known: relative, absolute", obj.getMessage());
        for (BadInputException e : List.of(neg, zero, cell, unknown, obj)) {
            assertEquals(1, e.getMessage().lines().count());
        }
        // the block is optional: presets without it map plainly and round-trip without it
        MachineDescription p = Machines.preset("rram-wan2022");
        assertFalse(p.mappingOrPlain().search());
        assertFalse(Machines.toYaml(p).contains("mapping"));
        MachineDescription s = constantLaw(1.0, "mapping:\n  search: true\n");
        assertEquals(MachineDescription.Mapping.DEFAULT_REPLICAS, s.mappingOrPlain().replicaCounts());
        assertEquals(s, Machines.parse(Machines.toYaml(s), "again.yaml"));
    }
}
