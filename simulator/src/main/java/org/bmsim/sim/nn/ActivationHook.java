package org.bmsim.sim.nn;

/**
 * A transform applied in place to the output of every {@link ActivationLayer}, in both engines
 * ({@link BatchMinorForward} for inference, {@link Workspace} for training): the quantization work
 * plugs its activation quantizer in here. It acts element-wise, so the layout of the buffer
 * ({@code [feature][example]} or {@code [example][feature]}) does not matter. In training the
 * backward pass treats the hook as the identity (a straight-through gradient, Bengio, Leonard and
 * Courville 2013).
 */
@FunctionalInterface
public interface ActivationHook {
    /**
     * Transforms {@code values[0 .. count)} in place, the output of the {@code activation}-th
     * activation layer of the network (0-based, in layer order).
     */
    void apply(int activation, float[] values, int count);
}
