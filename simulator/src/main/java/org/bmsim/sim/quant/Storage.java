package org.bmsim.sim.quant;

import java.util.List;

/**
 * Storage of a quantized Bayesian network, in bits, per layer and in total (quantization spec:
 * bits = sum over weights of (b_mu + b_sigma) plus the scales; the FP32 reference stores mu and
 * sigma at 32 bits each, 64 bits per weight, biases counted as weights, so LeNet-5's 61,706 take
 * 493,648 B and 4/4-bit VPQ or JQ exactly 61,706 B without scales).
 *
 * @param layers per weight tensor (with its bias)
 */
public record Storage(List<Layer> layers) {
    /** Bits of one FP32 (mu, sigma) pair. */
    public static final int FP32_BITS_PER_WEIGHT = 64;
    /** A float scale. */
    public static final int FLOAT_BITS = 32;
    /** A power-of-two scale stored as its exponent (hardware mode). */
    public static final int EXPONENT_BITS = 8;

    /**
     * @param name            tensor name
     * @param weights         weights plus biases of the layer
     * @param weightBits      bits of their codes (or floats)
     * @param scaleBits       bits of the scales as configured (per channel or per layer)
     * @param layerScaleBits  bits of the scales had every scale been per layer
     */
    public record Layer(String name, long weights, long weightBits, long scaleBits, long layerScaleBits) {
    }

    public static Storage of(List<Layer> layers) {
        return new Storage(List.copyOf(layers));
    }

    public long weights() {
        return layers.stream().mapToLong(Layer::weights).sum();
    }

    public long weightBits() {
        return layers.stream().mapToLong(Layer::weightBits).sum();
    }

    public long scaleBits() {
        return layers.stream().mapToLong(Layer::scaleBits).sum();
    }

    public long layerScaleBits() {
        return layers.stream().mapToLong(Layer::layerScaleBits).sum();
    }

    /** Bytes of the codes alone, ceil(bits / 8). */
    public long weightBytes() {
        return ceilBytes(weightBits());
    }

    /** Bytes of codes plus scales as configured. */
    public long totalBytes() {
        return ceilBytes(weightBits() + scaleBits());
    }

    /** Bytes of codes plus per-layer scales. */
    public long totalBytesLayerScales() {
        return ceilBytes(weightBits() + layerScaleBits());
    }

    /** The FP32 reference's bytes for the same weights: 8 per weight. */
    public long fp32Bytes() {
        return ceilBytes(weights() * FP32_BITS_PER_WEIGHT);
    }

    static long ceilBytes(long bits) {
        return (bits + 7) / 8;
    }
}
