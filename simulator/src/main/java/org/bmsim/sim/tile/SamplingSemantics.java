package org.bmsim.sim.tile;

import java.util.Locale;
import org.bmsim.common.BadInputException;

/**
 * When a tile draws a new sample of its stochastic weights.
 *
 * <ul>
 * <li>{@link #PER_INFERENCE}: one weight sample per Monte Carlo sample, shared by every read of
 *     that inference (every conv window, every image of the batch): the software semantics of
 *     {@code MonteCarloInference} and of the quantization table.</li>
 * <li>{@link #PER_READ}: every read (every input vector applied to the tile, so every conv window)
 *     sees a fresh sample: what intrinsic read noise does physically.</li>
 * </ul>
 */
public enum SamplingSemantics {
    PER_INFERENCE("per-inference"),
    PER_READ("per-read");

    private final String id;

    SamplingSemantics(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static SamplingSemantics parse(String s) {
        for (SamplingSemantics v : values()) {
            if (v.id.equals(s.toLowerCase(Locale.ROOT))) {
                return v;
            }
        }
        throw new BadInputException("unknown sampling semantics '" + s + "'; known: per-inference, per-read");
    }
}
