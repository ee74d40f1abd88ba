package org.bmsim.sim.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.bmsim.common.BadInputException;
import org.junit.jupiter.api.Test;

class UncertaintyErrorTest {
    private static MetricsReport report(double acc, double aurocOod, double aurocAmb, double[] au, double[] eu,
            int[] counts) {
        Map<String, SubsetSummary> s = new LinkedHashMap<>();
        String[] keys = {"mnist", "ambiguous", "ood"};
        for (int d = 0; d < 3; d++) {
            s.put(keys[d], new SubsetSummary(counts[d], null, au[d] + eu[d], au[d], eu[d]));
        }
        return new MetricsReport(100, counts[0] + counts[1] + counts[2], acc, 0.05, 0.01, 0.03, aurocOod, aurocOod,
                aurocAmb, s);
    }

    /**
     * By hand. Reference means AU (0.1, 0.8, 0.6), EU (0.02, 0.05, 0.4) for mnist, ambiguous, ood;
     * quantized AU (0.11, 0.76, 0.6), EU (0.02, 0.06, 0.3). Errors: AU 10%, 5%, 0%; EU 0%, 20%, 25%.
     * Max 25%, mean (10 + 5 + 0 + 0 + 20 + 25) / 6 = 10%.
     */
    @Test
    void relativeErrorsByHand() {
        int[] n = {2000, 400, 2000};
        MetricsReport fp = report(0.98, 0.97, 0.98, new double[] {0.1, 0.8, 0.6}, new double[] {0.02, 0.05, 0.4}, n);
        MetricsReport q = report(0.975, 0.95, 0.985, new double[] {0.11, 0.76, 0.6}, new double[] {0.02, 0.06, 0.3}, n);
        UncertaintyError e = UncertaintyError.between(q, fp);
        assertEquals(10.0, e.errorsPct().get("mnist").get("aleatoric"), 1e-9);
        assertEquals(5.0, e.errorsPct().get("ambiguous").get("aleatoric"), 1e-9);
        assertEquals(0.0, e.errorsPct().get("ood").get("aleatoric"), 1e-9);
        assertEquals(0.0, e.errorsPct().get("mnist").get("epistemic"), 1e-9);
        assertEquals(20.0, e.errorsPct().get("ambiguous").get("epistemic"), 1e-9);
        assertEquals(25.0, e.errorsPct().get("ood").get("epistemic"), 1e-9);
        assertEquals(25.0, e.maxPct(), 1e-9);
        assertEquals(10.0, e.meanPct(), 1e-9);
        assertEquals(-0.005, e.accuracyDelta(), 1e-12);
        assertEquals(-0.02, e.aurocOodDelta(), 1e-12);
        assertEquals(0.005, e.aurocAmbDelta(), 1e-12);
        String json = tools.jackson.databind.json.JsonMapper.builder().build().writeValueAsString(e);
        assertTrue(json.contains("\"errors_pct\"") && json.contains("\"max_pct\"") && json.contains("\"auroc_ood_delta\""),
                json);
    }

    @Test
    void zeroReferenceMeanIsUndefinedAndDifferentDataIsRefused() {
        int[] n = {10, 0, 5};
        MetricsReport fp = report(0.9, 0.9, 0.9, new double[] {0.1, 0, 0.5}, new double[] {0.0, 0, 0.2}, n);
        MetricsReport q = report(0.9, 0.9, 0.9, new double[] {0.2, 0, 0.5}, new double[] {0.01, 0, 0.3}, n);
        UncertaintyError e = UncertaintyError.between(q, fp);
        assertNull(e.errorsPct().get("mnist").get("epistemic"));
        assertEquals(100.0, e.maxPct(), 1e-9);
        assertEquals((100.0 + 0.0 + 50.0) / 3, e.meanPct(), 1e-9);
        MetricsReport other = report(0.9, 0.9, 0.9, new double[] {0.1, 0, 0.5}, new double[] {0.0, 0, 0.2},
                new int[] {11, 0, 5});
        assertThrows(BadInputException.class, () -> UncertaintyError.between(q, other));
    }
}
