package org.bmsim.sim.quant;

import org.bmsim.noise.rng.GaussianSampler;
import org.bmsim.noise.rng.SplitMix64;
import org.bmsim.noise.rng.Taus88;

/**
 * The eps stream every Monte Carlo evaluation of the quantization work draws, so that the FP32
 * reference and each quantized run see the very same random numbers (common random numbers: the
 * uncertainty error then measures quantization, not Monte Carlo noise; quantization spec, metrics
 * section). Sample s runs the bit-exact sampler of the datapath: one taus88 lane seeded like lane 0
 * of a machine with global seed {@link #sampleSeed}(seed, s), one word per weight through the ICDF
 * sampler (sampler spec, sections 1, 2, 5), eps in Q3.12. The words are consumed in the datapath's
 * order, layer -> output column -> input row, which is the flat order of the weight tensors
 * ({@code [out][in...]}, row-major) layer after layer. Float strategies use eps / 4096.
 */
public final class CommonRandomNumbers {
    /** eps / 4096 = the real value of a Q3.12 eps. */
    public static final float EPS_SCALE = 1f / (1 << GaussianSampler.EPS_FRAC_BITS);

    private CommonRandomNumbers() {
    }

    /** The global seed of Monte Carlo sample {@code sample}: SplitMix64 finaliser of seed + gamma (s + 1). */
    public static long sampleSeed(long seed, int sample) {
        return SplitMix64.mix(seed + SplitMix64.GAMMA * (sample + 1L));
    }

    /** Fills {@code eps} with sample {@code sample}'s Q3.12 eps, in consumption order. */
    public static void fill(long seed, int sample, int[] eps) {
        Taus88 lane = Taus88.lane(sampleSeed(seed, sample), 0);
        for (int i = 0; i < eps.length; i++) {
            eps[i] = GaussianSampler.Icdf.eps(lane.nextInt());
        }
    }

    /**
     * The eps a datapath with {@code lanes} lanes draws for sample {@code sample}, in the same
     * consumption order: weight tensor after weight tensor ({@code rows[t]} output columns of
     * {@code cols[t]} input rows each), output column r served by lane r mod lanes, each lane a
     * taus88 stream seeded like lane l of a machine with global seed {@link #sampleSeed}(seed, s),
     * through {@code sampler}. One lane with the ICDF sampler is {@link #fill(long, int, int[])}.
     */
    public static void fill(long seed, int sample, int lanes, GaussianSampler sampler, int[] rows, int[] cols,
            int[] eps) {
        long g = sampleSeed(seed, sample);
        Taus88[] lane = new Taus88[lanes];
        for (int l = 0; l < lanes; l++) {
            lane[l] = Taus88.lane(g, l);
        }
        int k = 0;
        for (int t = 0; t < rows.length; t++) {
            for (int r = 0; r < rows[t]; r++) {
                Taus88 ln = lane[r % lanes];
                for (int i = 0; i < cols[t]; i++) {
                    eps[k++] = sampler.next(ln);
                }
            }
        }
        if (k != eps.length) {
            throw new IllegalArgumentException(k + " eps drawn for an array of " + eps.length);
        }
    }
}
