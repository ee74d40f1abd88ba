package org.bmsim.noise.converter;

/**
 * A uniform DAC that drives the rows: each input value becomes the nearest representable level.
 *
 * <pre>
 *   1. clip:     x' = clip(x, signed ? -fullScale : 0, fullScale)
 *   2. quantize: code = rint(x' / step),  out = code * step      (skipped when dacBits = 0)
 * </pre>
 *
 * {@code rint} rounds half to even. Deterministic: DAC nonidealities (INL, settling error, noise)
 * are left out.
 */
public final class Dac {
    private final DacConfig config;
    private final double step;
    private final double lo;
    private final double hi;

    private Dac(DacConfig config) {
        this.config = config;
        this.step = config.stepInput();
        this.hi = config.fullScaleInput();
        this.lo = config.signed() ? -hi : 0.0;
    }

    public static Dac of(DacConfig config) {
        return new Dac(config);
    }

    public DacConfig config() {
        return config;
    }

    /** The code for x (requires a quantizing DAC). */
    public long code(double x) {
        if (step == 0) {
            throw new IllegalStateException("an unquantized DAC has no codes");
        }
        return (long) Math.rint(clip(x) / step);
    }

    /** The level the DAC drives for input x, in input units. */
    public double convert(double x) {
        double clipped = clip(x); // 1. clip
        if (step == 0) {
            return clipped;
        }
        return Math.rint(clipped / step) * step; // 2. quantize
    }

    /** {@code out[i] = convert(in[i])}; out may be in. */
    public void convert(float[] in, float[] out) {
        if (out.length != in.length) {
            throw new IllegalArgumentException("out has " + out.length + " elements, in has " + in.length);
        }
        for (int i = 0; i < in.length; i++) {
            out[i] = (float) convert(in[i]);
        }
    }

    private double clip(double x) {
        return Math.min(Math.max(x, lo), hi);
    }
}
