package org.bmsim.sim.datapath;

import java.util.Locale;
import org.bmsim.common.BadInputException;

/**
 * The step of the log2 grid the sigma exponent code lives on (sampler spec, section 8;
 * quantization spec, "Logarithmic (for sigma)"). Both are expressed in half octaves, the unit
 * {@link JqArithmetic} computes in.
 */
public enum SigmaStep {
    /** delta = 1: sigma = 2^(e + e0), sigma * eps is a pure arithmetic shift. */
    OCTAVE(2),
    /** delta = 1/2 (the quantization spec's default): odd exponents multiply eps by sqrt(2) first. */
    HALF_OCTAVE(1);

    private final int halfOctaves;

    SigmaStep(int halfOctaves) {
        this.halfOctaves = halfOctaves;
    }

    /** Half octaves per code step: 2 for octave, 1 for half-octave. */
    public int halfOctaves() {
        return halfOctaves;
    }

    /** The name on the command line and in reports: {@code octave} or {@code half}. */
    public String id() {
        return this == OCTAVE ? "octave" : "half";
    }

    public static SigmaStep parse(String s) {
        String t = s.toLowerCase(Locale.ROOT);
        if (t.equals("octave") || t.equals("1")) {
            return OCTAVE;
        }
        if (t.equals("half") || t.equals("half-octave") || t.equals("0.5") || t.equals("1/2")) {
            return HALF_OCTAVE;
        }
        throw new BadInputException("unknown sigma step '" + s + "' (expected octave or half)");
    }
}
