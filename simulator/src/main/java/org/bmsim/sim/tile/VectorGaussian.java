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
 * in float arithmetic. The transform is exact in distribution; the 24-bit uniforms truncate the
 * tails at |z| = sqrt(-2 ln 2^-24) = 5.77 (probability 8e-9 per draw) and discretise the angle to
 * 2^-24 turns. About 0.3 ns per variate per thread with AVX2/AVX-512 (see docs/machine.md), 10x
 * cheaper than the scalar Ziggurat.
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
            FloatVector rad = ln(u1).mul(-2f).sqrt();
            // angle: 24 bits give a in [-pi/4, pi/4), 2 more bits the quadrant q (rotation by q pi/2)
            FloatVector f = ((FloatVector) r2.lanewise(VectorOperators.LSHR, 8).convert(VectorOperators.I2F, 0))
                    .mul(INV_2_24).sub(0.5f).mul(HALF_PI);
            FloatVector f2 = f.mul(f);
            FloatVector sin = f2.fma(S7, S5).fma(f2, bc(S3)).fma(f2, bc(1f)).mul(f);
            FloatVector cos = f2.fma(C8, C6).fma(f2, bc(C4)).fma(f2, bc(C2)).fma(f2, bc(1f));
            IntVector q = r2.and(3);
            FloatVector odd = (FloatVector) q.and(1).convert(VectorOperators.I2F, 0);
            FloatVector diff = sin.sub(cos);
            FloatVector x = diff.fma(odd, cos); // q odd: swap cos and sin
            FloatVector y = sin.sub(diff.mul(odd));
            IntVector sx = q.lanewise(VectorOperators.XOR, q.lanewise(VectorOperators.LSHR, 1)).and(1)
                    .lanewise(VectorOperators.LSHL, 31);
            IntVector sy = q.lanewise(VectorOperators.LSHR, 1).lanewise(VectorOperators.LSHL, 31);
            x = ((IntVector) x.reinterpretAsInts()).lanewise(VectorOperators.XOR, sx).reinterpretAsFloats();
            y = ((IntVector) y.reinterpretAsInts()).lanewise(VectorOperators.XOR, sy).reinterpretAsFloats();
            rad.mul(x).intoArray(out, i);
            rad.mul(y).intoArray(out, i + LANES);
        }
        a.intoArray(s0, 0);
        b.intoArray(s1, 0);
        c.intoArray(s2, 0);
        d.intoArray(s3, 0);
    }

    // Taylor coefficients on [-pi/4, pi/4]: |error| < 3.3e-7 (sin, degree 7), 2.5e-8 (cos, degree 8)
    private static final float HALF_PI = (float) (Math.PI / 2);
    private static final float S3 = -1f / 6;
    private static final float S5 = 1f / 120;
    private static final float S7 = -1f / 5040;
    private static final float C2 = -1f / 2;
    private static final float C4 = 1f / 24;
    private static final float C6 = -1f / 720;
    private static final float C8 = 1f / 40320;
    private static final float LN2 = (float) Math.log(2);

    /**
     * Natural logarithm of u in (0, 1]: u = 2^e m with m in [sqrt(1/2), sqrt(2)), then
     * ln m = 2 atanh(s) = 2 (s + s^3/3 + ... + s^9/9), s = (m - 1)/(m + 1), |s| &lt; 0.172
     * (truncation error &lt; 2 |s|^11 / 11 = 7e-10).
     */
    static FloatVector ln(FloatVector u) {
        IntVector bits = (IntVector) u.reinterpretAsInts();
        // bias the exponent split so that m lands in [sqrt(1/2), sqrt(2)): add (1 - sqrt(1/2)) worth of mantissa
        IntVector adj = bits.add(0x3f800000 - 0x3f3504f3);
        IntVector e = adj.lanewise(VectorOperators.ASHR, 23).sub(127);
        IntVector mb = adj.and(0x007fffff).add(0x3f3504f3);
        FloatVector m = mb.reinterpretAsFloats();
        FloatVector s = m.sub(1f).div(m.add(1f));
        FloatVector s2 = s.mul(s);
        FloatVector p = s2.fma(1f / 9, 1f / 7).fma(s2, bc(1f / 5)).fma(s2, bc(1f / 3)).fma(s2, bc(1f)).mul(s).mul(2f);
        return ((FloatVector) e.convert(VectorOperators.I2F, 0)).fma(bc(LN2), p);
    }

    private static FloatVector bc(float v) {
        return FloatVector.broadcast(F, v);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
