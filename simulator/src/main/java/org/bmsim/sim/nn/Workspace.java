package org.bmsim.sim.nn;

import java.util.List;

/**
 * The memory one worker needs to run a network forward and backward on batches of up to
 * {@code maxBatch} examples: every layer's output, two gradient buffers and each layer's scratch.
 * Not shared between threads; reused from batch to batch.
 */
public final class Workspace {
    private final Network net;
    private final List<Layer> layers;
    private final int maxBatch;
    private final float[][] acts;
    private final Object[] scratch;
    private final float[] gradA;
    private final float[] gradB;
    /** Index of the first layer with parameters: no input gradient is needed at or before it. */
    private final int firstParametric;
    /** Applied to each activation layer's output (null: none); identity in the backward pass. */
    private ActivationHook hook;

    public Workspace(Network net, int maxBatch) {
        this.net = net;
        this.layers = net.layers();
        this.maxBatch = maxBatch;
        acts = new float[layers.size() + 1][];
        scratch = new Object[layers.size()];
        int max = net.inputSize();
        acts[0] = new float[maxBatch * net.inputSize()];
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            acts[i + 1] = new float[maxBatch * l.outSize()];
            scratch[i] = l.newScratch(maxBatch);
            max = Math.max(max, l.outSize());
        }
        gradA = new float[maxBatch * max];
        gradB = new float[maxBatch * max];
        int f = 0;
        while (f < layers.size() - 1 && layers.get(f).paramCount() == 0) {
            f++;
        }
        firstParametric = f;
    }

    public Network network() {
        return net;
    }

    public int maxBatch() {
        return maxBatch;
    }

    /** Sets the transform applied to every activation layer's output (null removes it). */
    public void activationHook(ActivationHook hook) {
        this.hook = hook;
    }

    /** The input buffer: the caller writes n examples here, then calls {@link #forward}. */
    public float[] input() {
        return acts[0];
    }

    /** Runs the n examples in {@link #input()} forward; returns the logits buffer (n x classes). */
    public float[] forward(Pass pass, int n) {
        if (n > maxBatch) {
            throw new IllegalArgumentException(n + " examples for a workspace of " + maxBatch);
        }
        int activation = 0;
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            l.forward(pass, scratch[i], acts[i], acts[i + 1], n);
            if (l instanceof ActivationLayer) {
                if (hook != null) {
                    hook.apply(activation, acts[i + 1], n * l.outSize());
                }
                activation++;
            }
        }
        return acts[layers.size()];
    }

    /**
     * Back-propagates dL/d(logits) of the last {@link #forward} through the same pass, adding
     * parameter gradients into {@code grad} (rho slots receive dL/dsigma).
     */
    public void backward(Pass pass, float[] dLogits, int n, float[] grad) {
        float[] dOut = dLogits;
        for (int i = layers.size() - 1; i >= 0; i--) {
            float[] dIn = i <= firstParametric ? null : (dOut == gradA ? gradB : gradA);
            layers.get(i).backward(pass, scratch[i], acts[i], acts[i + 1], dOut, dIn, n, grad);
            if (dIn == null) {
                return;
            }
            dOut = dIn;
        }
    }
}
