package org.bmsim.noise.converter;

import org.bmsim.common.BadInputException;

/**
 * Configuration of a row DAC: resolution and input range, in the normalized units of the input
 * vector (the tile maps full scale to its read voltage).
 *
 * <pre>
 *   unsigned: codes 0 .. 2^b - 1,                      step = fullScale / (2^b - 1)
 *   signed:   codes -(2^(b-1) - 1) .. 2^(b-1) - 1,     step = fullScale / (2^(b-1) - 1)
 * </pre>
 *
 * A signed DAC is symmetric (sign and magnitude, 2^b - 1 levels, zero exact), as aihwkit's
 * {@code inp_res} and CrossSim's signed inputs are. {@code dacBits = 0} means unquantized: the
 * input is only clipped to the range.
 *
 * @param dacBits resolution, 0 (unquantized) or 1 .. 24 (2 .. 24 when signed)
 * @param fullScaleInput the largest representable magnitude, &gt; 0, finite
 * @param signed whether negative inputs are representable
 */
public record DacConfig(int dacBits, double fullScaleInput, boolean signed) {
    /** {@code dacBits} value for a DAC that clips but does not quantize. */
    public static final int UNQUANTIZED = 0;

    public DacConfig {
        if (dacBits < 0 || dacBits > 24) {
            throw new BadInputException("DAC bits must be 0 (unquantized) or 1 .. 24, got " + dacBits);
        }
        if (signed && dacBits == 1) {
            throw new BadInputException("a signed DAC needs at least 2 bits (sign and magnitude), got 1");
        }
        if (!(fullScaleInput > 0) || !Double.isFinite(fullScaleInput)) {
            throw new BadInputException("DAC full scale must be finite and > 0, got " + fullScaleInput);
        }
    }

    public static DacConfig of(int dacBits, double fullScaleInput, boolean signed) {
        return new DacConfig(dacBits, fullScaleInput, signed);
    }

    /** The input step between adjacent codes (0 when unquantized). */
    public double stepInput() {
        if (dacBits == UNQUANTIZED) {
            return 0.0;
        }
        long top = signed ? (1L << (dacBits - 1)) - 1 : (1L << dacBits) - 1;
        return fullScaleInput / top;
    }

    /** The largest code (the smallest is its negative when signed, else 0). */
    public long maxCode() {
        if (dacBits == UNQUANTIZED) {
            throw new IllegalStateException("an unquantized DAC has no codes");
        }
        return signed ? (1L << (dacBits - 1)) - 1 : (1L << dacBits) - 1;
    }
}
