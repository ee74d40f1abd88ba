package org.bmsim.examples.dirty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;
import org.bmsim.common.BadInputException;
import org.bmsim.examples.data.DataCache;
import org.bmsim.examples.data.RealData;
import org.bmsim.sim.data.FloatSet;
import org.bmsim.sim.data.ImageSet;
import org.bmsim.sim.io.Npy;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The builder on the real digits with a small recipe (1,000 train / 100 val / 300 test digits,
 * 4,000 candidates per split, 50 + 25 ambiguous images) and a real but fast teacher: softmax
 * regression trained for 2 epochs.
 */
class DirtyMnistBuilderTest {
    private static final SoftmaxRegressionTrainer TEACHER = new SoftmaxRegressionTrainer(2, 0.01f);

    @TempDir
    Path dir;

    private DataCache cache;
    private ImageSet mnist;
    private ImageSet fashion;

    static DirtyMnistRecipe small(long seed) {
        return new DirtyMnistRecipe(seed, 1000, 100, 300, 4000, 50, 25, 10, 3, 0.3, 1.6, 0.05, 5, 0.15, 0.3, 0.7,
                0.05, 200);
    }

    @BeforeEach
    void data() {
        cache = RealData.requireSet("mnist");
        RealData.requireSet("fashion-mnist");
        mnist = cache.load("mnist", "all");
        fashion = cache.load("fashion-mnist", "test");
    }

    private DirtyMnistLite build(DirtyMnistRecipe r, int threads) throws Exception {
        DirtyMnistBuilder b = new DirtyMnistBuilder(TEACHER, TEACHER.id(), m -> { });
        ForkJoinPool pool = new ForkJoinPool(threads);
        try {
            return pool.submit(() -> b.build(r, mnist, fashion)).get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw e;
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void splitIsStratifiedDisjointAndSeeded() {
        DirtyMnistBuilder.Split s = DirtyMnistBuilder.split(mnist, DirtyMnistRecipe.standard(2024));
        assertEquals(7000, s.train().length);
        assertEquals(1000, s.val().length);
        assertEquals(2000, s.test().length);
        Set<Integer> all = new HashSet<>();
        for (int[] part : List.of(s.train(), s.val(), s.test())) {
            for (int i : part) {
                assertTrue(all.add(i), "index " + i + " in two splits");
            }
        }
        int[] total = mnist.classCounts(10);
        for (int[] part : List.of(s.train(), s.val(), s.test())) {
            int[] n = new int[10];
            for (int i : part) {
                n[mnist.label(i)]++;
            }
            for (int c = 0; c < 10; c++) {
                double expected = (double) total[c] * part.length / mnist.count();
                assertEquals(expected, n[c], 1.0, "class " + c + " in a split of " + part.length);
            }
        }
        assertArrayEquals(s.test(), DirtyMnistBuilder.split(mnist, DirtyMnistRecipe.standard(2024)).test());
        assertFalse(java.util.Arrays.equals(s.test(), DirtyMnistBuilder.split(mnist, DirtyMnistRecipe.standard(7)).test()));
    }

    @Test
    void smallBuildFollowsTheRecipeAndIsBitIdenticalAtOneAndTwoThreads() throws Exception {
        DirtyMnistRecipe r = small(2024);
        DirtyMnistLite one = build(r, 1);
        DirtyMnistLite two = build(r, 2);
        assertArrayEquals(one.train().x(), two.train().x());
        assertArrayEquals(one.train().labels(), two.train().labels());
        assertArrayEquals(one.test().x(), two.test().x());
        assertArrayEquals(one.test().softLabels(), two.test().softLabels());
        assertArrayEquals(one.ambiguousTrainImages(), two.ambiguousTrainImages());

        DirtyMnistSummary s = one.summary();
        assertEquals(1000 + 500, one.train().count());
        assertEquals(1000, one.train().countSubset(FloatSet.MNIST));
        assertEquals(500, one.train().countSubset(FloatSet.AMBIGUOUS));
        assertEquals(100, one.val().count());
        assertEquals(300, one.test().countSubset(FloatSet.MNIST));
        assertEquals(25, one.test().countSubset(FloatSet.AMBIGUOUS));
        assertEquals(200, one.test().countSubset(FloatSet.OOD));
        assertEquals(List.of(10, 10, 10, 10, 10), s.accepted().get("train"));
        assertEquals(List.of(5, 5, 5, 5, 5), s.accepted().get("test"));
        for (double a : s.teacherTestAccuracy()) {
            assertTrue(a > 0.75, "a trained softmax regression beats 75% on held-out digits: " + a);
        }
        double high = s.entropyEdges().get(5);
        assertTrue(high <= 1.6 && high > 0.3);

        // every ambiguous image passed the filters, sources are unique, pairs are confusable pairs
        Set<Long> sources = new HashSet<>();
        for (DirtyMnistLite.AmbiguousImage a : one.ambiguous()) {
            assertTrue(a.mutualInfo() <= 0.15 && a.entropy() >= 0.3 && a.entropy() <= high + 1e-12, a.toString());
            assertTrue(a.lambda() >= 0.3 && a.lambda() < 0.7);
            assertTrue(sources.add((long) Math.min(a.sourceA(), a.sourceB()) << 32 | Math.max(a.sourceA(), a.sourceB())));
            assertTrue(DirtyMnistRecipe.PAIRS.stream().anyMatch(p -> p[0] == a.classA() && p[1] == a.classB()));
            assertEquals(mnist.label(a.sourceA()), a.classA());
            assertEquals(mnist.label(a.sourceB()), a.classB());
        }
        // ambiguous train rows: 10 per image, same soft label, drawn labels among likely classes, own noise
        int base = 1000;
        for (int j = 0; j < 50; j++) {
            for (int k = 0; k < 10; k++) {
                int row = base + j * 10 + k;
                int label = one.train().labels()[row];
                assertTrue(one.train().softLabels()[row * 10 + label] > 0, "drawn label has probability > 0");
                assertEquals(one.train().softLabels()[base * 10 + j * 100], one.train().softLabels()[row * 10], 0);
            }
            // noise: two rows of the same image differ, but stay close to the clean normalised blend
            int r0 = base + j * 10;
            float d = 0;
            for (int p = 0; p < 784; p++) {
                float clean = FloatSet.normalise(one.ambiguousTrainImages()[j * 784 + p] & 0xFF);
                d = Math.max(d, Math.abs(one.train().x()[r0 * 784 + p] - clean));
            }
            assertTrue(d > 0.05 && d < 0.05 * 6, "noise of sd 0.05: max |dev| over 784 pixels " + d);
            assertNotEquals(one.train().x()[r0 * 784 + 400], one.train().x()[(r0 + 1) * 784 + 400]);
        }
        // ambiguous test rows: label = argmax of the soft label; OOD rows: no label, zero soft label
        for (int j = 0; j < 25; j++) {
            int row = 300 + j;
            int arg = 0;
            for (int c = 1; c < 10; c++) {
                if (one.test().softLabels()[row * 10 + c] > one.test().softLabels()[row * 10 + arg]) {
                    arg = c;
                }
            }
            assertEquals(arg, one.test().labels()[row]);
        }
        assertEquals(-1, one.test().labels()[325]);
        assertEquals(0f, one.test().softLabels()[325 * 10 + 3]);
        // the summary prints
        String table = s.table();
        assertTrue(table.contains("A-train") && table.contains("entropy range used"), table);

        // another seed gives another data set
        assertFalse(java.util.Arrays.equals(one.ambiguousTestImages(), build(small(7), 2).ambiguousTestImages()));
    }

    @Test
    void cacheRoundTripsChecksumsAndHitsOnTheSecondRun() throws Exception {
        DataCache out = DataCache.at(dir);
        // the sources come from the real cache: copy its manifest and point it at the real files
        Files.createDirectories(dir);
        String manifest = Files.readString(cache.root().resolve("manifest.json"));
        for (String set : List.of("mnist", "fashion-mnist")) {
            Files.createSymbolicLink(dir.resolve(set), cache.root().resolve(set));
        }
        Files.writeString(dir.resolve("manifest.json"), manifest);
        DirtyMnistBuilder b = new DirtyMnistBuilder(TEACHER, TEACHER.id(), m -> { });
        DirtyMnistStore.Cached first = DirtyMnistStore.loadOrBuild(out, small(11), b, false, m -> { });
        assertTrue(first.built());
        DirtyMnistStore.Cached second = DirtyMnistStore.loadOrBuild(out, small(11), b, false, m -> { });
        assertFalse(second.built());
        assertEquals(first.dir(), second.dir());
        assertArrayEquals(first.data().train().x(), second.data().train().x());
        assertArrayEquals(first.data().test().labels(), second.data().test().labels());
        assertArrayEquals(first.data().test().subset(), second.data().test().subset());
        assertArrayEquals(first.data().val().softLabels(), second.data().val().softLabels());
        assertEquals(first.data().ambiguous(), second.data().ambiguous());
        assertEquals(first.data().summary(), second.data().summary());
        Npy.Array x = Npy.read(first.dir().resolve("test-x.npy"));
        assertArrayEquals(new int[] {525, 1, 28, 28}, x.shape());
        // a different seed is a different folder
        assertNotEquals(first.dir(), DirtyMnistStore.loadOrBuild(out, small(12), b, false, m -> { }).dir());
        // damage is detected
        byte[] labels = Files.readAllBytes(first.dir().resolve("test-labels.npy"));
        labels[labels.length - 1] ^= 1;
        Files.write(first.dir().resolve("test-labels.npy"), labels);
        BadInputException e = assertThrows(BadInputException.class, () -> DirtyMnistStore.load(first.dir()));
        assertTrue(e.getMessage().contains("--force"), e.getMessage());
        assertTrue(DirtyMnistStore.loadOrBuild(out, small(11), b, true, m -> { }).built());
        DirtyMnistStore.load(first.dir());
    }

    @Test
    void tooFewCandidatesIsAOneLineError() {
        DirtyMnistRecipe r = new DirtyMnistRecipe(1, 1000, 100, 300, 50, 50, 25, 10, 1, 0.3, 1.6, 0.05, 5, 0.15, 0.3,
                0.7, 0.05, 200);
        BadInputException e = assertThrows(BadInputException.class, () -> build(r, 1));
        assertTrue(e.getMessage().contains("raise the candidate count"), e.getMessage());
    }
}
