package org.bmsim.calib;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.apache.commons.math3.fitting.PolynomialCurveFitter;
import org.apache.commons.math3.fitting.WeightedObservedPoints;
import org.bmsim.common.BadInputException;
import org.junit.jupiter.api.Test;

class PolynomialFitTest {
    @Test
    void handComputedLine() {
        // Points (0,1), (1,3), (2,5): exactly y = 1 + 2x.
        double[] c = PolynomialFit.fit(new double[] {0, 1, 2}, new double[] {1, 3, 5}, 1);
        assertArrayEquals(new double[] {1, 2}, c, 1e-12);
        // Points (0,0), (1,1), (2,1): least squares line is y = 1/6 + x/2 (hand-solved normal equations).
        c = PolynomialFit.fit(new double[] {0, 1, 2}, new double[] {0, 1, 1}, 1);
        assertArrayEquals(new double[] {1.0 / 6, 0.5}, c, 1e-12);
    }

    @Test
    void recoversJoshiProgrammingNoiseCurve() {
        // sigma_prog(g_r) = 0.26348 + 1.9650 g_r - 1.1731 g_r^2 (Joshi et al. 2020), sampled without noise.
        double[] x = new double[11];
        double[] y = new double[11];
        for (int i = 0; i < x.length; i++) {
            x[i] = i / 10.0;
            y[i] = 0.26348 + 1.9650 * x[i] - 1.1731 * x[i] * x[i];
        }
        assertArrayEquals(new double[] {0.26348, 1.9650, -1.1731}, PolynomialFit.fit(x, y, 2), 1e-10);
    }

    @Test
    void agreesWithCommonsMathOnNoisyCubic() {
        // The Wan et al. 2022 RRAM cubic over 0..39 uS with added noise: two solvers, one answer.
        SplittableRandom r = new SplittableRandom(7);
        double[] x = new double[200];
        double[] y = new double[200];
        WeightedObservedPoints pts = new WeightedObservedPoints();
        for (int i = 0; i < x.length; i++) {
            x[i] = 39.26 * r.nextDouble();
            y[i] = 1.536e-4 * Math.pow(x[i], 3) - 1.167e-2 * x[i] * x[i] + 0.2374 * x[i] + 1.053
                    + 0.05 * (r.nextDouble() - 0.5);
            pts.add(x[i], y[i]);
        }
        double[] ours = PolynomialFit.fit(x, y, 3);
        double[] theirs = PolynomialCurveFitter.create(3).fit(pts.toList());
        for (int j = 0; j < 4; j++) {
            assertEquals(theirs[j], ours[j], 1e-6 * Math.max(1, Math.abs(theirs[j])), "c" + j);
        }
        assertEquals(PolynomialFit.evaluate(theirs, 20.0), PolynomialFit.evaluate(ours, 20.0), 1e-9);
    }

    @Test
    void refusesBadInput() {
        assertThrows(BadInputException.class, () -> PolynomialFit.fit(new double[] {1}, new double[] {1, 2}, 1));
        assertThrows(BadInputException.class, () -> PolynomialFit.fit(new double[] {1, 2}, new double[] {1, 2}, 2));
        assertThrows(BadInputException.class,
                () -> PolynomialFit.fit(new double[] {1, Double.NaN, 3}, new double[] {1, 2, 3}, 1));
        assertThrows(BadInputException.class, () -> PolynomialFit.fit(new double[] {1, 1, 1}, new double[] {1, 2, 3}, 1));
    }
}
