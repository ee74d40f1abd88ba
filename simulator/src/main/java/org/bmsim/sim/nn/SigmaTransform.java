package org.bmsim.sim.nn;

import java.util.Locale;
import org.bmsim.common.BadInputException;

/**
 * How a Bayesian weight's standard deviation is parameterised by its unconstrained rho:
 * sigma = softplus(rho) = ln(1 + e^rho) (the default, as in Blundell et al. 2015, "Weight
 * Uncertainty in Neural Networks") or sigma = e^rho.
 */
public enum SigmaTransform {
    SOFTPLUS("softplus"),
    EXP("exp");

    private final String id;

    SigmaTransform(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static SigmaTransform of(String id) {
        for (SigmaTransform t : values()) {
            if (t.id.equals(id.toLowerCase(Locale.ROOT))) {
                return t;
            }
        }
        throw new BadInputException("unknown sigma transform '" + id + "' (known: softplus, exp)");
    }

    /** sigma(rho). */
    public float sigma(float rho) {
        return this == EXP ? (float) Math.exp(rho) : softplus(rho);
    }

    /** d sigma / d rho. */
    public float derivative(float rho) {
        return this == EXP ? (float) Math.exp(rho) : sigmoid(rho);
    }

    /** The rho that gives {@code sigma} (inverse transform), for initialisation and imports. */
    public float rho(float sigma) {
        return this == EXP ? (float) Math.log(sigma) : (float) Math.log(Math.expm1(sigma));
    }

    /** ln(1 + e^x), computed without overflow for large x. */
    public static float softplus(float x) {
        return x > 20f ? x : (float) Math.log1p(Math.exp(x));
    }

    /** 1 / (1 + e^-x). */
    public static float sigmoid(float x) {
        return (float) (1.0 / (1.0 + Math.exp(-x)));
    }
}
