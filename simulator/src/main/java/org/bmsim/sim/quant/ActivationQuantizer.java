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
 * clipped to [lo, clip] and rounded (half to even) to 2^b_a equally spaced levels, an unsigned code
 * c in 0..2^b_a - 1 standing for lo + c (clip - lo) / (2^b_a - 1). lo = 0 for the activations without
 * negative outputs (ReLU, clipped ReLU, softplus) and lo = -clip for hardtanh and LeakyReLU (a zero
 * point at mid-range). The clip of each activation layer is calibrated as the given percentile of
 * |activation| over calibration images run through the mean network (PTQ; the learned alternative
 * is PACT, Choi et al. 2018, arXiv 1805.06085).
 */
public final class ActivationQuantizer implements ActivationHook {
    private final int bits;
    private final float[] lo;
    private final float[] step;
    private final float[] clip;

    private ActivationQuantizer(int bits, float[] lo, float[] clip) {
        this.bits = bits;
        this.lo = lo;
        this.clip = clip;
        this.step = new float[clip.length];
        int levels = (1 << bits) - 1;
        for (int i = 0; i < clip.length; i++) {
            step[i] = (clip[i] - lo[i]) / levels;
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
        float[] lo = new float[clips.length];
        for (int i = 0; i < clips.length; i++) {
            if (!(clips[i] > 0) || !Float.isFinite(clips[i])) {
                throw new BadInputException("activation clip must be positive and finite, got " + clips[i]);
            }
            lo[i] = signed(acts.get(i)) ? -clips[i] : 0f;
        }
        return new ActivationQuantizer(bits, lo, clips.clone());
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
        int max = (1 << bits) - 1;
        double c = Math.rint((x - lo[a]) / step[a]);
        c = c < 0 ? 0 : c > max ? max : c;
        return (float) (lo[a] + c * step[a]);
    }

    @Override
    public void apply(int a, float[] v, int count) {
        float l = lo[a];
        float s = step[a];
        float inv = 1f / s;
        float max = (1 << bits) - 1;
        for (int i = 0; i < count; i++) {
            float c = (float) Math.rint((v[i] - l) * inv);
            c = c < 0 ? 0 : c > max ? max : c;
            v[i] = l + c * s;
        }
    }
}
