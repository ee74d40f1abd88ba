package org.bmsim.sim.metrics;

import org.bmsim.common.BadInputException;

/**
 * Monte Carlo predictions of a Bayesian network on a labelled, subset-tagged set: the input of
 * every uncertainty metric. {@code probs[(s * count + i) * classes + c]} is p_s(c | x_i), the
 * softmax output of weight sample s (the layout of {@code probs.npy}, float32 [S, N, C]).
 *
 * @param samples number of weight samples S
 * @param count   number of inputs N
 * @param classes number of classes C
 * @param probs   S * N * C probabilities
 * @param labels  class per input, -1 where there is none
 * @param subset  0 MNIST, 1 ambiguous, 2 OOD per input (see {@link org.bmsim.sim.data.FloatSet})
 */
public record McPredictions(int samples, int count, int classes, float[] probs, short[] labels, byte[] subset) {
    /**
     * The probability array of S samples of N images over C classes, refusing as bad input a shape
     * whose S x N x C values do not fit one Java array (at most 2^31 - 1).
     */
    public static float[] allocate(int samples, int count, int classes) {
        long n = (long) samples * count * classes;
        if (n > Integer.MAX_VALUE - 8) {
            long most = (Integer.MAX_VALUE - 8L) / ((long) count * classes);
            throw new BadInputException(samples + " samples of " + count + " images x " + classes + " classes are " + n
                    + " probabilities, more than one array holds; use at most " + most + " samples");
        }
        return new float[(int) n];
    }

    public McPredictions {
        if (samples <= 0 || count < 0 || classes <= 1) {
            throw new BadInputException("bad prediction shape S=" + samples + " N=" + count + " C=" + classes);
        }
        if (probs.length != (long) samples * count * classes) {
            throw new BadInputException("probs has " + probs.length + " values, expected S*N*C = "
                    + (long) samples * count * classes);
        }
        if (labels.length != count || subset.length != count) {
            throw new BadInputException("labels/subset length does not match N = " + count);
        }
    }

    /** p_s(c | x_i). */
    public float prob(int s, int i, int c) {
        return probs[(s * count + i) * classes + c];
    }
}
