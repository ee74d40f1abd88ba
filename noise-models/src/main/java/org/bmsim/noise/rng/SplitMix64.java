package org.bmsim.noise.rng;

/**
 * SplitMix64, used only to seed the taus88 lanes (sampler spec, section 1).
 *
 * <pre>
 * state += 0x9E3779B97F4A7C15; z = state
 * z = (z ^ (z &gt;&gt;&gt; 30)) * 0xBF58476D1CE4E5B9
 * z = (z ^ (z &gt;&gt;&gt; 27)) * 0x94D049BB133111EB
 * return z ^ (z &gt;&gt;&gt; 31)
 * </pre>
 */
public final class SplitMix64 {
    public static final long GAMMA = 0x9E3779B97F4A7C15L;
    public static final long MIX1 = 0xBF58476D1CE4E5B9L;
    public static final long MIX2 = 0x94D049BB133111EBL;

    private long state;

    public SplitMix64(long seed) {
        this.state = seed;
    }

    /** The next 64-bit output. */
    public long next() {
        state += GAMMA;
        return mix(state);
    }

    /** The output function applied to an advanced state (the RTL seeder computes the same). */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * MIX1;
        z = (z ^ (z >>> 27)) * MIX2;
        return z ^ (z >>> 31);
    }
}
