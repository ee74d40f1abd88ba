package org.bmsim.sim.nn;

import java.util.Arrays;
import java.util.Locale;
import org.bmsim.common.BadInputException;

/**
 * The pluggable element-wise activations of the network core (the set named in the quantization
 * spec: the QBNN paper's own activation is not public, so an ablation compares these).
 * Each is defined once here, with its derivative with respect to the pre-activation.
 */
public enum Activation {
    /** max(0, x). */
    RELU("relu"),
    /** min(max(0, x), 6) ("ReLU6"): bounded, so an activation quantizer has a natural range. */
    CLIPPED_RELU("clipped-relu"),
    /** min(max(-1, x), 1). */
    HARDTANH("hardtanh"),
    /** x for x &gt; 0, 0.01 x otherwise. */
    LEAKY_RELU("leaky-relu"),
    /** ln(1 + e^x). */
    SOFTPLUS("softplus");

    /** Upper clip of {@link #CLIPPED_RELU}. */
    public static final float CLIP = 6f;
    /** Negative slope of {@link #LEAKY_RELU}. */
    public static final float LEAK = 0.01f;

    private final String id;

    Activation(String id) {
        this.id = id;
    }

    /** The name used in model files and on the command line. */
    public String id() {
        return id;
    }

    /** Parses {@link #id()}; unknown names are bad input. */
    public static Activation of(String id) {
        for (Activation a : values()) {
            if (a.id.equals(id.toLowerCase(Locale.ROOT))) {
                return a;
            }
        }
        throw new BadInputException("unknown activation '" + id + "' (known: "
                + Arrays.stream(values()).map(Activation::id).toList() + ")");
    }

    /** f(x). */
    public float apply(float x) {
        switch (this) {
            case RELU:
                return x > 0f ? x : 0f;
            case CLIPPED_RELU:
                return x > 0f ? (x < CLIP ? x : CLIP) : 0f;
            case HARDTANH:
                return x > -1f ? (x < 1f ? x : 1f) : -1f;
            case LEAKY_RELU:
                return x > 0f ? x : LEAK * x;
            case SOFTPLUS:
                return SigmaTransform.softplus(x);
            default:
                throw new AssertionError(this);
        }
    }

    /** f'(x), taking the one-sided value 0 at the kinks (as PyTorch does). */
    public float derivative(float x) {
        switch (this) {
            case RELU:
                return x > 0f ? 1f : 0f;
            case CLIPPED_RELU:
                return x > 0f && x < CLIP ? 1f : 0f;
            case HARDTANH:
                return x > -1f && x < 1f ? 1f : 0f;
            case LEAKY_RELU:
                return x > 0f ? 1f : LEAK;
            case SOFTPLUS:
                return SigmaTransform.sigmoid(x);
            default:
                throw new AssertionError(this);
        }
    }

    /** out[i] = f(in[i]) for i in [0, n) (the common cases with the switch outside the loop). */
    public void apply(float[] in, float[] out, int n) {
        if (this == RELU) {
            for (int i = 0; i < n; i++) {
                out[i] = Math.max(in[i], 0f);
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            out[i] = apply(in[i]);
        }
    }

    /** dIn[i] = dOut[i] f'(in[i]) for i in [0, n). */
    public void backward(float[] in, float[] dOut, float[] dIn, int n) {
        if (this == RELU) {
            for (int i = 0; i < n; i++) {
                dIn[i] = in[i] > 0f ? dOut[i] : 0f;
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            dIn[i] = dOut[i] * derivative(in[i]);
        }
    }
}
