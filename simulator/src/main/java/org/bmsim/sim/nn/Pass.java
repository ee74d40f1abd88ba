package org.bmsim.sim.nn;

import java.util.SplittableRandom;

/**
 * What one forward/backward pass reads besides activations: the weights ({@code w}, laid out as the
 * parameter vector; layers read the mu slots, so a vector of sampled weights in the mu slots gives a
 * network with those weights) and, for a training pass of a Bayesian network, the standard
 * deviations and the noise stream of this chunk of examples.
 *
 * @param w      parameter vector whose mu and bias slots are used as the weights
 * @param sigma  sigma per weight in the rho slots (null: no weight noise, a deterministic pass)
 * @param sigma2 sigma squared, same layout (null with {@code sigma})
 * @param rng    noise stream of this chunk (null without noise)
 */
public record Pass(float[] w, float[] sigma, float[] sigma2, SplittableRandom rng) {
    /** A pass with the weights {@code w} and no noise. */
    public static Pass fixed(float[] w) {
        return new Pass(w, null, null, null);
    }

    boolean noisy() {
        return sigma != null;
    }
}
