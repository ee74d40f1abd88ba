package org.bmsim.noise.device;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.apache.commons.rng.simple.RandomSource;

/**
 * A seedable, splittable source of the random numbers every noise model draws: uniform, standard
 * Gaussian, standard exponential and standard Laplace variates.
 *
 * <p>Generator: XorShiftRotate {@code XO_RO_SHI_RO_128_PP} (Blackman and Vigna, "Scrambled linear
 * pseudorandom number generators", ACM TOMS 47(4), 2021) from Apache Commons RNG 1.7, with the
 * Ziggurat Gaussian and exponential samplers of McFarland ("A modified ziggurat algorithm for
 * generating exponentially and normally distributed pseudorandom numbers", J. Stat. Comput. Simul.
 * 86(7), 2016) as implemented by {@link ZigguratSampler}; about 3 ns per Gaussian on one core.
 *
 * <p>Reproducibility at any thread count: a generator is identified by a 64-bit key. {@link #of}
 * derives the key from a seed; {@link #split(long)} derives a child's key from the parent's key
 * and an index only, never from the parent's current state. So {@code NoiseRandom.of(s).split(row)}
 * yields the same stream whichever thread asks for it and however much the parent has drawn:
 * give each row, tile or sample its own split and results do not depend on scheduling. The keys
 * are mixed with the SplitMix64 finaliser (Steele, Lea and Flood, "Fast splittable pseudorandom
 * number generators", OOPSLA 2014), which is a bijection of 64-bit words.
 *
 * <p>Not thread-safe: one instance per thread (use {@link #split(long)}). There is no shared static
 * generator anywhere in the noise models.
 */
public final class NoiseRandom {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
    private static final long SEED_SALT = 0x6A09E667F3BCC909L;

    private final long key;
    private final UniformRandomProvider source;
    private final ZigguratSampler.NormalizedGaussian gaussian;
    private final ZigguratSampler.Exponential exponential;

    private NoiseRandom(long key) {
        this.key = key;
        long s0 = mix64(key);
        long s1 = mix64(key + GOLDEN_GAMMA);
        if (s0 == 0 && s1 == 0) {
            s0 = GOLDEN_GAMMA; // the all-zero state is the one xoroshiro state that never leaves zero
        }
        this.source = RandomSource.XO_RO_SHI_RO_128_PP.create(new long[] {s0, s1});
        this.gaussian = ZigguratSampler.NormalizedGaussian.of(source);
        this.exponential = ZigguratSampler.Exponential.of(source);
    }

    /** A generator for a user's seed; equal seeds give equal streams. */
    public static NoiseRandom of(long seed) {
        return new NoiseRandom(mix64(seed ^ SEED_SALT));
    }

    /**
     * An independent child stream numbered {@code index}. Depends only on this generator's key and
     * the index, not on how much this generator has drawn: {@code split(i)} called twice gives two
     * generators with identical streams.
     */
    public NoiseRandom split(long index) {
        return new NoiseRandom(mix64(key + mix64(index * GOLDEN_GAMMA + SEED_SALT)));
    }

    /** A uniform double in [0, 1). */
    public double uniform() {
        return source.nextDouble();
    }

    /** A fair random bit. */
    public boolean bit() {
        return source.nextBoolean();
    }

    /** A standard Gaussian variate N(0, 1). */
    public double gaussian() {
        return gaussian.sample();
    }

    /** A standard exponential variate (mean 1). */
    public double exponential() {
        return exponential.sample();
    }

    /**
     * A standard Laplace variate (location 0, scale 1, variance 2): an exponential with a random
     * sign.
     */
    public double laplace() {
        double e = exponential.sample();
        return source.nextBoolean() ? e : -e;
    }

    /**
     * The sum of {@code n} independent standard Laplace variates (variance 2n), as the summed read of
     * n replicated devices with Laplace noise gives it: a standard Laplace variate is the difference of
     * two independent standard exponentials, so the sum is the difference of two independent
     * Gamma(n, 1) variates (Ahrens-Dieter / Marsaglia-Tsang sampler, Commons RNG). For n = 1 it is
     * {@link #laplace()}, drawing the same numbers.
     */
    public double laplaceSum(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1, got " + n);
        }
        if (n == 1) {
            return laplace();
        }
        if (gammaShape != n) {
            gammaShape = n;
            gamma = org.apache.commons.rng.sampling.distribution.AhrensDieterMarsagliaTsangGammaSampler.of(source, n, 1);
        }
        return gamma.sample() - gamma.sample();
    }

    private int gammaShape;
    private org.apache.commons.rng.sampling.distribution.SharedStateContinuousSampler gamma;

    /** The underlying Commons RNG provider, for samplers not offered here. */
    public UniformRandomProvider provider() {
        return source;
    }

    /** SplitMix64 finaliser (Stafford's variant 13): a bijective 64-bit mixer. */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
