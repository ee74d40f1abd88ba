package org.bmsim.sim.datapath;

import java.util.SplittableRandom;

/**
 * The input ports of a {@link Datapath} for {@code n} consecutive clock cycles, as flat arrays (the
 * same layout crosses the JNI bridge). Row c holds what the driver applies during cycle c; lane l
 * of cycle c is at index {@code c * lanes + l}. The arrays are shared, not copied.
 *
 * @param n     cycles
 * @param lanes lanes per cycle
 * @param ctrl  per cycle: bit 0 {@link #IN_VALID}, bit 1 {@link #IN_FIRST} (this beat starts a new
 *              accumulation), bit 2 {@link #OUT_READY}, bit 3 {@link #SEED_LOAD}
 * @param seed  per cycle: the 64-bit global seed, read when SEED_LOAD is set
 * @param mu    per cycle and lane: signed mu code (muBits)
 * @param sigma per cycle and lane: unsigned sigma exponent code (sigmaBits)
 * @param x     per cycle and lane: unsigned activation code (xBits)
 */
public record Stimulus(int n, int lanes, int[] ctrl, long[] seed, int[] mu, int[] sigma, int[] x) {
    public static final int IN_VALID = 1;
    public static final int IN_FIRST = 2;
    public static final int OUT_READY = 4;
    public static final int SEED_LOAD = 8;

    public Stimulus {
        if (n < 0 || lanes < 1 || ctrl.length < n || seed.length < n || mu.length < n * lanes
                || sigma.length < n * lanes || x.length < n * lanes) {
            throw new IllegalArgumentException("stimulus arrays shorter than " + n + " cycles x " + lanes + " lanes");
        }
    }

    /** All-zero inputs (idle, out_ready low) for {@code n} cycles. */
    public static Stimulus allocate(int n, int lanes) {
        return new Stimulus(n, lanes, new int[n], new long[n], new int[n * lanes], new int[n * lanes],
                new int[n * lanes]);
    }

    /** Sets the control bits of cycle c. */
    public void control(int c, boolean inValid, boolean first, boolean outReady) {
        ctrl[c] = (inValid ? IN_VALID : 0) | (first ? IN_FIRST : 0) | (outReady ? OUT_READY : 0);
    }

    /** Sets the codes of lane l in cycle c. */
    public void codes(int c, int l, int muCode, int sigmaCode, int xCode) {
        int i = c * lanes + l;
        mu[i] = muCode;
        sigma[i] = sigmaCode;
        x[i] = xCode;
    }

    /**
     * Fills every cycle with random legal inputs: in_valid with probability {@code pValid}, out_ready
     * with probability {@code pReady}, a new accumulation ({@code first}) with probability 1/8, codes
     * uniform over their full ranges (sigma code 0, the sigma = 0 code, included). No seed loads.
     */
    public void randomize(DatapathConfig cfg, SplittableRandom rnd, double pValid, double pReady) {
        int muHalf = 1 << (cfg.muBits() - 1);
        int sigmaCount = 1 << cfg.sigmaBits();
        int xCount = 1 << cfg.xBits();
        for (int c = 0; c < n; c++) {
            control(c, rnd.nextDouble() < pValid, rnd.nextInt(8) == 0, rnd.nextDouble() < pReady);
            seed[c] = 0;
            for (int l = 0; l < lanes; l++) {
                codes(c, l, rnd.nextInt(2 * muHalf) - muHalf, rnd.nextInt(sigmaCount), rnd.nextInt(xCount));
            }
        }
    }
}
