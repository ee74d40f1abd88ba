package org.bmsim.examples.sweep;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Pareto fronts of two objectives, both minimised: the points no other point beats in both (at
 * least as good in each and strictly better in one). Sort by the first objective (ties by the
 * second) and keep each point whose second objective is below every one before it: O(n log n)
 * (Kung, Luccio and Preparata, "On finding the maxima of a set of vectors", JACM 1975).
 */
public final class Pareto {
    private Pareto() {
    }

    /** Indices of the non-dominated points of (x[i], y[i]), in increasing x; NaN points never belong. */
    public static List<Integer> front(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("x and y differ in length");
        }
        Integer[] order = new Integer[x.length];
        int n = 0;
        for (int i = 0; i < x.length; i++) {
            if (!Double.isNaN(x[i]) && !Double.isNaN(y[i])) {
                order[n++] = i;
            }
        }
        Integer[] o = Arrays.copyOf(order, n);
        Arrays.sort(o, Comparator.<Integer>comparingDouble(i -> x[i]).thenComparingDouble(i -> y[i]));
        List<Integer> front = new ArrayList<>();
        double best = Double.POSITIVE_INFINITY;
        for (int i : o) {
            if (y[i] < best) {
                front.add(i);
                best = y[i];
            }
        }
        return front;
    }

    /** Whether a dominates b (minimisation in every coordinate). */
    public static boolean dominates(double[] a, double[] b) {
        boolean strict = false;
        for (int k = 0; k < a.length; k++) {
            if (a[k] > b[k]) {
                return false;
            }
            strict |= a[k] < b[k];
        }
        return strict;
    }
}
