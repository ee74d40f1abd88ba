package org.bmsim.sim.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.bmsim.common.BadInputException;

/**
 * A network: its {@link Architecture}, whether its weights are Bayesian (mean-field Gaussian, mu and
 * rho per weight, sigma = {@link SigmaTransform}(rho); biases deterministic) or plain, and one flat
 * parameter vector. Per layer the vector holds {@code weight_mu} (or {@code weight}),
 * {@code weight_rho} when Bayesian, then {@code bias}, in layer order; {@link #tensors()} names each
 * piece as in the model file (see docs/model-format.md).
 */
public final class Network {
    private final Architecture architecture;
    private final boolean bayesian;
    private final SigmaTransform transform;
    private final List<Layer> layers;
    private final List<Layer.TensorSlot> tensors;
    private final float[] params;

    private Network(Architecture architecture, boolean bayesian, SigmaTransform transform, float[] params) {
        this.architecture = architecture;
        this.bayesian = bayesian;
        this.transform = transform;
        this.layers = List.copyOf(architecture.layers(bayesian));
        List<Layer.TensorSlot> t = new ArrayList<>();
        int count = 0;
        for (Layer l : layers) {
            t.addAll(l.tensors());
            count += l.paramCount();
        }
        this.tensors = List.copyOf(t);
        if (params == null) {
            params = new float[count];
        } else if (params.length != count) {
            throw new BadInputException(architecture + ": " + params.length + " parameters given, " + count + " expected");
        }
        this.params = params;
    }

    /** A network with all parameters zero. */
    public static Network of(Architecture architecture, boolean bayesian, SigmaTransform transform) {
        return new Network(Objects.requireNonNull(architecture), bayesian, Objects.requireNonNull(transform), null);
    }

    /** A network with the given parameter vector (used as is, not copied). */
    public static Network of(Architecture architecture, boolean bayesian, SigmaTransform transform, float[] params) {
        return new Network(Objects.requireNonNull(architecture), bayesian, Objects.requireNonNull(transform),
                Objects.requireNonNull(params));
    }

    /**
     * A freshly initialised network: weight means and biases ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in)) (the
     * PyTorch default for Linear and Conv2d), every rho = {@code rhoInit}.
     */
    public static Network initialised(Architecture architecture, boolean bayesian, SigmaTransform transform,
            float rhoInit, long seed) {
        Network n = of(architecture, bayesian, transform);
        SplittableRandom rng = RandomStreams.stream(seed, RandomStreams.INIT);
        for (Layer.TensorSlot t : n.tensors) {
            int fanIn = fanIn(n, t);
            double bound = 1.0 / Math.sqrt(fanIn);
            for (int i = 0; i < t.size(); i++) {
                n.params[t.offset() + i] = t.kind() == Layer.TensorSlot.Kind.WEIGHT_RHO ? rhoInit
                        : (float) ((rng.nextDouble() * 2 - 1) * bound);
            }
        }
        return n;
    }

    private static int fanIn(Network n, Layer.TensorSlot t) {
        for (Layer l : n.layers) {
            for (Layer.TensorSlot s : l.tensors()) {
                if (s.name().equals(t.name())) {
                    return l instanceof Conv2d c ? c.fanIn : ((Dense) l).in;
                }
            }
        }
        throw new AssertionError(t.name());
    }

    public Architecture architecture() {
        return architecture;
    }

    public boolean bayesian() {
        return bayesian;
    }

    public SigmaTransform transform() {
        return transform;
    }

    public List<Layer> layers() {
        return layers;
    }

    public List<Layer.TensorSlot> tensors() {
        return tensors;
    }

    /** The parameter vector itself (not a copy). */
    public float[] params() {
        return params;
    }

    public int paramCount() {
        return params.length;
    }

    public int classes() {
        return architecture.classes();
    }

    public int inputSize() {
        return Architecture.INPUT_SIZE;
    }

    /** A copy with its own parameter vector. */
    public Network copy() {
        return new Network(architecture, bayesian, transform, params.clone());
    }

    /** The tensor named {@code name}, or null. */
    public Layer.TensorSlot tensor(String name) {
        for (Layer.TensorSlot t : tensors) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }

    /** Number of weights (mu values) plus biases: what a deterministic copy of the network holds. */
    public int weightCount() {
        int n = 0;
        for (Layer.TensorSlot t : tensors) {
            if (t.kind() != Layer.TensorSlot.Kind.WEIGHT_RHO) {
                n += t.size();
            }
        }
        return n;
    }

    /**
     * sigma = transform(rho) in the rho slots of {@code sigma} (same layout as the parameters), and,
     * when {@code sigma2} or {@code dSigma} is not null, sigma^2 and d sigma / d rho there, for the
     * parameter range [from, to). Other slots are left untouched.
     */
    public void sigmas(float[] sigma, float[] sigma2, float[] dSigma, int from, int to) {
        for (Layer.TensorSlot t : tensors) {
            if (t.kind() != Layer.TensorSlot.Kind.WEIGHT_RHO) {
                continue;
            }
            int a = Math.max(from, t.offset());
            int b = Math.min(to, t.offset() + t.size());
            for (int i = a; i < b; i++) {
                float rho = params[i];
                float s = transform.sigma(rho);
                sigma[i] = s;
                if (sigma2 != null) {
                    sigma2[i] = s * s;
                }
                if (dSigma != null) {
                    dSigma[i] = transform.derivative(rho);
                }
            }
        }
    }

    /**
     * One weight sample into {@code dst} (parameter layout): mu + sigma * eps in the mu slots with
     * eps ~ N(0, 1) drawn from {@code rng} tensor by tensor in order, biases copied; a deterministic
     * network's parameters are copied as they are. {@code sigma} holds sigma in the rho slots
     * (see {@link #sigmas}).
     */
    public void sample(float[] sigma, SplittableRandom rng, float[] dst) {
        System.arraycopy(params, 0, dst, 0, params.length);
        if (!bayesian) {
            return;
        }
        for (Layer.TensorSlot t : tensors) {
            if (t.kind() == Layer.TensorSlot.Kind.WEIGHT_MU) {
                int rho = t.offset() + t.size();
                for (int i = 0; i < t.size(); i++) {
                    dst[t.offset() + i] = Math.fma(sigma[rho + i], (float) rng.nextGaussian(), params[t.offset() + i]);
                }
            }
        }
    }

    /** Checks every parameter is finite; a NaN or infinity is bad input naming the tensor. */
    public void requireFinite(String source) {
        for (Layer.TensorSlot t : tensors) {
            for (int i = 0; i < t.size(); i++) {
                if (!Float.isFinite(params[t.offset() + i])) {
                    throw new BadInputException(source + ": tensor " + t.name() + " holds " + params[t.offset() + i]
                            + " at flat index " + i);
                }
            }
        }
    }

    @Override
    public String toString() {
        return architecture + (bayesian ? " Bayesian (sigma = " + transform.id() + "(rho))" : " deterministic") + ", "
                + params.length + " parameters " + Arrays.toString(tensors.stream().map(Layer.TensorSlot::name).toArray());
    }
}
