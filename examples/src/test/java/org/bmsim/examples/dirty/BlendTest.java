package org.bmsim.examples.dirty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class BlendTest {
    /** One lit pixel at (3, 5): its centroid is (3, 5), so the shift is (+11, +9) and it lands on (14, 14). */
    @Test
    void singlePixelMovesToTheCentre() {
        byte[] img = new byte[28 * 28];
        img[3 * 28 + 5] = (byte) 255;
        assertArrayEquals(new double[] {3, 5}, Blend.centroid(img, 0, 28, 28), 0);
        double[] c = Blend.centred(img, 0, 28, 28);
        assertEquals(1.0, c[14 * 28 + 14], 0);
        double sum = 0;
        for (double v : c) {
            sum += v;
        }
        assertEquals(1.0, sum, 0);
    }

    /**
     * Two pixels (0, 0) = 100 and (0, 3) = 200: centroid row 0, column (0*100 + 3*200) / 300 = 2;
     * shift (+14, +12), so they land on (14, 12) and (14, 15). A pixel pushed past the edge is dropped.
     */
    @Test
    void weightedCentroidAndClipping() {
        byte[] img = new byte[28 * 28];
        img[0] = 100;
        img[3] = (byte) 200;
        assertArrayEquals(new double[] {0, 2}, Blend.centroid(img, 0, 28, 28), 1e-15);
        double[] c = Blend.centred(img, 0, 28, 28);
        assertEquals(100 / 255.0, c[14 * 28 + 12], 0);
        assertEquals(200 / 255.0, c[14 * 28 + 15], 0);
        // a wide image whose centroid is far left: the rightmost column falls off the edge
        byte[] wide = new byte[28 * 28];
        wide[27] = 1;
        wide[28 * 1] = (byte) 255;
        wide[28 * 2] = (byte) 255;
        // centroid column = 27 * 1 / 511 = 0.0528 -> shift round(13.947) = 14; row (1*255+2*255)/511 = 1.497 -> shift 13
        double[] w = Blend.centred(wide, 0, 28, 28);
        assertEquals(1.0, w[14 * 28 + 14], 0);
        assertEquals(1.0, w[15 * 28 + 14], 0);
        double sum = 0;
        for (double v : w) {
            sum += v;
        }
        assertEquals(2.0, sum, 0, "the pixel at column 27 + 14 is dropped");
    }

    /**
     * Blend by hand with l = 0.4 over three pixels: a = (1, 0.5, 0), b = (0, 1, 0.2):
     * x = (0.4, 0.2 + 0.6, 0.12) = (0.4, 0.8, 0.12); peak 0.8; x / peak = (0.5, 1, 0.15);
     * 255 x = (127.5, 255, 38.25) rounds (halves up) to (128, 255, 38).
     */
    @Test
    void blendRenormalisesAndRoundsByHand() {
        byte[] out = Blend.blend(new double[] {1, 0.5, 0}, new double[] {0, 1, 0.2}, 0.4);
        assertEquals(128, out[0] & 0xFF);
        assertEquals(255, out[1] & 0xFF);
        assertEquals(38, out[2] & 0xFF);
        assertArrayEquals(new byte[3], Blend.blend(new double[3], new double[3], 0.5));
    }
}
