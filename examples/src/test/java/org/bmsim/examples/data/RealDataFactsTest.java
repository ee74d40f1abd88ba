package org.bmsim.examples.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.bmsim.sim.data.ImageSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Known facts of the real data, computed independently (Python's gzip and json modules on the
 * package files): counts, first labels, class counts and pixel sums.
 */
class RealDataFactsTest {
    private DataCache cache;

    @BeforeEach
    void cache() {
        RealData.requireSet(Datasets.MNIST);
        cache = RealData.requireSet(Datasets.FASHION);
    }

    @Test
    void fashionMnistTrainAndTest() {
        ImageSet train = cache.load(Datasets.FASHION, "train");
        assertEquals(60_000, train.count());
        assertEquals(28, train.rows());
        assertEquals(28, train.cols());
        assertArrayEquals(new int[] {9, 0, 0, 3, 0, 2, 7, 2, 5, 5}, firstLabels(train, 10));
        assertEquals(76_247, firstImageSum(train));
        assertEquals(3_431_114_169L, train.pixelSum());
        int[] six = new int[10];
        Arrays.fill(six, 6000);
        assertArrayEquals(six, train.classCounts(10));

        ImageSet test = cache.load(Datasets.FASHION, "test");
        assertEquals(10_000, test.count());
        assertArrayEquals(new int[] {9, 2, 1, 1, 6, 1, 4, 6, 5, 7}, firstLabels(test, 10));
        assertEquals(33_456, firstImageSum(test));
        assertEquals(573_469_082L, test.pixelSum());
    }

    @Test
    void mnistNpmDigits() {
        ImageSet all = cache.load(Datasets.MNIST, "all");
        assertEquals(10_000, all.count());
        assertEquals(28, all.rows());
        assertArrayEquals(new int[] {1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978}, all.classCounts(10));
        assertEquals(0, all.label(0));
        assertEquals(9, all.label(9_999));
        assertEquals(31_095, firstImageSum(all));
        assertEquals(262_146_600L, all.pixelSum());
    }

    private static int[] firstLabels(ImageSet s, int n) {
        int[] l = new int[n];
        for (int i = 0; i < n; i++) {
            l[i] = s.label(i);
        }
        return l;
    }

    private static long firstImageSum(ImageSet s) {
        long sum = 0;
        for (int p = 0; p < s.imageSize(); p++) {
            sum += s.pixel(0, p);
        }
        return sum;
    }
}
