package org.bmsim.examples.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;

/** Issue 11's acceptance per row, on hand-made rows: each bound, a bound met exactly, the digital energy. */
class MachinesTableTest {
    private static String row(String way, double mean, double max, double accDelta, double oodDelta, double real,
            double energy) {
        return "{\"key\":\"m|" + way + "\",\"machine\":\"m\",\"way\":\"" + way + "\",\"replay\":{\"energy_pj_per_inference\":"
                + energy + ",\"uncertainty_error\":{\"mean_pct\":" + mean + ",\"max_pct\":" + max + ",\"accuracy_delta\":"
                + accDelta + ",\"auroc_ood_delta\":" + oodDelta + ",\"auroc_amb_delta\":0.001},\"mapping\":"
                + "{\"realisable_fraction\":" + real + "}}}";
    }

    @Test
    void acceptancePerRow() {
        // one image of 200 (accuracy 0.965 against 0.97): 0.5 point, the bound itself, is met
        double onePoint5 = 0.965 - 0.97;
        ArrayNode rows = (ArrayNode) MachinesTable.JSON.readTree("[" + String.join(",",
                row("trained", 3.7, 8.4, onePoint5, -0.0082, 1.0, 2.0e6),
                row("search", 3.7, 15.1, 0, 0, 1.0, 2.0e6),
                row("plain", 3.7, 8.4, 0, -0.0101, 1.0, 2.0e6),
                row("other", 3.7, 8.4, 0, 0, 0.989, 2.0e6),
                row("costly", 3.7, 8.4, 0, 0, 1.0, 2.0e7),
                row("reference", 3.1, 11.5, 0, 0, 1.0, 1.4e7)) + "]");
        MachinesTable.acceptance(rows);
        JsonNode ok = rows.get(0).path("acceptance");
        assertTrue(ok.path("met").asBoolean(), ok.toString());
        assertEquals(7.0, ok.path("energy_ratio_digital").asDouble(), 1e-12);
        assertFalse(rows.get(1).path("acceptance").path("uncertainty_error").asBoolean());
        assertFalse(rows.get(2).path("acceptance").path("accuracy_and_aurocs").asBoolean());
        assertFalse(rows.get(3).path("acceptance").path("realisable").asBoolean());
        assertFalse(rows.get(4).path("acceptance").path("energy_below_digital").asBoolean());
        for (int i = 1; i < 5; i++) {
            assertFalse(rows.get(i).path("acceptance").path("met").asBoolean(), rows.get(i).toString());
        }
        assertTrue(rows.get(5).path("acceptance").isMissingNode(), "the digital reference is the yardstick, not judged");
    }
}
