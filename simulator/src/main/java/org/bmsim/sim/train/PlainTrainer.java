package org.bmsim.sim.train;

import java.util.Objects;
import org.bmsim.sim.data.FloatSet;
import org.bmsim.sim.nn.Classifier;
import org.bmsim.sim.nn.ClassifierTrainer;
import org.bmsim.sim.nn.NetworkClassifier;
import org.bmsim.sim.nn.Parallel;

/**
 * Trains a deterministic (non-Bayesian) network, by default LeNet-5 with ReLU, Adam 1e-3 with cosine
 * decay, batch 128: the teachers of the Dirty-MNIST builder (15 epochs on 7,000 digits each). The
 * seed given to {@link #train} replaces the configuration's; the result does not depend on the
 * thread count.
 */
public final class PlainTrainer implements ClassifierTrainer {
    private final TrainConfig config;
    private final int threads;

    private PlainTrainer(TrainConfig config, int threads) {
        this.config = config;
        this.threads = threads;
    }

    /** Deterministic LeNet-5 for {@code epochs} epochs on {@code threads} threads. */
    public static PlainTrainer lenet5(int epochs, int threads) {
        return of(TrainConfig.deterministic("lenet5", epochs, 0), threads);
    }

    public static PlainTrainer of(TrainConfig config, int threads) {
        Objects.requireNonNull(config);
        if (config.bayesian()) {
            throw new IllegalArgumentException("PlainTrainer trains deterministic networks");
        }
        return new PlainTrainer(config, Parallel.checkThreads(threads));
    }

    public TrainConfig config() {
        return config;
    }

    /** What this trainer is, for data-set summaries and cache keys (the thread count is not part of it). */
    public String id() {
        return config.arch() + "-" + config.activation().id() + "/adam-" + config.lr()
                + (config.cosine() ? "-cosine" : "-constant") + "/batch-" + config.batch() + "/epochs-" + config.epochs()
                + "/bmsim-nn-v1";
    }

    @Override
    public Classifier train(FloatSet train, long seed) {
        TrainConfig c = TrainConfig.of(config.arch(), config.activation(), false, config.sigmaTransform(),
                config.epochs(), config.batch(), config.lr(), config.cosine(), 0f, config.priorSigma(), config.rhoInit(),
                seed);
        try (Parallel par = Parallel.of(threads)) {
            return new NetworkClassifier(BayesByBackprop.train(train, c, BayesByBackprop.start(c), par, null, null).net(),
                    threads);
        }
    }
}
