package org.bmsim.noise.device;

import org.bmsim.common.BadInputException;

/**
 * Stuck devices: each device is, independently and once (at fabrication or after programming),
 * stuck at g_min with probability pStuckAtGMin, stuck at g_max with probability pStuckAtGMax, or
 * healthy (it keeps its programmed conductance):
 *
 * <pre>
 *   u ~ U[0, 1):  u &lt; p_min -&gt; g_min;  p_min &lt;= u &lt; p_min + p_max -&gt; g_max;  else g
 * </pre>
 *
 * The usual stuck-at fault model (as in MemTorch's {@code DeviceFaults}, Lammie et al.,
 * Neurocomputing 485, 124-133 (2022)). None of the presets' sources publishes fault rates, so the
 * presets leave them at zero; set them from your own yield data.
 *
 * @param pStuckAtGMin probability in [0, 1]
 * @param pStuckAtGMax probability in [0, 1], with pStuckAtGMin + pStuckAtGMax &lt;= 1
 * @param window the conductances a device is stuck at: its g_min and g_max
 */
public record StuckDevices(double pStuckAtGMin, double pStuckAtGMax, ConductanceRange window) {

    public StuckDevices {
        if (window == null) {
            throw new NullPointerException("window");
        }
        if (!(pStuckAtGMin >= 0 && pStuckAtGMin <= 1) || !(pStuckAtGMax >= 0 && pStuckAtGMax <= 1)
                || !(pStuckAtGMin + pStuckAtGMax <= 1)) {
            throw new BadInputException("stuck devices: probabilities must lie in [0, 1] and sum to <= 1, got "
                    + pStuckAtGMin + " (at g_min) and " + pStuckAtGMax + " (at g_max)");
        }
    }

    public static StuckDevices of(double pStuckAtGMin, double pStuckAtGMax, ConductanceRange window) {
        return new StuckDevices(pStuckAtGMin, pStuckAtGMax, window);
    }

    /** No stuck devices. */
    public static StuckDevices none(ConductanceRange window) {
        return new StuckDevices(0, 0, window);
    }

    /** The conductance of one device programmed to g (g itself if healthy). */
    public double apply(double gMicroSiemens, NoiseRandom rng) {
        double u = rng.uniform();
        if (u < pStuckAtGMin) {
            return window.gMinMicroSiemens();
        }
        if (u < pStuckAtGMin + pStuckAtGMax) {
            return window.gMaxMicroSiemens();
        }
        return gMicroSiemens;
    }

    /** {@code out[i] = apply(g[i])}; out may be g. */
    public void apply(float[] gMicroSiemens, float[] out, NoiseRandom rng) {
        if (out.length != gMicroSiemens.length) {
            throw new IllegalArgumentException("out has " + out.length + " elements, g has " + gMicroSiemens.length);
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) apply(gMicroSiemens[i], rng);
        }
    }
}
