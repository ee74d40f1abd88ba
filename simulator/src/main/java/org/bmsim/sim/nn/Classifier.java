package org.bmsim.sim.nn;

/** Anything that maps images to class probabilities: a trained network, a teacher, an ensemble. */
public interface Classifier {
    /** Number of classes. */
    int classes();

    /**
     * Class probabilities of {@code n} images laid out as in {@link org.bmsim.sim.data.FloatSet#x()}:
     * returns {@code n * classes()} values, each row summing to 1.
     */
    float[] predictProbabilities(float[] x, int n);
}
