package org.bmsim.sim.datapath;

import java.util.ArrayList;
import java.util.List;
import org.bmsim.common.BadInputException;
import org.bmsim.noise.rng.GaussianSampler;

/**
 * The parameters of one quantized sampling datapath: the same tuple parameterises the golden
 * model, the Chisel generator (its case class {@code DatapathParams} mirrors this record) and the
 * Verilated RTL. Validated in the compact constructor, so an invalid configuration never exists.
 *
 * @param lanes     parallel lanes, each with its own taus88 generator: 1..64
 * @param muBits    signed mu code width (b_mu)
 * @param sigmaBits unsigned sigma exponent code width (b_sigma), code 0 = sigma 0
 * @param xBits     unsigned activation code width (b_x): 1..16
 * @param wBits     signed sampled weight code width (b_w): 2..16
 * @param accBits   signed accumulator width: wBits + xBits .. 32; the sum wraps (two's complement)
 * @param sampler   Gaussian sampler of every lane
 * @param sigmaStep octave or half-octave grid of the sigma code
 */
public record DatapathConfig(int lanes, int muBits, int sigmaBits, int xBits, int wBits, int accBits,
        GaussianSampler.Mode sampler, SigmaStep sigmaStep) {
    public static final int MAX_LANES = 64;
    /** The grid's weight widths (issue 4). */
    public static final int[] GRID_W_BITS = {2, 3, 4, 6, 8};
    /** The grid's lane counts. */
    public static final int[] GRID_LANES = {1, 8};

    public DatapathConfig {
        if (lanes < 1 || lanes > MAX_LANES) {
            throw new BadInputException("lanes must be in 1.." + MAX_LANES + ", got " + lanes);
        }
        if (sampler == null) {
            throw new BadInputException("sampler mode missing");
        }
        if (xBits < 1 || xBits > 16) {
            throw new BadInputException("xBits must be in 1..16, got " + xBits);
        }
        // checks muBits, sigmaBits, wBits and the step
        JqArithmetic.of(muBits, sigmaBits, wBits, sigmaStep);
        if (accBits < wBits + xBits || accBits > 32) {
            throw new BadInputException("accBits must be in " + (wBits + xBits) + "..32 for wBits " + wBits
                    + " and xBits " + xBits + ", got " + accBits);
        }
    }

    /** Validating factory (same checks as the constructor; named for readability at call sites). */
    public static DatapathConfig of(int lanes, int muBits, int sigmaBits, int xBits, int wBits, int accBits,
            GaussianSampler.Mode sampler, SigmaStep sigmaStep) {
        return new DatapathConfig(lanes, muBits, sigmaBits, xBits, wBits, accBits, sampler, sigmaStep);
    }

    /**
     * The default: 8 lanes, 4-bit mu, 4-bit sigma exponent (half-octave), 4-bit activations, 4-bit
     * sampled weights (the 4/4-bit JQ target of the quantization spec), a 20-bit accumulator, ICDF.
     */
    public static DatapathConfig defaults() {
        return new DatapathConfig(8, 4, 4, 4, 4, 20, GaussianSampler.Mode.ICDF, SigmaStep.HALF_OCTAVE);
    }

    /**
     * The co-verification grid: wBits in {2, 3, 4, 6, 8} x both samplers x both sigma steps x lanes in
     * {1, 8} = 40 configurations, the other widths as in {@link #defaults()}.
     */
    public static List<DatapathConfig> grid() {
        DatapathConfig d = defaults();
        List<DatapathConfig> out = new ArrayList<>();
        for (int lanes : GRID_LANES) {
            for (int w : GRID_W_BITS) {
                for (GaussianSampler.Mode m : GaussianSampler.Mode.values()) {
                    for (SigmaStep s : SigmaStep.values()) {
                        out.add(new DatapathConfig(lanes, d.muBits, d.sigmaBits, d.xBits, w, d.accBits, m, s));
                    }
                }
            }
        }
        return List.copyOf(out);
    }

    /** The per-weight arithmetic of this configuration. */
    public JqArithmetic arithmetic() {
        return JqArithmetic.of(muBits, sigmaBits, wBits, sigmaStep);
    }

    /** Taus88 words one weight sample consumes per lane (1 for ICDF, 6 for CLT12). */
    public int wordsPerSample() {
        return sampler.sampler().wordsPerSample();
    }

    /**
     * A name usable as a Verilog module name, a Verilator prefix and a file name, for example
     * {@code l8_mu4_s4_x4_w4_a20_icdf_half}.
     */
    public String id() {
        return "l" + lanes + "_mu" + muBits + "_s" + sigmaBits + "_x" + xBits + "_w" + wBits + "_a" + accBits + "_"
                + sampler.id() + "_" + sigmaStep.id();
    }

    /** Parses {@link #id()} back (for the native library's model list). */
    public static DatapathConfig parseId(String id) {
        String[] p = id.split("_");
        if (p.length != 8 || !p[0].startsWith("l") || !p[1].startsWith("mu") || !p[2].startsWith("s")
                || !p[3].startsWith("x") || !p[4].startsWith("w") || !p[5].startsWith("a")) {
            throw new BadInputException("not a datapath configuration id: '" + id + "'");
        }
        try {
            return new DatapathConfig(Integer.parseInt(p[0].substring(1)), Integer.parseInt(p[1].substring(2)),
                    Integer.parseInt(p[2].substring(1)), Integer.parseInt(p[3].substring(1)),
                    Integer.parseInt(p[4].substring(1)), Integer.parseInt(p[5].substring(1)),
                    GaussianSampler.Mode.parse(p[6]), SigmaStep.parse(p[7]));
        } catch (NumberFormatException e) {
            throw new BadInputException("not a datapath configuration id: '" + id + "'");
        }
    }
}
