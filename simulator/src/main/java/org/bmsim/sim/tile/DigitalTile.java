package org.bmsim.sim.tile;

import org.bmsim.noise.converter.Dac;
import org.bmsim.noise.converter.DacConfig;
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
 * {@code w_code * scale_j}, scale_j a power of two per output channel.
 *
 * <p>Stages: 1. scale (abs-max, as the analog tile) and 2. DAC (activation quantizer; skipped when
 * dacBits = 0, the ideal machine), 3. sample and multiply (integer weights, float accumulation:
 * exact for the code ranges used), 4. no ADC, 5. rescale.
 */
public final class DigitalTile {
    private final int rows;
    private final int cols;
    private final DatapathConfig cfg;
    private final JqArithmetic jq;
    private final GaussianSampler sampler;
    private final int[] muCode;
    private final int[] sigmaCode;
    private final float[] colScale;
    private final Dac dac;
    private final SamplingSemantics semantics;

    public DigitalTile(int rows, int cols, DatapathConfig cfg, JqEncoder.Codes codes, DacConfig dac,
            SamplingSemantics semantics) {
        this.rows = rows;
        this.cols = cols;
        this.cfg = cfg;
        this.jq = cfg.arithmetic();
        this.sampler = cfg.sampler().sampler();
        this.muCode = codes.muCode();
        this.sigmaCode = codes.sigmaCode();
        this.colScale = codes.columnScale();
        this.dac = dac.dacBits() == 0 ? null : Dac.of(dac);
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
                w[k] = code * colScale[j];
            }
        }
    }

    /** Reads the tile {@code reads} times; see {@link AnalogTile#read} for the meaning of the key. */
    public void read(float[] x, int reads, float[] y, long key) {
        float[] xs = new float[reads * rows];
        float[] alpha = new float[reads];
        for (int b = 0; b < reads; b++) {
            float a = 1f;
            if (dac != null) {
                a = 0f;
                for (int i = 0; i < rows; i++) {
                    a = Math.max(a, Math.abs(x[b * rows + i]));
                }
                a = a > 0 ? a : 1f;
            }
            alpha[b] = a;
            for (int i = 0; i < rows; i++) {
                float v = x[b * rows + i];
                xs[b * rows + i] = dac == null ? v : (float) dac.convert(v / a);
            }
        }
        float[] w = new float[rows * cols];
        if (semantics == SamplingSemantics.PER_INFERENCE) {
            sample(key, w);
            Gemm.mul(reads, cols, rows, xs, 0, w, 0, y, 0, false);
        } else {
            for (int b = 0; b < reads; b++) {
                sample(org.bmsim.sim.tile.VectorGaussian.key(key, b), w);
                Gemm.mul(1, cols, rows, xs, b * rows, w, 0, y, b * cols, false);
            }
        }
        for (int b = 0; b < reads; b++) {
            for (int j = 0; j < cols; j++) {
                y[b * cols + j] *= alpha[b];
            }
        }
    }
}
