package org.bmsim.sim.quant;

import java.util.Locale;

/** How JQ chooses a weight's mu and sigma codes (docs/quantization.md). */
public enum JqCoding {
    /**
     * The quantization spec's rule: mu to the nearest uniform code, sigma to the nearest log code
     * (geometric midpoints), the scale max|mu| / (2^(b-1) - 1).
     */
    NEAREST,
    /**
     * The codes whose rounded, saturated sample has the float posterior's mean and standard
     * deviation ({@link MomentMatchedJq}), and the channel scale that fits them best (default).
     */
    MOMENTS;

    /** Lower-case name for the command line and reports. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code nearest} or {@code moments}; anything else is bad input. */
    public static JqCoding parse(String s) {
        for (JqCoding c : values()) {
            if (c.id().equals(s)) {
                return c;
            }
        }
        throw new org.bmsim.common.BadInputException("unknown JQ coding '" + s + "' (expected nearest or moments)");
    }
}
