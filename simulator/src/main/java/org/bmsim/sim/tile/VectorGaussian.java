package org.bmsim.sim.tile;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Standard Gaussian variates, eight lanes at a time: the generator of the faithful per-device
 * sampling path, where one draw per multiply-accumulate bounds the speed.
 *
 * <p>Algorithm: eight independent xoshiro128++ generators (Blackman and Vigna, "Scrambled linear
 * pseudorandom number generators", ACM TOMS 47(4), 2021), one per lane of a 256-bit
 * {@link IntVector}, feed the Box-Muller transform (Box and Muller, "A note on the generation of
 * random normal deviates", Ann. Math. Statist. 29(2), 1958): two uniforms u1 in (0, 1], u2 in
 * [0, 1) give two independent N(0, 1) variates
 *
 * <pre>
 *   r = sqrt(-2 ln u1),  z0 = r cos(2 pi u2),  z1 = r sin(2 pi u2)
 * </pre>
 *
 * in float arithmetic, with the Vector API's lane-wise LOG, SIN and COS (intrinsified on x86-64
 * through the JDK's SVML stubs; a polynomial version written here was slower, because C2 did not
 * keep all of its vectors in registers). The transform is exact in distribution; the 24-bit
 * uniforms truncate the tails at |z| = sqrt(-2 ln 2^-24) = 5.77 (probability 8e-9 per draw) and
 * discretise the angle to 2^-24 turns. Measured speed: docs/machine.md.
 *
 * <p>Reproducible: a generator is a pure function of its 64-bit key; lane l's state is seeded with
 * SplitMix64 from (key, l), so {@link #of(long)} with the same key gives the same stream on any
 * machine (fixed 256-bit species, no reliance on the preferred vector width). Not thread-safe: one
 * generator per task, keyed by the task's index.
 */
public final class VectorGaussian {
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_256;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
    /** Lanes per step. */
    public static final int LANES = 8;
    private static final float TWO_PI_OVER_2_24 = (float) (2 * Math.PI / (1 << 24));
    private static final float INV_2_24 = 1f / (1 << 24);

    private final int[] s0 = new int[LANES];
    private final int[] s1 = new int[LANES];
    private final int[] s2 = new int[LANES];
    private final int[] s3 = new int[LANES];

    private VectorGaussian(long key) {
        long z = key;
        for (int l = 0; l < LANES; l++) {
            long a = mix(z += 0x9E3779B97F4A7C15L);
            long b = mix(z += 0x9E3779B97F4A7C15L);
            s0[l] = (int) a;
            s1[l] = (int) (a >>> 32);
            s2[l] = (int) b;
            s3[l] = (int) (b >>> 32);
            if ((s0[l] | s1[l] | s2[l] | s3[l]) == 0) {
                s0[l] = 1;
            }
        }
    }

    /** A generator for a 64-bit key (for example a seed mixed with a tile, sample and read index). */
    public static VectorGaussian of(long key) {
        return new VectorGaussian(key);
    }

    /** A key for the stream {@code index} of the stream family {@code key}: a bijective mix of both. */
    public static long key(long key, long index) {
        return mix(key + mix(index * 0x9E3779B97F4A7C15L + 0x6A09E667F3BCC909L));
    }

    /** Fills {@code out[off .. off + n)} with N(0, 1) variates; n must be a multiple of 16. */
    public void fill(float[] out, int off, int n) {
        if (n % (2 * LANES) != 0) {
            throw new IllegalArgumentException("n must be a multiple of " + 2 * LANES + ", got " + n);
        }
        IntVector a = IntVector.fromArray(I, s0, 0);
        IntVector b = IntVector.fromArray(I, s1, 0);
        IntVector c = IntVector.fromArray(I, s2, 0);
        IntVector d = IntVector.fromArray(I, s3, 0);
        for (int i = off; i < off + n; i += 2 * LANES) {
            // xoshiro128++ step 1
            IntVector r1 = a.add(d).lanewise(VectorOperators.ROL, 7).add(a);
            IntVector t = b.lanewise(VectorOperators.LSHL, 9);
            c = c.lanewise(VectorOperators.XOR, a);
            d = d.lanewise(VectorOperators.XOR, b);
            b = b.lanewise(VectorOperators.XOR, c);
            a = a.lanewise(VectorOperators.XOR, d);
            c = c.lanewise(VectorOperators.XOR, t);
            d = d.lanewise(VectorOperators.ROL, 11);
            // step 2
            IntVector r2 = a.add(d).lanewise(VectorOperators.ROL, 7).add(a);
            t = b.lanewise(VectorOperators.LSHL, 9);
            c = c.lanewise(VectorOperators.XOR, a);
            d = d.lanewise(VectorOperators.XOR, b);
            b = b.lanewise(VectorOperators.XOR, c);
            a = a.lanewise(VectorOperators.XOR, d);
            c = c.lanewise(VectorOperators.XOR, t);
            d = d.lanewise(VectorOperators.ROL, 11);
            // u1 in (0, 1]: the top 24 bits plus one, times 2^-24
            FloatVector u1 = ((FloatVector) r1.lanewise(VectorOperators.LSHR, 8).add(1)
                    .convert(VectorOperators.I2F, 0)).mul(INV_2_24);
            FloatVector rad = u1.lanewise(VectorOperators.LOG).mul(-2f).sqrt();
            FloatVector th = ((FloatVector) r2.lanewise(VectorOperators.LSHR, 8).convert(VectorOperators.I2F, 0))
                    .mul(TWO_PI_OVER_2_24);
            FloatVector x = th.lanewise(VectorOperators.COS);
            FloatVector y = th.lanewise(VectorOperators.SIN);
            rad.mul(x).intoArray(out, i);
            rad.mul(y).intoArray(out, i + LANES);
        }
        a.intoArray(s0, 0);
        b.intoArray(s1, 0);
        c.intoArray(s2, 0);
        d.intoArray(s3, 0);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
