package org.bmsim.sim.quant;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bmsim.common.BadInputException;
import org.bmsim.sim.data.FloatSet;
import org.bmsim.sim.nn.Activation;
import org.bmsim.sim.nn.ActivationHook;
import org.bmsim.sim.nn.ActivationLayer;
import org.bmsim.sim.nn.BatchMinorForward;
import org.bmsim.sim.nn.Layer;
import org.bmsim.sim.nn.Network;

/**
 * b_a-bit activations for SPQ and JQ (quantization spec): after each activation layer, values are
 * clipped and rounded (half to even) to equally spaced levels that include 0 exactly. For the
 * activations without negative outputs (ReLU, clipped ReLU, softplus) the code c in 0..2^b_a - 1
 * stands for c clip / (2^b_a - 1); for hardtanh and LeakyReLU the grid is symmetric, c in
 * -(2^(b_a-1) - 1)..2^(b_a-1) - 1 standing for c clip / (2^(b_a-1) - 1) (narrow range, as the weight
 * quantizer: a zero point at mid-range of 2^b_a levels would not hold 0, and every zero or small
 * negative LeakyReLU output would move by half a step). The clip of each activation layer is
 * calibrated as the given percentile of |activation| over calibration images run through the mean
 * network (PTQ; the learned alternative is PACT, Choi et al. 2018, arXiv 1805.06085).
 */
public final class ActivationQuantizer implements ActivationHook {
    private final int bits;
    /** Per layer: the code of 0 (0 unsigned, 2^(b-1) - 1 signed), the largest code, the step. */
    private final float[] zero;
    private final float[] maxCode;
    private final float[] step;
    private final float[] clip;

    private ActivationQuantizer(int bits, boolean[] signed, float[] clip) {
        this.bits = bits;
        this.clip = clip;
        this.step = new float[clip.length];
        this.zero = new float[clip.length];
        this.maxCode = new float[clip.length];
        for (int i = 0; i < clip.length; i++) {
            int half = (1 << (bits - 1)) - 1;
            zero[i] = signed[i] ? half : 0;
            maxCode[i] = signed[i] ? 2 * half : (1 << bits) - 1;
            step[i] = clip[i] / (signed[i] ? half : (1 << bits) - 1);
        }
    }

    /** A quantizer with explicit clips, one per activation layer of {@code net}. */
    public static ActivationQuantizer of(Network net, int bits, float[] clips) {
        if (bits < 2 || bits > 16) {
            throw new BadInputException("activation bits must be in 2..16, got " + bits);
        }
        List<Activation> acts = activations(net);
        if (clips.length != acts.size()) {
            throw new BadInputException(clips.length + " clips for " + acts.size() + " activation layers");
        }
        boolean[] signed = new boolean[clips.length];
        for (int i = 0; i < clips.length; i++) {
            if (!(clips[i] > 0) || !Float.isFinite(clips[i])) {
                throw new BadInputException("activation clip must be positive and finite, got " + clips[i]);
            }
            signed[i] = signed(acts.get(i));
        }
        return new ActivationQuantizer(bits, signed, clips.clone());
    }

    /**
     * Calibrates the clips: the {@code percentile} of |activation| of each activation layer over the
     * first {@code rows} images of {@code data} (rounded down to whole blocks of 64) through the
     * network with weights {@code w}.
     */
    public static ActivationQuantizer calibrate(Network net, float[] w, FloatSet data, int rows, int bits,
            double percentile) {
        int width = 64;
        int n = Math.min(rows, data.count()) / width * width;
        if (n == 0) {
            throw new BadInputException("activation calibration needs at least " + width + " images");
        }
        List<Activation> acts = activations(net);
        List<Layer> layers = net.layers();
        int[] sizes = new int[acts.size()];
        int k = 0;
        for (Layer l : layers) {
            if (l instanceof ActivationLayer) {
                sizes[k++] = l.outSize();
            }
        }
        float[][] values = new float[acts.size()][];
        int[] fill = new int[acts.size()];
        for (int i = 0; i < sizes.length; i++) {
            values[i] = new float[sizes[i] * n];
        }
        BatchMinorForward f = new BatchMinorForward(net, width);
        f.activationHook((a, v, count) -> {
            for (int i = 0; i < count; i++) {
                values[a][fill[a]++] = Math.abs(v[i]);
            }
        });
        float[] z = new float[width * net.classes()];
        for (int b = 0; b < n; b += width) {
            f.logits(w, data.x(), b, width, z, 0);
        }
        float[] clips = new float[acts.size()];
        for (int a = 0; a < clips.length; a++) {
            float[] v = values[a];
            Arrays.sort(v);
            int idx = (int) Math.min(v.length - 1, Math.ceil(percentile / 100.0 * v.length) - 1);
            clips[a] = Math.max(v[Math.max(0, idx)], 1e-6f);
        }
        return of(net, bits, clips);
    }

    private static List<Activation> activations(Network net) {
        List<Activation> out = new ArrayList<>();
        for (Layer l : net.layers()) {
            if (l instanceof ActivationLayer a) {
                out.add(a.activation());
            }
        }
        return out;
    }

    /** Activations with negative outputs get a signed range [-clip, clip]. */
    static boolean signed(Activation a) {
        return a == Activation.HARDTANH || a == Activation.LEAKY_RELU;
    }

    public int bits() {
        return bits;
    }

    /** The clip of each activation layer. */
    public float[] clips() {
        return clip.clone();
    }

    /** The quantized value of {@code x} at activation layer {@code a}. */
    public float quantize(int a, float x) {
        float c = (float) Math.rint(x * (1f / step[a])) + zero[a];
        c = c < 0 ? 0 : c > maxCode[a] ? maxCode[a] : c;
        return (c - zero[a]) * step[a];
    }

    @Override
    public void apply(int a, float[] v, int count) {
        float s = step[a];
        float inv = 1f / s;
        float z = zero[a];
        float max = maxCode[a];
        for (int i = 0; i < count; i++) {
            float c = (float) Math.rint(v[i] * inv) + z;
            c = c < 0 ? 0 : c > max ? max : c;
            v[i] = (c - z) * s;
        }
    }
}
