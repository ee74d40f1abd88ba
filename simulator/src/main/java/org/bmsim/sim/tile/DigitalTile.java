package org.bmsim.sim.tile;

import org.bmsim.noise.rng.GaussianSampler;
import org.bmsim.noise.rng.Taus88;
import org.bmsim.sim.datapath.DatapathConfig;
import org.bmsim.sim.datapath.JqArithmetic;
import org.bmsim.sim.nn.Gemm;

/**
 * A tile of digital cells: each cell holds the JQ codes of one weight (a signed mu code and a
 * sigma exponent code), and the bit-exact JQ datapath samples
 * {@code w = JqArithmetic.sampleWeightCode(mu, sigma, eps)} with eps from the lane's taus88
 * generator through the configured {@link GaussianSampler}. Output column j is served by lane
 * j mod lanes and its weights are drawn in input-row order (the datapath's consumption order,
 * {@code Datapath}: sample, layer, output column, input row). The weight of column j is
 * {@code w_code * scale_j}, scale_j the channel's weight LSB (a power of two, or any value with a
 * multiplier after the accumulator). The codes and scales are the quantization work's
 * ({@code QuantizedNetwork}, JQ hardware mode), so the tile samples the weights the RTL produces.
 *
 * <p>Stages: 1. the inputs are the activation codes of the network's activation quantizer (x_bits;
 * the first layer takes the normalised pixels), 2. sample and multiply (integer weights times the
 * scale, float accumulation), 3. no ADC. Used for per-read sampling; per-inference sampling of a
 * whole digital machine runs the same weights through the network's inference kernel
 * ({@code MappedNetwork}).
 */
public final class DigitalTile {
    private final int rows;
    private final int cols;
    private final DatapathConfig cfg;
    private final JqArithmetic jq;
    private final GaussianSampler sampler;
    private final int[] muCode;
    private final int[] sigmaCode;
    private final double[] colScale;
    private final SamplingSemantics semantics;

    /**
     * @param muCode    mu codes, row-major [rows x cols] (row = input, column = output)
     * @param sigmaCode sigma codes, same layout
     * @param colScale  the weight LSB of each column
     */
    public DigitalTile(int rows, int cols, DatapathConfig cfg, int[] muCode, int[] sigmaCode, double[] colScale,
            SamplingSemantics semantics) {
        if (muCode.length != rows * cols || sigmaCode.length != rows * cols || colScale.length != cols) {
            throw new IllegalArgumentException("codes of " + muCode.length + " cells and " + colScale.length
                    + " scales for a " + rows + " x " + cols + " tile");
        }
        this.rows = rows;
        this.cols = cols;
        this.cfg = cfg;
        this.jq = cfg.arithmetic();
        this.sampler = cfg.sampler().sampler();
        this.muCode = muCode;
        this.sigmaCode = sigmaCode;
        this.colScale = colScale;
        this.semantics = semantics;
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public DatapathConfig datapath() {
        return cfg;
    }

    /** One weight sample for the stream {@code key} into {@code w[rows x cols]} (row-major, real units). */
    public void sample(long key, float[] w) {
        int lanes = cfg.lanes();
        Taus88[] lane = new Taus88[lanes];
        for (int l = 0; l < lanes; l++) {
            lane[l] = Taus88.lane(key, l);
        }
        for (int j = 0; j < cols; j++) {
            Taus88 t = lane[j % lanes];
            for (int i = 0; i < rows; i++) {
                int k = i * cols + j;
                int code = jq.sampleWeightCode(muCode[k], sigmaCode[k], sampler.next(t));
                w[k] = (float) (code * colScale[j]);
            }
        }
    }

    /** Reads the tile {@code reads} times; see {@link AnalogTile#read} for the meaning of the key. */
    public void read(float[] x, int reads, float[] y, long key) {
        float[] w = new float[rows * cols];
        if (semantics == SamplingSemantics.PER_INFERENCE) {
            sample(key, w);
            Gemm.mul(reads, cols, rows, x, 0, w, 0, y, 0, false);
        } else {
            for (int b = 0; b < reads; b++) {
                sample(org.bmsim.sim.tile.VectorGaussian.key(key, b), w);
                Gemm.mul(1, cols, rows, x, b * rows, w, 0, y, b * cols, false);
            }
        }
    }
}
