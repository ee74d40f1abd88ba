package org.bmsim.sim.nn;

import org.bmsim.sim.data.FloatSet;

/** Trains a classifier on a labelled set; the same seed gives the same classifier, bit for bit. */
@FunctionalInterface
public interface ClassifierTrainer {
    Classifier train(FloatSet train, long seed);
}
