package org.bmsim.calib.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The family selection with a scale per device ({@link ReadNoiseFamily#selectionFit}). */
class ReadNoiseFamilyTest {
    /** Hand case: device 1 reads {1, -1}, device 2 reads {2, -2}. */
    @Test
    void perDeviceScalesByHand() {
        double[] x = {1, -1, 2, -2};
        int[] starts = {0, 2, 4};
        // gaussian: s_1^2 = 1, s_2^2 = 4: ln L = -(ln(2 pi) + 1) - (ln(8 pi) + 1)
        double g = -(Math.log(2 * Math.PI) + 1) - (Math.log(8 * Math.PI) + 1);
        assertEquals(g, ReadNoiseFamily.GAUSSIAN.selectionFit(x, starts).logLikelihood(), 1e-12);
        // laplace: b_1 = 1, b_2 = 2: ln L = -2 (ln 2 + 1) - 2 (ln 4 + 1)
        double l = -2 * (Math.log(2) + 1) - 2 * (Math.log(4) + 1);
        assertEquals(l, ReadNoiseFamily.LAPLACE.selectionFit(x, starts).logLikelihood(), 1e-12);
        // BIC counts the two device scales: 2 ln 4 - 2 ln L
        assertEquals(2 * Math.log(4) - 2 * g, ReadNoiseFamily.GAUSSIAN.selectionFit(x, starts).bic(), 1e-12);
    }

    /**
     * 300 devices x 100 reads, each Gaussian (or Laplace) with its own scale, log-normally spread by 30%:
     * pooled, the residuals are a scale mixture (kurtosis about 3.9 for the Gaussians), which the one-scale
     * fit gives to student-t; with a scale per device the true family wins. The BIC gaps at 30,000 reads
     * are tens to thousands of units (a 10-unit gap is odds of e^5 = 150 to 1), so with the fixed seed a
     * wrong choice would be a property of the method, not chance.
     */
    @Test
    void aScaleMixtureOfGaussiansIsGaussianPerDevice() {
        for (ReadNoiseFamily truth : new ReadNoiseFamily[] {ReadNoiseFamily.GAUSSIAN, ReadNoiseFamily.LAPLACE}) {
            Random rng = new Random(42);
            int devices = 300;
            int reads = 100;
            double[] x = new double[devices * reads];
            int[] starts = new int[devices + 1];
            for (int d = 0; d < devices; d++) {
                starts[d + 1] = starts[d] + reads;
                double scale = Math.exp(0.3 * rng.nextGaussian());
                for (int r = 0; r < reads; r++) {
                    double e = truth == ReadNoiseFamily.GAUSSIAN ? rng.nextGaussian()
                            : -Math.log(1 - rng.nextDouble()) * (rng.nextBoolean() ? 1 : -1);
                    x[d * reads + r] = scale * e;
                }
            }
            ReadNoiseFamily pooled = null;
            ReadNoiseFamily perDevice = null;
            double bp = Double.POSITIVE_INFINITY;
            double bd = Double.POSITIVE_INFINITY;
            for (ReadNoiseFamily f : ReadNoiseFamily.values()) {
                double b1 = f.fit(x, 0, x.length).bic();
                double b2 = f.selectionFit(x, starts).bic();
                if (b1 < bp) {
                    bp = b1;
                    pooled = f;
                }
                if (b2 < bd) {
                    bd = b2;
                    perDevice = f;
                }
            }
            assertEquals(truth, perDevice);
            if (truth == ReadNoiseFamily.GAUSSIAN) {
                assertEquals(ReadNoiseFamily.STUDENT_T, pooled);
            }
        }
    }
}
