package org.bmsim.sim.tile;

import java.util.Locale;
import org.bmsim.common.BadInputException;

/** The distribution of a device's per-read noise at fixed variance. */
public enum NoiseShape {
    /** Gaussian read noise ({@code GaussianReadNoise}). */
    GAUSSIAN("gaussian"),
    /** Laplace read noise of equal variance ({@code LaplaceReadNoise}, b = sigma / sqrt 2; Lin et al. 2023). */
    LAPLACE("laplace");

    private final String id;

    NoiseShape(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static NoiseShape parse(String s) {
        for (NoiseShape v : values()) {
            if (v.id.equals(s.toLowerCase(Locale.ROOT))) {
                return v;
            }
        }
        throw new BadInputException("unknown noise shape '" + s + "'; known: gaussian, laplace");
    }
}
