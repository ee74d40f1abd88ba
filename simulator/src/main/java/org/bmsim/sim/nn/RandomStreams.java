package org.bmsim.sim.nn;

import java.util.SplittableRandom;

/**
 * Independent random streams addressed by a path of integers under one seed, for example
 * (seed, purpose, epoch, batch, chunk): each unit of work draws from its own stream, so results do
 * not depend on how work is spread over threads. The path is hashed with the SplitMix64 finaliser
 * (Steele, Lea, Flood 2014), and the stream is a JDK {@link SplittableRandom} (Gaussians by its
 * modified ziggurat).
 */
public final class RandomStreams {
    /** Stream purposes, so that different uses of one seed never share a stream. */
    public static final long INIT = 1;
    public static final long SHUFFLE = 2;
    public static final long NOISE = 3;
    public static final long MONTE_CARLO = 4;

    private RandomStreams() {
    }

    /** The stream at {@code path} under {@code seed}. */
    public static SplittableRandom stream(long seed, long... path) {
        long h = mix(seed ^ 0x5DEECE66DL);
        for (long p : path) {
            h = mix(h + 0x9E3779B97F4A7C15L * (p + 1));
        }
        return new SplittableRandom(h);
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
