package org.bmsim.sim.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.bmsim.common.BadInputException;
import org.bmsim.sim.tile.CellMapping;
import org.junit.jupiter.api.Test;

/** Per-row drive x per-column gain: the interval stabbing, the fit, the search, the YAML keys. */
class RowColumnScalesTest {
    @Test
    void stabbingFindsThePointInMostIntervals() {
        // hand case: [0, 2], [1, 3], [2.5, 4]: the most (2) overlap on [1, 2], midpoint 1.5 (the lowest best segment)
        double[] a = {0, 1, 2.5};
        double[] b = {2, 3, 4};
        boolean[] ok = {true, true, true};
        assertEquals(1.5, RowColumnScales.stab(a, b, ok, 0, 1, 3, null), 1e-12);
        // shifted by the other side's terms: [0 - 5, 2 - 5], [1 - 0, 3 - 0], [2.5 - 0, 4 - 0]: best [2.5, 3]
        assertEquals(2.75, RowColumnScales.stab(a, b, ok, 0, 1, 3, new double[] {5, 0, 0}), 1e-12);
        // a weight without an interval does not count; none at all gives NaN
        assertEquals(3.25, RowColumnScales.stab(a, b, new boolean[] {false, false, true}, 0, 1, 3, null), 1e-12);
        assertTrue(Double.isNaN(RowColumnScales.stab(a, b, new boolean[3], 0, 1, 3, null)));
    }

    @Test
    void stabbingAgreesWithBruteForce() {
        Random r = new Random(5);
        for (int trial = 0; trial < 50; trial++) {
            int n = 1 + r.nextInt(30);
            double[] a = new double[n];
            double[] b = new double[n];
            boolean[] ok = new boolean[n];
            for (int k = 0; k < n; k++) {
                a[k] = r.nextInt(20) / 2.0;
                b[k] = a[k] + r.nextInt(8) / 2.0;
                ok[k] = r.nextInt(5) > 0;
            }
            double p = RowColumnScales.stab(a, b, ok, 0, 1, n, null);
            int best = 0;
            for (int g = -2; g <= 80; g++) {
                best = Math.max(best, covered(a, b, ok, g / 4.0));
            }
            if (best == 0) {
                assertTrue(Double.isNaN(p));
            } else {
                assertEquals(best, covered(a, b, ok, p), "trial " + trial);
            }
        }
    }

    private static int covered(double[] a, double[] b, boolean[] ok, double x) {
        int c = 0;
        for (int k = 0; k < a.length; k++) {
            if (ok[k] && a[k] <= x && x <= b[k]) {
                c++;
            }
        }
        return c;
    }

    @Test
    void aRankOnePosteriorWiderThanTheBandIsRealisedByRowColumnScales() {
        // constant band sigma / w in [0.01, 0.03] (3x wide): sigma_ij = 1e-3 r_i c_j with r over 16x and c over
        // 8x (128x in all); means at u = |mu| / w <= 0.5 of their own scale; one layer scale realises a third at
        // best, row-column scales every weight
        int rows = 32;
        int cols = 12;
        float[] mu = new float[rows * cols];
        float[] sigma = new float[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double ri = Math.pow(16, i / (rows - 1.0));
                double cj = Math.pow(8, j / (cols - 1.0));
                sigma[i * cols + j] = (float) (1e-3 * ri * cj);
                mu[i * cols + j] = (float) ((i + j) % 2 == 0 ? 1 : -1) * sigma[i * cols + j] * (float) (5 + (i * 7 + j) % 20);
            }
        }
        float[] lo = new float[DeviceAwareBounds.POINTS];
        float[] hi = new float[DeviceAwareBounds.POINTS];
        Arrays.fill(lo, 0.01f);
        Arrays.fill(hi, 0.03f);
        RowColumnScales rc = RowColumnScales.fit(mu, sigma, rows, cols, lo, hi, 0.1, 1.0 / 64);
        int ok = 0;
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double w = rc.at(i, j);
                double s = sigma[i * cols + j] / w;
                if (Math.abs(mu[i * cols + j]) <= w && s >= 0.01 / 1.1 && s <= 0.03 / 0.9) {
                    ok++;
                }
            }
        }
        assertEquals(rows * cols, ok);
        assertTrue(rc.minRowGain() >= 1.0 / 64 && rc.minColScale() > 0);
        for (float g : rc.rowGain()) {
            assertTrue(g > 0 && g <= 1);
        }
        // one scale for the layer: the best point over all intervals
        double[] a = new double[mu.length];
        double[] b = new double[mu.length];
        boolean[] f = new boolean[mu.length];
        RowColumnScales.feasible(mu, sigma, lo, hi, 0.1, a, b, f);
        double p = RowColumnScales.stab(a, b, f, 0, 1, mu.length, null);
        assertTrue(covered(a, b, f, p) < mu.length / 2, "one layer scale realises " + covered(a, b, f, p));
    }

    @Test
    void theSearchPicksRowColumnScalesAndTheMappingRealisesThem() {
        // constant law 1 uS on [0, 40] uS: a pair reads sqrt(2) uS anywhere, so the band has width 1 at any u:
        // only weights whose sigma / w is exactly the pair's are realised; a rank-one sigma over 20x needs the
        // row-column scales
        MachineDescription m = MappingSearchTest.constantLaw(1.0, "mapping:\n  search: true\n  replicas: [1, 4]\n");
        int rows = 16;
        int cols = 8;
        float[] mu = new float[rows * cols];
        float[] sigma = new float[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                sigma[i * cols + j] = (float) (1e-3 * Math.pow(5, i / (rows - 1.0)) * Math.pow(4, j / (cols - 1.0)));
                mu[i * cols + j] = (j % 2 == 0 ? 3 : -3) * sigma[i * cols + j];
            }
        }
        MappingSearch.Choice c = MappingSearch.choose(mu, sigma, cols, m, m.device().devicePreset(), false);
        assertEquals("row-column", c.report().get("scaling"));
        assertEquals(1.0, c.realisableFraction(), c.reason());
        for (int k = 0; k < mu.length; k++) {
            assertEquals(mu[k], c.result().muRealised()[k], 1e-3 * sigma[k]);
            assertEquals(sigma[k], c.result().sigmaRealised()[k], 0.1 * sigma[k]);
        }
        // the conductances are the device's own: the pair difference carries the normalised mean
        CellMapping.Result r = c.result();
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                int k = i * cols + j;
                double w = c.scales().at(i, j);
                assertEquals(mu[k] / w * 40, r.gPlus()[k] - r.gMinus()[k], 1e-3);
            }
        }
        MachineDescription layerOnly = MappingSearchTest.constantLaw(1.0,
                "mapping:\n  search: true\n  replicas: [1, 4]\n  scaling: [layer]\n");
        MappingSearch.Choice l = MappingSearch.choose(mu, sigma, cols, layerOnly, layerOnly.device().devicePreset(), false);
        assertEquals("layer", l.report().get("scaling"));
        assertTrue(l.realisableFraction() < 0.5, "layer scale realises " + l.realisableFraction());
    }

    @Test
    void badScalingKeysAreOneLineErrors() {
        BadInputException s = assertThrows(BadInputException.class,
                () -> MappingSearchTest.constantLaw(1.0, "mapping:\n  search: true\n  scaling: [per-weight]\n"));
        assertEquals("m.yaml: mapping.scaling: unknown 'per-weight'; known: layer, row-column", s.getMessage());
        BadInputException g = assertThrows(BadInputException.class,
                () -> MappingSearchTest.constantLaw(1.0, "mapping:\n  search: true\n  row_gain_min: 2\n"));
        assertEquals("m.yaml: mapping.row_gain_min: must be in [1e-4, 1], got 2.0", g.getMessage());
    }
}
