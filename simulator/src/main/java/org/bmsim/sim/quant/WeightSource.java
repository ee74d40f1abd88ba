package org.bmsim.sim.quant;

import org.bmsim.sim.nn.Network;

/**
 * The weights of one Monte Carlo sample of a (quantized) Bayesian network, drawn from explicit eps:
 * one weight draw per sample, shared by every input (as a deployed network draws its weights).
 */
public interface WeightSource {
    /** The network whose parameter layout {@link #weights} fills. */
    Network network();

    /** How many Q3.12 eps one sample consumes. */
    int epsCount();

    /** Writes the sampled weights and the biases into {@code dst} (parameter layout; rho slots unused). */
    void weights(int[] eps, float[] dst);

    /** The strategy this source implements. */
    QuantSpec spec();
}
