package org.bmsim.examples.dirty;

import java.util.function.Consumer;
import org.bmsim.examples.data.DataCache;

/**
 * Dirty-MNIST-lite for the rest of bmsim: the standard recipe with the default teacher, built once
 * into the data cache and loaded from there afterwards ({@code bmsim data build dirty-mnist-lite},
 * {@code bmsim demo}, training and evaluation).
 *
 * <p>The default teacher is, for now, {@link MlpTeacherTrainer#standard()}; the recipe's
 * deterministic LeNet-5 replaces it here (one line) once the network core provides it.
 */
public final class DirtyMnist {
    /** Name of the set on the command line. */
    public static final String NAME = "dirty-mnist-lite";

    private DirtyMnist() {
    }

    /** The builder with the default teacher. */
    public static DirtyMnistBuilder defaultBuilder(Consumer<String> log) {
        MlpTeacherTrainer t = MlpTeacherTrainer.standard();
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
