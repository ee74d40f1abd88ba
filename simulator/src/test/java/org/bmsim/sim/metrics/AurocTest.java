package org.bmsim.sim.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.bmsim.common.BadInputException;
import org.junit.jupiter.api.Test;

class AurocTest {
    /**
     * Ties by hand. Negatives {0.1, 0.4, 0.4, 0.8}, positives {0.4, 0.9, 0.1}. Pooled and sorted:
     * 0.1 0.1 0.4 0.4 0.4 0.8 0.9 with average ranks 1.5 1.5 4 4 4 6 7. The positives' ranks are
     * 4 + 7 + 1.5 = 12.5, U = 12.5 - 3*4/2 = 6.5, AUROC = 6.5 / (3*4) = 13/24. Pair count check:
     * 0.4 beats 0.1 and ties two 0.4s (2), 0.9 beats all four (4), 0.1 ties one 0.1 (0.5): 6.5.
     */
    @Test
    void tiesByHand() {
        assertEquals(13.0 / 24.0, Auroc.of(new double[] {0.1, 0.4, 0.4, 0.8}, new double[] {0.4, 0.9, 0.1}), 1e-15);
    }

    @Test
    void extremes() {
        assertEquals(1.0, Auroc.of(new double[] {0, 1, 2}, new double[] {3, 4}), 0);
        assertEquals(0.0, Auroc.of(new double[] {3, 4}, new double[] {0, 1, 2}), 0);
        assertEquals(0.5, Auroc.of(new double[] {2, 2, 2}, new double[] {2, 2}), 0);
        // -0.0 and 0.0 are one score; infinities rank at the ends
        assertEquals(0.5, Auroc.of(new double[] {-0.0}, new double[] {0.0}), 0);
        assertEquals(0.75, Auroc.of(new double[] {Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY},
                new double[] {Double.POSITIVE_INFINITY}), 0);
    }

    /** O(n^2) count of the pairs: P(pos > neg) + P(pos == neg) / 2. */
    static double bruteForce(double[] neg, double[] pos) {
        double wins = 0;
        for (double p : pos) {
            for (double n : neg) {
                wins += p > n ? 1 : p == n ? 0.5 : 0;
            }
        }
        return wins / ((double) pos.length * neg.length);
    }

    @Test
    void agreesWithPairCountingOnRandomScoresWithManyTies() {
        SplittableRandom r = new SplittableRandom(20240601L);
        for (int trial = 0; trial < 200; trial++) {
            int nNeg = 1 + r.nextInt(60);
            int nPos = 1 + r.nextInt(60);
            int levels = 1 + r.nextInt(12); // few levels: lots of ties
            double shift = r.nextDouble();
            double[] neg = new double[nNeg];
            double[] pos = new double[nPos];
            for (int i = 0; i < nNeg; i++) {
                neg[i] = r.nextInt(levels) / 4.0;
            }
            for (int i = 0; i < nPos; i++) {
                pos[i] = Math.floor(r.nextInt(levels) + shift * 3) / 4.0;
            }
            assertEquals(bruteForce(neg, pos), Auroc.of(neg, pos), 1e-12, "trial " + trial);
        }
    }

    @Test
    void refusesEmptyAndNaN() {
        assertThrows(BadInputException.class, () -> Auroc.of(new double[0], new double[] {1}));
        assertThrows(BadInputException.class, () -> Auroc.of(new double[] {1}, new double[0]));
        assertThrows(BadInputException.class, () -> Auroc.of(new double[] {Double.NaN}, new double[] {1}));
    }
}
