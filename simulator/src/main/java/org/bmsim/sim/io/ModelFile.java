package org.bmsim.sim.io;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bmsim.common.BadInputException;
import org.bmsim.sim.nn.Activation;
import org.bmsim.sim.nn.Architecture;
import org.bmsim.sim.nn.Layer;
import org.bmsim.sim.nn.Network;
import org.bmsim.sim.nn.SigmaTransform;

/**
 * A {@link Network} as a safetensors file (docs/model-format.md). Tensors, float32, PyTorch
 * layouts: {@code <layer>.weight_mu}, {@code <layer>.weight_rho} and {@code <layer>.bias} for a
 * Bayesian network ({@code <layer>.weight} and {@code <layer>.bias} for a deterministic one), layers
 * {@code conv1, conv2, fc1, fc2, fc3} (LeNet-5) or {@code fc1 ..} (MLPs). {@code __metadata__}:
 * {@code format = bmsim-bnn}, {@code format_version = 1}, {@code arch} (required), {@code activation}
 * (default relu), {@code sigma_transform} (default softplus), plus free-form keys such as the
 * training configuration. A Bayesian network is recognised by its {@code weight_rho} tensors.
 *
 * <p>Loading checks that every expected tensor is present, with the expected shape, that there
 * is no other tensor, and that every value is finite; each failure is one line.
 */
public final class ModelFile {
    public static final String FORMAT = "bmsim-bnn";
    public static final String VERSION = "1";

    private ModelFile() {
    }

    /** The model's tensors, F32. */
    public static List<SafeTensors.Tensor> tensors(Network net) {
        List<SafeTensors.Tensor> out = new ArrayList<>();
        for (Layer.TensorSlot t : net.tensors()) {
            out.add(SafeTensors.Tensor.f32(t.name(), t.shape(),
                    Arrays.copyOfRange(net.params(), t.offset(), t.offset() + t.size())));
        }
        return out;
    }

    /** The model's own metadata followed by {@code extra}. */
    public static Map<String, String> metadata(Network net, Map<String, String> extra) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("format_version", VERSION);
        m.put("arch", net.architecture().id());
        m.put("activation", net.architecture().activation().id());
        m.put("bayesian", Boolean.toString(net.bayesian()));
        m.put("sigma_transform", net.transform().id());
        if (extra != null) {
            extra.forEach((k, v) -> {
                if (!m.containsKey(k)) {
                    m.put(k, v);
                }
            });
        }
        return m;
    }

    /** Writes the model atomically. */
    public static void write(Path file, Network net, Map<String, String> extra) {
        SafeTensors.write(file, tensors(net), metadata(net, extra));
    }

    /** Reads and validates a model file. */
    public static Network read(Path file) {
        return fromContents(file.toString(), SafeTensors.read(file), Set.of());
    }

    /**
     * The network in {@code c}; tensors named in {@code ignore} (for example a checkpoint's optimizer
     * state) are skipped, any other unexpected tensor is bad input.
     */
    public static Network fromContents(String source, SafeTensors.Contents c, Set<String> ignore) {
        Map<String, String> meta = c.metadata();
        String arch = meta.get("arch");
        if (arch == null) {
            throw new BadInputException(source + ": __metadata__ has no 'arch' (lenet5, mlp, mlp-large or mlp:784-...-C)");
        }
        String format = meta.getOrDefault("format", FORMAT);
        if (!format.equals(FORMAT)) {
            throw new BadInputException(source + ": format '" + BadInputException.excerpt(format) + "' is not " + FORMAT);
        }
        String version = meta.getOrDefault("format_version", VERSION);
        if (!version.equals(VERSION)) {
            throw new BadInputException(source + ": format_version " + BadInputException.excerpt(version) + " is not supported (this bmsim reads " + VERSION + ")");
        }
        Activation act = Activation.of(meta.getOrDefault("activation", Activation.RELU.id()));
        SigmaTransform tr = SigmaTransform.of(meta.getOrDefault("sigma_transform", SigmaTransform.SOFTPLUS.id()));
        boolean bayesian = c.tensors().keySet().stream().anyMatch(n -> n.endsWith(".weight_rho"));
        Architecture architecture = Architecture.of(arch, act);
        // every tensor is checked against the architecture before the parameter vector is
        // allocated: the architecture is untrusted metadata, and memory must follow the data present
        Set<String> seen = new HashSet<>();
        for (Layer.TensorSlot t : architecture.tensorSlots(bayesian)) {
            SafeTensors.Tensor x = c.tensors().get(t.name());
            if (x == null) {
                throw new BadInputException(source + ": missing tensor " + t.name() + " " + Arrays.toString(t.shape())
                        + " (a " + (bayesian ? "Bayesian " : "deterministic ") + BadInputException.excerpt(arch) + " model)");
            }
            if (!Arrays.equals(x.shape(), t.shape())) {
                throw new BadInputException(source + ": tensor " + t.name() + " has shape "
                        + BadInputException.excerpt(Arrays.toString(x.shape())) + ", expected " + Arrays.toString(t.shape())
                        + " for " + BadInputException.excerpt(arch));
            }
            seen.add(t.name());
        }
        Network net = Network.of(architecture, bayesian, tr);
        for (Layer.TensorSlot t : net.tensors()) {
            System.arraycopy(c.tensors().get(t.name()).values(), 0, net.params(), t.offset(), t.size());
        }
        for (String name : c.tensors().keySet()) {
            if (!seen.contains(name) && !ignore.contains(name)) {
                throw new BadInputException(source + ": unexpected tensor " + BadInputException.excerpt(name) + " in a "
                        + BadInputException.excerpt(arch) + " model");
            }
        }
        net.requireFinite(source);
        return net;
    }
}
