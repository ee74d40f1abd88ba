package org.bmsim.examples.dirty;

/**
 * The Dirty-MNIST-lite builder's random streams: SplitMix64 (Steele, Lea and Flood, "Fast
 * Splittable Pseudorandom Number Generators", OOPSLA 2014), written out here so that the built
 * data do not depend on the JDK's generator implementations. Every stream is keyed by (build seed,
 * purpose, index), so each candidate, image or row draws from its own stream and the result does
 * not depend on which thread computes what. Doubles are the top 53 bits; Gaussians use the
 * Box-Muller transform with {@link StrictMath} (bit-identical on every platform).
 */
final class Rng {
    private long state;

    private Rng(long state) {
        this.state = state;
    }

    /** The stream of {@code (seed, purpose, index)}. */
    static Rng stream(long seed, Purpose purpose, long index) {
        long s = mix(seed ^ 0x6A09E667F3BCC909L);
        s = mix(s + purpose.ordinal() * 0x9E3779B97F4A7C15L + 0x3C6EF372FE94F82BL);
        s = mix(s + index * 0xBF58476D1CE4E5B9L + 0x510E527FADE682D1L);
        return new Rng(s);
    }

    /** What a stream is for; its ordinal is part of the key, so append new purposes at the end. */
    enum Purpose {
        SPLIT, CANDIDATE_TRAIN, CANDIDATE_TEST, TEACHER, LABELS, NOISE_TRAIN, NOISE_TEST, OOD
    }

    /** The SplitMix64 finaliser (Stafford's variant 13). */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    long nextLong() {
        state += 0x9E3779B97F4A7C15L;
        return mix(state);
    }

    /** Uniform in [0, 1). */
    double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [lo, hi). */
    double uniform(double lo, double hi) {
        return lo + (hi - lo) * nextDouble();
    }

    /** Uniform in 0 .. bound-1, without modulo bias (rejection). */
    int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound " + bound);
        }
        long m = (Long.remainderUnsigned(-1L, bound) + 1) % bound; // 2^64 mod bound
        while (true) {
            long r = nextLong(); // accepted: r < 2^64 - m, a whole number of periods of bound
            if (Long.compareUnsigned(r, -1L - m) <= 0) {
                return (int) Long.remainderUnsigned(r, bound);
            }
        }
    }

    /** Standard normal, Box-Muller (one value per two uniforms). */
    double nextGaussian() {
        double u1 = 1.0 - nextDouble(); // (0, 1]
        double u2 = nextDouble();
        return StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * StrictMath.PI * u2);
    }

    /** A class drawn from {@code p[off .. off+k-1]} (a distribution summing to 1). */
    int categorical(double[] p, int off, int k) {
        double u = nextDouble();
        double cum = 0;
        for (int c = 0; c < k - 1; c++) {
            cum += p[off + c];
            if (u < cum) {
                return c;
            }
        }
        return k - 1;
    }
}
