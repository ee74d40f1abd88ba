package org.bmsim.examples.dirty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Random;
import org.bmsim.common.BadInputException;
import org.bmsim.examples.data.DataCache;
import org.bmsim.examples.data.Datasets;
import org.bmsim.examples.data.RealData;
import org.bmsim.sim.data.FloatSet;
import org.bmsim.sim.data.ImageSet;
import org.junit.jupiter.api.Test;

/** {@link DirtyMnist#heldOut}: which rows it takes, in which order, from where. */
class HeldOutTest {
    static FloatSet set(String name, int clean, int ambiguous, long seed) {
        int n = clean + ambiguous;
        Random r = new Random(seed);
        float[] x = new float[n * 784];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextFloat();
        }
        short[] labels = new short[n];
        byte[] subset = new byte[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (short) (i % 10);
            subset[i] = i < clean ? FloatSet.MNIST : FloatSet.AMBIGUOUS;
        }
        return new FloatSet(name, n, 1, 28, 28, x, labels, subset, null, 10);
    }

    @Test
    void validationDigitsAmbiguousTrainingImagesAndFashionTraining() {
        DataCache cache = RealData.requireSet(Datasets.FASHION);
        FloatSet train = set("train", 3500, 3500, 1);
        FloatSet val = set("val", 1000, 0, 2);
        DirtyMnistLite data = new DirtyMnistLite(train, val, val, new byte[0], new byte[0], List.of(), null);
        FloatSet h = DirtyMnist.heldOut(cache, data);
        assertEquals(1350, h.count());
        assertEquals(500, h.countSubset(FloatSet.MNIST));
        assertEquals(350, h.countSubset(FloatSet.AMBIGUOUS));
        assertEquals(500, h.countSubset(FloatSet.OOD));
        ImageSet fashion = cache.load(Datasets.FASHION, "train");
        for (int p = 0; p < 784; p += 7) {
            assertEquals(val.x()[499 * 784 + p], h.x()[499 * 784 + p]);
            // ambiguous row j is training row 3500 + 10 j
            assertEquals(train.x()[(3500 + 10 * 349) * 784 + p], h.x()[(500 + 349) * 784 + p]);
            assertEquals(FloatSet.normalise(fashion.pixel(0, p)), h.x()[850 * 784 + p]);
            assertEquals(FloatSet.normalise(fashion.pixel(499, p)), h.x()[1349 * 784 + p]);
        }
        assertEquals(train.labels()[3500 + 10], h.labels()[501]);
        assertEquals(-1, h.labels()[850]);
        DirtyMnistLite small = new DirtyMnistLite(train, set("val", 100, 0, 2), val, new byte[0], new byte[0], List.of(),
                null);
        assertThrows(BadInputException.class, () -> DirtyMnist.heldOut(cache, small));
    }
}
