package org.bmsim.noise.rng;

/**
 * One taus88 lane (L'Ecuyer 1996, period about 2^88): the uniform source of the sampler (sampler
 * spec, section 2). Shifts and XORs on three 32-bit words; one output word per call, as one word
 * per clock per lane in hardware.
 *
 * <p>Seeding (spec section 1): the lane's state is the low 32 bits of three consecutive SplitMix64
 * outputs, raised to the component minimums (s1 &gt;= 2, s2 &gt;= 8, s3 &gt;= 16, unsigned); lane
 * {@code i} of a machine seeded with {@code globalSeed} uses the SplitMix64 seed {@code globalSeed ^ i}.
 */
public final class Taus88 {
    private int s1;
    private int s2;
    private int s3;

    private Taus88(int s1, int s2, int s3) {
        this.s1 = s1;
        this.s2 = s2;
        this.s3 = s3;
    }

    /** A lane seeded from a 64-bit SplitMix64 seed (spec section 1). */
    public static Taus88 seeded(long splitMixSeed) {
        int[] s = seedState(splitMixSeed);
        return new Taus88(s[0], s[1], s[2]);
    }

    /** Lane {@code lane} of a machine seeded with {@code globalSeed}: SplitMix64 seed {@code globalSeed ^ lane}. */
    public static Taus88 lane(long globalSeed, int lane) {
        if (lane < 0) {
            throw new IllegalArgumentException("lane must be >= 0, got " + lane);
        }
        return seeded(globalSeed ^ lane);
    }

    /** A lane with an explicit state (already raised to the minimums by the caller). */
    public static Taus88 ofState(int s1, int s2, int s3) {
        return new Taus88(s1, s2, s3);
    }

    /** The seeded state {s1, s2, s3} for a SplitMix64 seed (spec section 1). */
    public static int[] seedState(long splitMixSeed) {
        SplitMix64 sm = new SplitMix64(splitMixSeed);
        int a = (int) sm.next();
        int b = (int) sm.next();
        int c = (int) sm.next();
        return new int[] {raise(a, 2), raise(b, 8), raise(c, 16)};
    }

    private static int raise(int s, int min) {
        return Integer.compareUnsigned(s, min) < 0 ? s + min : s;
    }

    /** The next 32-bit output word (spec section 2). */
    public int nextInt() {
        int b = ((s1 << 13) ^ s1) >>> 19;
        s1 = ((s1 & 0xFFFFFFFE) << 12) ^ b;
        b = ((s2 << 2) ^ s2) >>> 25;
        s2 = ((s2 & 0xFFFFFFF8) << 4) ^ b;
        b = ((s3 << 3) ^ s3) >>> 11;
        s3 = ((s3 & 0xFFFFFFF0) << 17) ^ b;
        return s1 ^ s2 ^ s3;
    }

    /** Fills {@code out[off .. off+n)} with the next {@code n} words. */
    public void next(int[] out, int off, int n) {
        for (int i = 0; i < n; i++) {
            out[off + i] = nextInt();
        }
    }

    public int s1() {
        return s1;
    }

    public int s2() {
        return s2;
    }

    public int s3() {
        return s3;
    }
}
