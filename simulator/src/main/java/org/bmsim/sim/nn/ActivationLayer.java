package org.bmsim.sim.nn;

/** An element-wise {@link Activation}. */
public final class ActivationLayer extends Layer {
    private final Activation f;

    ActivationLayer(String name, int size, Activation f) {
        super(name, size, size);
        this.f = f;
    }

    public Activation activation() {
        return f;
    }

    @Override
    void forward(Pass pass, Object scratch, float[] in, float[] out, int n) {
        f.apply(in, out, n * inSize);
    }

    @Override
    void backward(Pass pass, Object scratch, float[] in, float[] out, float[] dOut, float[] dIn, int n, float[] grad) {
        if (dIn != null) {
            f.backward(in, dOut, dIn, n * inSize);
        }
    }
}
