package org.bmsim.examples.dirty;

import java.util.function.Consumer;
import org.bmsim.examples.data.DataCache;
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
}
