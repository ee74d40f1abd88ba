package org.bmsim.sim.quant;

import java.util.Locale;

/**
 * How a Bayesian network's weights are quantized (the strategy table of the quantization spec;
 * Borras, Wu, Klein, Froening, arXiv 2512.10602; Lin et al., AISTATS 2025, arXiv 2505.17856):
 * <ul>
 *   <li>{@link #FP}: w = mu + sigma * eps, the float reference;
 *   <li>{@link #VPQ}: w = Qu(mu) + Qlog(sigma) * eps, sampled in high precision (saves storage);
 *   <li>{@link #SPQ}: w = Qu(mu + sigma * eps) with a static range max(|mu| + 3 sigma), b-bit
 *       activations (saves arithmetic);
 *   <li>{@link #JQ}: w = Qu(Qu(mu) + Qlog(sigma) * eps) and b-bit activations (both; the hardware
 *       target);
 *   <li>{@link #SHARE}: stochastic weight sharing (2DGBNN).
 * </ul>
 */
public enum Strategy {
    FP, VPQ, SPQ, JQ, SHARE;

    /** The lower-case name used on the command line and in reports. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the strategy quantizes activations (SPQ and JQ). */
    public boolean quantizesActivations() {
        return this == SPQ || this == JQ;
    }

    /** Whether the strategy stores b-bit mu and b-bit sigma codes (VPQ and JQ). */
    public boolean storesCodes() {
        return this == VPQ || this == JQ;
    }
}
