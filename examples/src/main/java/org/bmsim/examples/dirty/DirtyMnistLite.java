package org.bmsim.examples.dirty;

import java.util.List;
import org.bmsim.sim.data.FloatSet;

/**
 * A built Dirty-MNIST-lite: the three sets a network sees, the ambiguous images as 8-bit pixels
 * (before normalisation and noise) with where each came from, and the build summary.
 *
 * @param train                  7,000 MNIST rows then 7,000 ambiguous rows (700 images x 10 drawn
 *                               labels, row 10 j + k is image j with its k-th label and its own noise);
 *                               soft labels: one-hot for MNIST, the teacher ensemble's mean for ambiguous
 * @param val                    1,000 MNIST rows
 * @param test                   2,000 MNIST, then 400 ambiguous (label = argmax of the soft label),
 *                               then the OOD rows (label -1, soft label all zeros)
 * @param ambiguousTrainImages   A-train pixels, 700 x 784, 0..255
 * @param ambiguousTestImages    A-test pixels, 400 x 784
 * @param ambiguous              one entry per A-train then A-test image
 * @param summary                what the build did
 */
public record DirtyMnistLite(FloatSet train, FloatSet val, FloatSet test, byte[] ambiguousTrainImages,
        byte[] ambiguousTestImages, List<AmbiguousImage> ambiguous, DirtyMnistSummary summary) {

    /**
     * Where an ambiguous image came from.
     *
     * @param split      {@code train} (A-train) or {@code test} (A-test)
     * @param index      position in its set
     * @param candidate  index of the candidate in its split's candidate stream
     * @param classA     class of the first source digit (weight lambda)
     * @param classB     class of the second source digit (weight 1 - lambda)
     * @param sourceA    index of the first source digit in the MNIST source set
     * @param sourceB    index of the second
     * @param lambda     blend weight
     * @param entropy    teacher-ensemble predictive entropy (nats)
     * @param mutualInfo teacher-ensemble mutual information (nats)
     * @param bin        acceptance bin
     */
    public record AmbiguousImage(String split, int index, int candidate, int classA, int classB, int sourceA,
            int sourceB, double lambda, double entropy, double mutualInfo, int bin) {
    }
}
