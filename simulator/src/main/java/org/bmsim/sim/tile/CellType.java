package org.bmsim.sim.tile;

import java.util.Locale;
import org.bmsim.common.BadInputException;

/** How one weight (mu, sigma) is held by a crossbar cell. */
public enum CellType {
    /**
     * Two stochastic devices G+, G- read differentially: w = (G+ - G-) / gScale; their
     * state-dependent read noise sigma(G) realises sigma, so the mapping solves for the pair that
     * gives the target mean and standard deviation.
     */
    DIFFERENTIAL_PAIR("differential-pair"),
    /**
     * A mean pair (G+, G-) at the low end of the window plus one tunable stochastic device whose
     * read-noise sigma is set per weight, up to a maximum (for example a stochastic MTJ; Liu et al.,
     * Front. Nanotechnol. 4:1021943, 2022).
     */
    MEAN_PAIR_TUNABLE("mean-pair-tunable"),
    /** A digital cell holding JQ codes (mu, sigma exponent), sampled by the bit-exact JQ datapath. */
    DIGITAL_JQ("digital-jq");

    private final String id;

    CellType(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public boolean analog() {
        return this != DIGITAL_JQ;
    }

    public static CellType parse(String s) {
        for (CellType v : values()) {
            if (v.id.equals(s.toLowerCase(Locale.ROOT))) {
                return v;
            }
        }
        throw new BadInputException("unknown cell type '" + s + "'; known: differential-pair, mean-pair-tunable, digital-jq");
    }
}
