package org.bmsim.sim.nn;

import java.util.List;

/**
 * One stage of a feed-forward network acting on a batch of {@code n} examples, each a contiguous
 * vector of {@link #inSize()} values ({@code channels x rows x cols}, channel-major, for images).
 * Layers hold shapes and parameter offsets only; parameters live in a flat vector (see
 * {@link Network}), scratch memory in a per-worker object from {@link #newScratch(int)}.
 */
public abstract class Layer {
    final String name;
    final int inSize;
    final int outSize;

    Layer(String name, int inSize, int outSize) {
        this.name = name;
        this.inSize = inSize;
        this.outSize = outSize;
    }

    public String name() {
        return name;
    }

    public int inSize() {
        return inSize;
    }

    public int outSize() {
        return outSize;
    }

    /** Number of values this layer owns in the flat parameter vector. */
    int paramCount() {
        return 0;
    }

    /** The named tensors of this layer (empty for layers without parameters). */
    List<TensorSlot> tensors() {
        return List.of();
    }

    /** Scratch memory for batches of up to {@code maxBatch} examples, owned by one worker. */
    Object newScratch(int maxBatch) {
        return null;
    }

    /** out[n x outSize] = layer(in[n x inSize]). */
    abstract void forward(Pass pass, Object scratch, float[] in, float[] out, int n);

    /**
     * Back-propagates {@code dOut}: adds parameter gradients into {@code grad} (same layout as the
     * parameter vector; a rho slot receives dL/dsigma) and writes dL/d(in) into {@code dIn} unless it
     * is null (first layer). {@code in} and {@code out} are the values of the forward pass.
     */
    abstract void backward(Pass pass, Object scratch, float[] in, float[] out, float[] dOut, float[] dIn, int n,
            float[] grad);

    /** A named tensor's place in the parameter vector: {@code shape} values from {@code offset}. */
    public record TensorSlot(String name, int offset, int[] shape, Kind kind) {
        /** What a tensor holds. */
        public enum Kind { WEIGHT_MU, WEIGHT_RHO, BIAS }

        public int size() {
            int s = 1;
            for (int d : shape) {
                s *= d;
            }
            return s;
        }
    }
}
