package org.bmsim.examples.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The O(n log n) Pareto front against a hand-computed case and against the O(n^2) definition. */
class ParetoTest {
    @Test
    void handComputed() {
        double[] x = {1, 2, 3, 4, 2, 5};
        double[] y = {5, 3, 4, 1, 3.5, 1};
        // (1,5) (2,3) (4,1) are on the front; (3,4) by (2,3); (2,3.5) by (2,3); (5,1) by (4,1)
        assertEquals(List.of(0, 1, 3), Pareto.front(x, y));
    }

    @Test
    void matchesTheDefinition() {
        Random r = new Random(5);
        for (int t = 0; t < 50; t++) {
            int n = 1 + r.nextInt(60);
            double[] x = new double[n];
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = r.nextInt(10);
                y[i] = r.nextInt(10);
            }
            List<Integer> brute = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                boolean dominated = false;
                boolean duplicateBefore = false;
                for (int j = 0; j < n; j++) {
                    dominated |= Pareto.dominates(new double[] {x[j], y[j]}, new double[] {x[i], y[i]});
                    duplicateBefore |= j != i && x[j] == x[i] && y[j] == y[i] && j < i;
                }
                if (!dominated && !duplicateBefore) {
                    brute.add(i);
                }
            }
            List<Integer> fast = new ArrayList<>(Pareto.front(x, y));
            fast.sort(null);
            assertEquals(brute, fast);
        }
    }
}
