package org.bmsim.sim.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bmsim.common.BadInputException;

/**
 * A network shape on 1 x 28 x 28 images: {@code lenet5} (conv 6@5x5 pad 2, ReLU, max-pool, conv
 * 16@5x5, ReLU, max-pool, flatten, 400-120-84-10; LeCun et al. 1998 as used by the Bayesian
 * MNIST literature), {@code mlp} (784-100-10), {@code mlp-large} (784-400-400-10), or any MLP
 * {@code mlp:784-W1-...-10}; with the activation used after every hidden layer.
 *
 * @param id         the architecture's name as written in model files and on the command line
 * @param activation hidden-layer activation
 * @param widths     layer widths of an MLP (input first), empty for LeNet-5
 */
public record Architecture(String id, Activation activation, int[] widths) {
    public static final int CHANNELS = 1;
    public static final int ROWS = 28;
    public static final int COLS = 28;
    public static final int INPUT_SIZE = CHANNELS * ROWS * COLS;

    public static final String LENET5 = "lenet5";
    public static final String MLP = "mlp";
    public static final String MLP_LARGE = "mlp-large";
    /** Most parameters of a network (one float array, with room for the VM's header). */
    public static final long MAX_PARAMETERS = Integer.MAX_VALUE - 8;

    /** Parses an architecture name; unknown names and bad widths are bad input. */
    public static Architecture of(String id, Activation activation) {
        switch (id) {
            case LENET5:
                return new Architecture(id, activation, new int[0]);
            case MLP:
                return new Architecture(id, activation, new int[] {INPUT_SIZE, 100, 10});
            case MLP_LARGE:
                return new Architecture(id, activation, new int[] {INPUT_SIZE, 400, 400, 10});
            default:
                break;
        }
        if (id.startsWith("mlp:")) {
            int[] w;
            try {
                w = Arrays.stream(id.substring(4).split("-")).mapToInt(Integer::parseInt).toArray();
            } catch (NumberFormatException e) {
                throw new BadInputException("bad MLP architecture '" + BadInputException.excerpt(id) + "': expected mlp:784-W1-...-C");
            }
            if (w.length < 2 || w[0] != INPUT_SIZE || Arrays.stream(w).anyMatch(x -> x <= 0 || x > 1 << 16)
                    || w[w.length - 1] < 2) {
                throw new BadInputException("bad MLP architecture '" + BadInputException.excerpt(id) + "': widths must start at " + INPUT_SIZE
                        + ", be positive and end with at least 2 classes");
            }
            long params = 0;
            for (int i = 1; i < w.length; i++) {
                params += 2L * w[i - 1] * w[i] + w[i];
            }
            if (params > MAX_PARAMETERS) {
                throw new BadInputException("MLP architecture '" + BadInputException.excerpt(id) + "' has " + params
                        + " parameters (Bayesian), more than the " + MAX_PARAMETERS + " one parameter vector holds");
            }
            return new Architecture(id, activation, w);
        }
        throw new BadInputException("unknown architecture '" + BadInputException.excerpt(id) + "' (known: lenet5, mlp, mlp-large, mlp:784-W-...-C)");
    }

    public boolean isLenet5() {
        return widths.length == 0;
    }

    /** The named tensors of a network of this architecture, from the layer shapes (no parameter allocated). */
    public List<Layer.TensorSlot> tensorSlots(boolean bayesian) {
        List<Layer.TensorSlot> t = new ArrayList<>();
        for (Layer l : layers(bayesian)) {
            t.addAll(l.tensors());
        }
        return t;
    }

    public int classes() {
        return isLenet5() ? 10 : widths[widths.length - 1];
    }

    /** The layers, with parameter offsets laid out one after the other from 0. */
    List<Layer> layers(boolean bayesian) {
        List<Layer> l = new ArrayList<>();
        int off = 0;
        if (isLenet5()) {
            Conv2d c1 = new Conv2d("conv1", 1, 28, 28, 6, 5, 2, bayesian, off);
            off += c1.paramCount();
            l.add(c1);
            l.add(new ActivationLayer("act1", c1.outSize(), activation));
            l.add(new MaxPool2d("pool1", 6, 28, 28));
            Conv2d c2 = new Conv2d("conv2", 6, 14, 14, 16, 5, 0, bayesian, off);
            off += c2.paramCount();
            l.add(c2);
            l.add(new ActivationLayer("act2", c2.outSize(), activation));
            l.add(new MaxPool2d("pool2", 16, 10, 10));
            l.add(new Flatten("flatten", 400));
            int[] w = {400, 120, 84, 10};
            for (int i = 1; i < w.length; i++) {
                Dense d = new Dense("fc" + i, w[i - 1], w[i], bayesian, off);
                off += d.paramCount();
                l.add(d);
                if (i < w.length - 1) {
                    l.add(new ActivationLayer("act" + (i + 2), w[i], activation));
                }
            }
        } else {
            l.add(new Flatten("flatten", INPUT_SIZE));
            for (int i = 1; i < widths.length; i++) {
                Dense d = new Dense("fc" + i, widths[i - 1], widths[i], bayesian, off);
                off += d.paramCount();
                l.add(d);
                if (i < widths.length - 1) {
                    l.add(new ActivationLayer("act" + i, widths[i], activation));
                }
            }
        }
        return l;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Architecture a && a.id.equals(id) && a.activation == activation;
    }

    @Override
    public int hashCode() {
        return id.hashCode() * 31 + activation.hashCode();
    }

    @Override
    public String toString() {
        return id + "/" + activation.id();
    }
}
