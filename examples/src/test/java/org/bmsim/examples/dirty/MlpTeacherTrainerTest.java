package org.bmsim.examples.dirty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ForkJoinPool;
import org.bmsim.examples.data.DataCache;
import org.bmsim.examples.data.RealData;
import org.bmsim.sim.data.FloatSet;
import org.bmsim.sim.data.ImageSet;
import org.bmsim.sim.metrics.McPredictions;
import org.bmsim.sim.metrics.UncertaintyMetrics;
import org.bmsim.sim.nn.Classifier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The interim MLP teacher on 1,500 real digits: it learns, and it is bit-identical at 1 and 2 threads. */
class MlpTeacherTrainerTest {
    private ImageSet mnist;

    @BeforeEach
    void data() {
        DataCache c = RealData.requireSet("mnist");
        mnist = c.load("mnist", "all");
    }

    @Test
    void learnsAndIsBitIdenticalAtAnyThreadCount() throws Exception {
        DirtyMnistBuilder.Split s = DirtyMnistBuilder.split(mnist, new DirtyMnistRecipe(5, 1000, 0, 500, 10, 5, 5, 1,
                1, 0.3, 1.6, 0.05, 5, 0.15, 0.3, 0.7, 0.05, 10));
        FloatSet train = DirtyMnistBuilder.mnistRows("train", mnist, s.train());
        FloatSet test = DirtyMnistBuilder.mnistRows("test", mnist, s.test());
        MlpTeacherTrainer t = new MlpTeacherTrainer(32, 4, 32, 0.05, 0.9);
        float[][] probs = new float[2][];
        for (int threads = 1; threads <= 2; threads++) {
            ForkJoinPool pool = new ForkJoinPool(threads);
            try {
                Classifier c = pool.submit(() -> t.train(train, 99)).get();
                probs[threads - 1] = pool.submit(() -> c.predictProbabilities(test.x(), test.count())).get();
            } finally {
                pool.shutdown();
            }
        }
        assertArrayEquals(probs[0], probs[1]);
        double acc = UncertaintyMetrics.report(new McPredictions(1, test.count(), 10, probs[0], test.labels(),
                test.subset())).accuracy();
        // 1,000 training digits, 4 epochs: a working MLP reaches about 90%; an untrained one 10%
        assertTrue(acc > 0.85, "held-out accuracy " + acc);
        assertEquals(10, t.train(train, 99).classes());
    }
}
