package org.bmsim.examples.dirty;

import java.util.function.Consumer;
import org.bmsim.common.BadInputException;
import org.bmsim.examples.data.DataCache;
import org.bmsim.examples.data.Datasets;
import org.bmsim.sim.data.FloatSet;
import org.bmsim.sim.data.ImageSet;
import org.bmsim.sim.nn.Parallel;
import org.bmsim.sim.train.PlainTrainer;

/**
 * Dirty-MNIST-lite for the rest of bmsim: the standard recipe with the default teacher, built once
 * into the data cache and loaded from there afterwards ({@code bmsim data build dirty-mnist-lite},
 * {@code bmsim demo}, training and evaluation).
 *
 * <p>The default teacher is the recipe's: a deterministic LeNet-5 ({@link PlainTrainer#lenet5}: ReLU,
 * Adam 1e-3 with cosine decay, batch 128, 15 epochs on the 7,000 MNIST-train digits), trained on all
 * processors; the result does not depend on their number.
 */
public final class DirtyMnist {
    /** Name of the set on the command line. */
    public static final String NAME = "dirty-mnist-lite";

    private DirtyMnist() {
    }

    /** Epochs of each teacher (recipe step 3). */
    public static final int TEACHER_EPOCHS = 15;

    /** The builder with the default teacher. */
    public static DirtyMnistBuilder defaultBuilder(Consumer<String> log) {
        PlainTrainer t = PlainTrainer.lenet5(TEACHER_EPOCHS, Parallel.defaultThreads());
        return new DirtyMnistBuilder(t, t.id(), log);
    }

    /** The standard recipe with {@code seed} (all 10,000 Fashion-MNIST test images if {@code oodAll}), from the cache or built. */
    public static DirtyMnistStore.Cached loadOrBuild(DataCache cache, long seed, boolean oodAll, boolean force,
            Consumer<String> log) {
        DirtyMnistRecipe r = DirtyMnistRecipe.standard(seed);
        if (oodAll) {
            r = r.withAllOod();
        }
        return DirtyMnistStore.loadOrBuild(cache, r, defaultBuilder(log), force, log);
    }

    /** The standard recipe with the default seed 2024. */
    public static DirtyMnistLite load(DataCache cache, Consumer<String> log) {
        return loadOrBuild(cache, DirtyMnistRecipe.DEFAULT_SEED, false, false, log).data();
    }

    /** Clean digits of {@link #heldOut}: the first validation digits. */
    public static final int HELD_OUT_CLEAN = 500;
    /** Ambiguous digits of {@link #heldOut}: the first A-train images, each once. */
    public static final int HELD_OUT_AMBIGUOUS = 350;
    /** Out-of-distribution images of {@link #heldOut}: the first Fashion-MNIST training images. */
    public static final int HELD_OUT_OOD = 500;

    /**
     * A calibration set that no test row comes from, with all three kinds of input: the first 500
     * validation digits (never trained on), the first 350 ambiguous training images (row 10 j of the
     * ambiguous block of {@code data.train()}: image j with its first label and its own noise), and the
     * first 500 images of Fashion-MNIST's training split (the test set's out-of-distribution rows come
     * from its test split). Used to calibrate quantizer settings against the float network
     * ({@link org.bmsim.sim.quant.SubLsbGain}).
     */
    public static FloatSet heldOut(DataCache cache, DirtyMnistLite data) {
        FloatSet val = data.val();
        FloatSet train = data.train();
        int ambiguousFrom = train.count() / 2;
        if (val.count() < HELD_OUT_CLEAN || train.count() - ambiguousFrom < 10 * HELD_OUT_AMBIGUOUS
                || train.subset()[ambiguousFrom] != FloatSet.AMBIGUOUS) {
            throw new BadInputException("Dirty-MNIST-lite: too few validation or ambiguous training rows for the held-out set");
        }
        ImageSet fashion = cache.load(Datasets.FASHION, "train");
        if (fashion.count() < HELD_OUT_OOD || fashion.imageSize() != val.imageSize()) {
            throw new BadInputException(fashion.name() + ": fewer than " + HELD_OUT_OOD + " images of " + val.imageSize()
                    + " pixels");
        }
        int is = val.imageSize();
        int n = HELD_OUT_CLEAN + HELD_OUT_AMBIGUOUS + HELD_OUT_OOD;
        float[] x = new float[n * is];
        short[] labels = new short[n];
        byte[] subset = new byte[n];
        int r = 0;
        for (int i = 0; i < HELD_OUT_CLEAN; i++, r++) {
            System.arraycopy(val.x(), i * is, x, r * is, is);
            labels[r] = val.labels()[i];
            subset[r] = FloatSet.MNIST;
        }
        for (int j = 0; j < HELD_OUT_AMBIGUOUS; j++, r++) {
            int i = ambiguousFrom + 10 * j;
            System.arraycopy(train.x(), i * is, x, r * is, is);
            labels[r] = train.labels()[i];
            subset[r] = FloatSet.AMBIGUOUS;
        }
        for (int j = 0; j < HELD_OUT_OOD; j++, r++) {
            for (int p = 0; p < is; p++) {
                x[r * is + p] = FloatSet.normalise(fashion.pixel(j, p));
            }
            labels[r] = -1;
            subset[r] = FloatSet.OOD;
        }
        return new FloatSet(NAME + "/held-out", n, val.channels(), val.rows(), val.cols(), x, labels, subset, null,
                val.classes());
    }
}
