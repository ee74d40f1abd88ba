package org.bmsim.sim.nn;

/** Channels x rows x cols to one vector; the layout is already flat, so this is a copy. */
public final class Flatten extends Layer {
    Flatten(String name, int size) {
        super(name, size, size);
    }

    @Override
    void forward(Pass pass, Object scratch, float[] in, float[] out, int n) {
        System.arraycopy(in, 0, out, 0, n * inSize);
    }

    @Override
    void backward(Pass pass, Object scratch, float[] in, float[] out, float[] dOut, float[] dIn, int n, float[] grad) {
        if (dIn != null) {
            System.arraycopy(dOut, 0, dIn, 0, n * inSize);
        }
    }
}
