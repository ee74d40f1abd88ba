package org.bmsim.examples.train;

import java.io.PrintStream;
import java.nio.file.Path;
import org.bmsim.examples.data.DataCache;
import org.bmsim.sim.data.FloatSet;
import org.bmsim.sim.train.TrainConfig;

/**
 * The child process of {@link TrainKillResumeTest}: a training run as {@code bmsim train --resume}
 * does it ({@link TrainRun#run} with {@link TrainRun#AUTO}), on real MNIST digits so that it needs
 * only the fetched data. Arguments: the model file, the epochs, the threads.
 */
public final class KillableTraining {
    private KillableTraining() {
    }

    /** The training rows of the test: 3,000 digits of every class. */
    static FloatSet rows(DataCache cache) {
        return TrainRunTest.digits(cache.load("mnist", "all"), 1, 3000, 3);
    }

    static TrainConfig config(int epochs) {
        return TrainConfig.reference("lenet5", epochs, 17);
    }

    public static void main(String[] args) {
        Path out = Path.of(args[0]);
        int epochs = Integer.parseInt(args[1]);
        int threads = Integer.parseInt(args[2]);
        PrintStream log = System.err;
        TrainRun.run(rows(DataCache.fromEnvironment()), config(epochs), threads, out, TrainRun.AUTO, log, false);
    }
}
