package org.bmsim.sim.datapath;

/**
 * The output ports of a {@link Datapath} for {@code n} cycles, sampled during each cycle before its
 * closing clock edge, as flat arrays (lane l of cycle c at {@code c * lanes + l}).
 *
 * @param n     cycles
 * @param lanes lanes per cycle
 * @param flags per cycle: bit 0 {@link #IN_READY}, bit 1 {@link #OUT_VALID}
 * @param w     sampled weight code (signed wBits)
 * @param acc   accumulated product including this beat (signed accBits)
 * @param eps   the Gaussian sample (Q3.12) this weight used (an observability port)
 * @param word  the first taus88 word of that sample (an observability port)
 */
public record Trace(int n, int lanes, int[] flags, int[] w, int[] acc, int[] eps, int[] word) {
    public static final int IN_READY = 1;
    public static final int OUT_VALID = 2;

    public Trace {
        if (n < 0 || lanes < 1 || flags.length < n || w.length < n * lanes || acc.length < n * lanes
                || eps.length < n * lanes || word.length < n * lanes) {
            throw new IllegalArgumentException("trace arrays shorter than " + n + " cycles x " + lanes + " lanes");
        }
    }

    public static Trace allocate(int n, int lanes) {
        return new Trace(n, lanes, new int[n], new int[n * lanes], new int[n * lanes], new int[n * lanes],
                new int[n * lanes]);
    }

    public boolean inReady(int c) {
        return (flags[c] & IN_READY) != 0;
    }

    public boolean outValid(int c) {
        return (flags[c] & OUT_VALID) != 0;
    }
}
