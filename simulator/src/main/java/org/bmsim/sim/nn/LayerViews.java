package org.bmsim.sim.nn;

import java.util.ArrayList;
import java.util.List;

/**
 * Read-only views of a network's layers for mapping them onto hardware: the matrix layers (dense,
 * conv) with their geometry and parameter offsets, and a way to run the other layers (activations,
 * pooling, flatten) as they are.
 */
public final class LayerViews {
    private LayerViews() {
    }

    /**
     * A matrix layer: {@code fanIn} crossbar rows (inputs) by {@code out} columns (outputs). For a
     * convolution, {@code cin, h, w, k, pad, oh, ow} give the im2col geometry; the weight of
     * output o and input i sits at {@code muOff + o * fanIn + i} (PyTorch layout).
     */
    public record MatrixLayer(String name, boolean conv, int fanIn, int out, int cin, int h, int w, int k, int pad,
            int oh, int ow, int muOff, int rhoOff, int biasOff, int inSize, int outSize) {
        /** Reads per image: one per output pixel for a convolution, one for a dense layer. */
        public int readsPerImage() {
            return conv ? oh * ow : 1;
        }
    }

    /** One entry per layer, in order: a {@link MatrixLayer} or null for a layer without weights. */
    public static List<MatrixLayer> matrixLayers(Network net) {
        List<MatrixLayer> out = new ArrayList<>();
        for (Layer l : net.layers()) {
            if (l instanceof Dense d) {
                out.add(new MatrixLayer(d.name, false, d.in, d.out, 0, 0, 0, 0, 0, 1, 1, d.muOff, d.rhoOff, d.biasOff,
                        d.inSize, d.outSize));
            } else if (l instanceof Conv2d c) {
                out.add(new MatrixLayer(c.name, true, c.fanIn, c.cout, c.cin, c.h, c.w, c.k, c.pad, c.oh, c.ow, c.muOff,
                        c.rhoOff, c.biasOff, c.inSize, c.outSize));
            } else {
                out.add(null);
            }
        }
        return out;
    }

    /** Runs a layer without weights (activation, pooling, flatten) on n examples. */
    public static void forwardOther(Layer l, float[] in, float[] out, int n) {
        if (l instanceof Dense || l instanceof Conv2d) {
            throw new IllegalArgumentException(l.name + " has weights; map it onto tiles");
        }
        l.forward(Pass.fixed(null), l.newScratch(n), in, out, n);
    }
}
