package org.bmsim.examples.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.bmsim.common.BadInputException;
import org.bmsim.sim.metrics.McPredictions;
import org.bmsim.sim.metrics.UncertaintyMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlotsTest {
    @TempDir
    Path dir;

    /** Values 0, 1, 2, 3, 4 in four bins over [0, 4]: bins [0,1) [1,2) [2,3) [3,4], so 4 joins 3. */
    @Test
    void histogramByHand() {
        Plots.Histogram h = Plots.histogram(new double[] {0, 1, 2, 3, 4, 4}, new byte[] {0, 0, 0, 0, 0, 2}, 4);
        assertArrayEquals(new double[] {0, 1, 2, 3, 4}, h.edges(), 0);
        assertArrayEquals(new double[] {0.2, 0.2, 0.2, 0.4}, h.fraction()[0], 1e-15);
        assertArrayEquals(new double[] {0, 0, 0, 0}, h.fraction()[1], 0);
        assertArrayEquals(new double[] {0, 0, 0, 1}, h.fraction()[2], 0);
        assertArrayEquals(new int[] {5, 0, 1}, h.counts());
        assertThrows(BadInputException.class, () -> Plots.histogram(new double[] {1}, new byte[] {0, 1}, 4));
        assertThrows(BadInputException.class, () -> Plots.histogram(new double[] {Double.NaN}, new byte[] {0}, 4));
    }

    @Test
    void writesReadablePngsWithOneColourPerSubset() throws Exception {
        SplittableRandom r = new SplittableRandom(11);
        int s = 8;
        int n = 300;
        int c = 10;
        float[] probs = new float[s * n * c];
        byte[] subset = new byte[n];
        short[] labels = new short[n];
        for (int i = 0; i < n; i++) {
            subset[i] = (byte) (i % 3);
            labels[i] = (short) (subset[i] == 2 ? -1 : i % c);
        }
        for (int si = 0; si < s; si++) {
            for (int i = 0; i < n; i++) {
                double[] e = new double[c];
                double sum = 0;
                for (int k = 0; k < c; k++) {
                    e[k] = Math.exp((k == i % c ? 6 : 0) + r.nextGaussian() * (0.5 + 2 * subset[i]));
                    sum += e[k];
                }
                for (int k = 0; k < c; k++) {
                    probs[(si * n + i) * c + k] = (float) (e[k] / sum);
                }
            }
        }
        McPredictions p = new McPredictions(s, n, c, probs, labels, subset);
        List<Path> files = Plots.writeUncertaintyHistograms(dir, UncertaintyMetrics.uncertainties(p), subset);
        assertEquals(2, files.size());
        for (Path f : files) {
            BufferedImage img = ImageIO.read(f.toFile());
            assertEquals(Plots.WIDTH, img.getWidth());
            assertEquals(Plots.HEIGHT, img.getHeight());
            // each subset's line colour appears in the picture
            for (int rgb : new int[] {0x1f77b4, 0xff7f0e, 0x2ca02c}) {
                assertTrue(countColour(img, rgb) > 50, f + " lacks colour " + Integer.toHexString(rgb));
            }
        }
        try (var list = Files.list(dir)) {
            assertEquals(2, list.count(), "no temporary files left behind");
        }
    }

    private static int countColour(BufferedImage img, int rgb) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if ((img.getRGB(x, y) & 0xFFFFFF) == rgb) {
                    n++;
                }
            }
        }
        return n;
    }
}
