package org.bmsim.examples.sweep;

import org.bmsim.common.BadInputException;
import org.bmsim.sim.nn.Layer;
import org.bmsim.sim.nn.Network;

/**
 * The sweep parameter {@code noise_scale}: a factor s on the standard deviation of every Bayesian
 * weight, sigma' = s * sigma, applied to the model before it is quantized and mapped (this class is
 * the only place it is applied).
 *
 * <p>Why on the model: in a Bayesian machine the device (or sampler) noise <em>is</em> the weight
 * sample, and the mapping programs each cell so that its noise realises the posterior's sigma. A
 * device whose noise is s times larger, read through the same mapping, draws w = mu + s * sigma * eps:
 * exactly the model with sigma scaled. Scaling sigma therefore models "the device is noisier (s > 1)
 * or quieter (s < 1) than the mapping assumes" for every cell type and machine, analog or digital,
 * without touching the mapping itself; s = 1 is the model as trained. Out-of-range realisable sigmas
 * are then reported by the mapping as usual (unrealisable weights).
 */
public final class NoiseScale {
    /** The range accepted in sweep files. */
    public static final double MIN = 1e-3;
    public static final double MAX = 1e3;

    private NoiseScale() {
    }

    public static double check(double s) {
        if (!(s >= MIN && s <= MAX)) {
            throw new BadInputException("noise_scale must be in [" + MIN + ", " + MAX + "], got " + s);
        }
        return s;
    }

    /** A copy of {@code net} with every sigma multiplied by {@code s} (the network itself when s = 1). */
    public static Network apply(Network net, double s) {
        check(s);
        if (s == 1.0 || !net.bayesian()) {
            return net;
        }
        Network c = net.copy();
        float[] p = c.params();
        for (Layer.TensorSlot t : c.tensors()) {
            if (t.kind() == Layer.TensorSlot.Kind.WEIGHT_RHO) {
                for (int i = t.offset(); i < t.offset() + t.size(); i++) {
                    float sigma = c.transform().sigma(p[i]);
                    p[i] = c.transform().rho((float) (s * sigma));
                }
            }
        }
        c.requireFinite("noise_scale " + s);
        return c;
    }
}
