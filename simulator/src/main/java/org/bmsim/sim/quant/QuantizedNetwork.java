package org.bmsim.sim.quant;

import java.util.ArrayList;
import java.util.List;
import org.bmsim.common.BadInputException;
import org.bmsim.sim.datapath.JqArithmetic;
import org.bmsim.sim.datapath.SigmaStep;
import org.bmsim.sim.nn.Layer;
import org.bmsim.sim.nn.Network;

/**
 * A Bayesian network under one of the strategies FP, VPQ, SPQ or JQ (quantization spec; Borras,
 * Wu, Klein, Froening, arXiv 2512.10602), post-training quantized from its float parameters. Each
 * weight tensor {@code [out][in...]} is a block of {@code out} rows (output channels). Per row
 * (default) or per layer:
 * <ul>
 *   <li>mu: {@link UniformQuantizer} with s = max|mu| / (2^(b-1) - 1), in hardware mode rounded up to
 *       a power of two;
 *   <li>sigma: {@link LogQuantizer} with the per-layer e_max of the spec (software), or the JQ
 *       hardware grid: code c in 1..2^b - 1 stands for 2^((c + e0) delta) weight LSBs of the row
 *       ({@link JqArithmetic}), i.e. the same rounding rule with the range fixed to the row's
 *       power-of-two LSB instead of the layer's largest sigma; code 0 is sigma = 0. The uniform
 *       ablation quantizes sigma with b-bit unsigned codes (UniformQuantizer of b + 1 bits, the
 *       non-negative half) at s = max sigma / (2^b - 1);
 *   <li>SPQ: the sampled weight at the static range max(|mu| + 3 sigma) / (2^(b-1) - 1);
 *   <li>JQ: the sampled weight on the mu grid (same scale: the hardware's b_mu = b_w);
 *   <li>biases: deterministic, stored for VPQ and JQ as 2b-bit uniform codes with a per-layer scale
 *       (the storage of a (mu, sigma) pair, so the spec's accounting holds), float otherwise.
 * </ul>
 * In hardware mode (JQ only) the sampled weight code is {@link JqArithmetic#sampleWeightCode} of the
 * codes and the bit-exact eps, times the row's scale: the weights the RTL would produce.
 */
public final class QuantizedNetwork implements WeightSource {
    private final Network net;
    private final QuantSpec spec;
    private final QuantOptions options;
    private final List<Block> blocks;
    private final int epsCount;
    private final JqArithmetic jq;
    /** JQ with moment-matched codes: the sigma grid and its encoder (null otherwise). */
    private final Moments moments;
    /** Hessian-compensated rounding of the means (null: each weight rounded on its own). */
    private final HessianCompensation compensation;

    private record Moments(JqArithmetic grid, MomentMatchedJq encoder) {
        int wMax() {
            return grid.wMax();
        }
    }

    /** One weight tensor and its bias, with the per-row quantities. */
    static final class Block {
        String name;
        int muOff;
        int rhoOff;
        int biasOff;
        int rows;
        int cols;
        int biasSize;
        /** Scale of mu and (JQ) of the sampled weight, per row. */
        double[] scale;
        /** SPQ: static range of the sampled weight, per row. */
        double[] spqScale;
        float[] mu;
        float[] sigma;
        int[] muCode;
        int[] sigmaCode;
        float[] bias;
        /** Software sigma grid's e_max (log) or uniform sigma scale, for the report. */
        int sigmaEMax;
    }

    private QuantizedNetwork(Network net, QuantSpec spec, QuantOptions options, HessianCompensation compensation) {
        this.net = net;
        this.spec = spec;
        this.options = options;
        this.compensation = spec.strategy().storesCodes() ? compensation : null;
        if (options.hardware() && spec.strategy() != Strategy.JQ) {
            throw new BadInputException("hardware mode applies to jq only, not " + spec.id());
        }
        if (options.hardware() && !options.logSigma()) {
            throw new BadInputException("hardware mode uses the log sigma grid");
        }
        this.jq = options.hardware() ? JqArithmetic.of(spec.bits(), spec.bits(), spec.bits(),
                options.sigmaDelta() == LogQuantizer.OCTAVE ? SigmaStep.OCTAVE : SigmaStep.HALF_OCTAVE) : null;
        boolean mm = spec.strategy() == Strategy.JQ && options.jqCoding() == JqCoding.MOMENTS && options.logSigma()
                && net.bayesian();
        JqArithmetic grid = mm ? (jq != null ? jq : JqArithmetic.of(spec.bits(), spec.bits(), spec.bits(),
                options.sigmaDelta() == LogQuantizer.OCTAVE ? SigmaStep.OCTAVE : SigmaStep.HALF_OCTAVE)) : null;
        this.moments = mm ? new Moments(grid, MomentMatchedJq.of(grid)) : null;
        if (mm && options.subLsbGain() == QuantOptions.AUTO_GAIN) {
            throw new IllegalArgumentException("the sub-LSB sigma gain of " + spec.id() + " is 'auto': resolve it with "
                    + "SubLsbGain.calibrate (or fix it with QuantOptions.withSubLsbGain) before quantizing");
        }
        this.blocks = new ArrayList<>();
        float[] p = net.params();
        float[] sig = new float[p.length];
        net.sigmas(sig, null, null, 0, p.length);
        int eps = 0;
        List<Layer.TensorSlot> ts = net.tensors();
        for (int t = 0; t < ts.size(); t++) {
            Layer.TensorSlot s = ts.get(t);
            if (s.kind() != Layer.TensorSlot.Kind.WEIGHT_MU) {
                continue;
            }
            Block b = new Block();
            b.name = s.name();
            b.muOff = s.offset();
            b.rows = s.shape()[0];
            b.cols = s.size() / b.rows;
            b.rhoOff = net.bayesian() ? s.offset() + s.size() : -1;
            Layer.TensorSlot bias = t + 1 < ts.size() && ts.get(t + 1).kind() == Layer.TensorSlot.Kind.BIAS ? ts.get(t + 1)
                    : t + 2 < ts.size() && ts.get(t + 2).kind() == Layer.TensorSlot.Kind.BIAS ? ts.get(t + 2) : null;
            b.biasOff = bias == null ? -1 : bias.offset();
            b.biasSize = bias == null ? 0 : bias.size();
            build(b, p, sig);
            blocks.add(b);
            if (net.bayesian()) {
                eps += s.size();
            }
        }
        this.epsCount = eps;
    }

    /** Post-training quantization of {@code net} (Bayesian or plain) under {@code spec} and {@code options}. */
    public static QuantizedNetwork of(Network net, QuantSpec spec, QuantOptions options) {
        if (spec.strategy() == Strategy.SHARE) {
            throw new BadInputException("share is built by WeightSharing, not QuantizedNetwork");
        }
        return new QuantizedNetwork(net, spec, options, null);
    }

    /**
     * As {@link #of(Network, QuantSpec, QuantOptions)}, the mean weights of VPQ and JQ rounded with
     * Hessian compensation ({@link HessianCompensation}, measured on this network; null: none).
     */
    public static QuantizedNetwork of(Network net, QuantSpec spec, QuantOptions options,
            HessianCompensation compensation) {
        if (spec.strategy() == Strategy.SHARE) {
            throw new BadInputException("share is built by WeightSharing, not QuantizedNetwork");
        }
        return new QuantizedNetwork(net, spec, options, compensation);
    }

    private void build(Block b, float[] p, float[] sig) {
        int n = b.rows * b.cols;
        b.mu = new float[n];
        b.sigma = new float[n];
        System.arraycopy(p, b.muOff, b.mu, 0, n);
        if (b.rhoOff >= 0) {
            System.arraycopy(sig, b.rhoOff, b.sigma, 0, n);
        }
        b.bias = b.biasOff < 0 ? new float[0] : java.util.Arrays.copyOfRange(p, b.biasOff, b.biasOff + b.biasSize);
        Strategy st = spec.strategy();
        if (st == Strategy.FP) {
            return;
        }
        int bits = spec.bits();
        UniformQuantizer uq = UniformQuantizer.of(bits);
        if (st == Strategy.SPQ) {
            b.spqScale = new double[b.rows];
            float[] range = new float[n];
            for (int i = 0; i < n; i++) {
                range[i] = Math.abs(b.mu[i]) + 3 * b.sigma[i];
            }
            fillScales(b, range, uq, b.spqScale);
            return;
        }
        // VPQ and JQ: mu codes, sigma codes, 2b-bit biases
        b.scale = new double[b.rows];
        b.muCode = new int[n];
        b.sigmaCode = new int[n];
        if (moments != null) {
            encodeMoments(b);
            quantizeBias(b);
            return;
        }
        fillScales(b, b.mu, uq, b.scale);
        float[] muQ = new float[n];
        double[] u = compensation == null ? null : compensation.factor(b.muOff);
        for (int r = 0; r < b.rows; r++) {
            int base = r * b.cols;
            double s = b.scale[r];
            if (u != null) {
                HessianCompensation.roundRow(u, row(b.mu, base, b.cols), (j, target) -> {
                    b.muCode[base + j] = uq.code(target, s);
                    return UniformQuantizer.value(b.muCode[base + j], s);
                });
            } else {
                for (int j = 0; j < b.cols; j++) {
                    b.muCode[base + j] = uq.code(b.mu[base + j], s);
                }
            }
            for (int j = 0; j < b.cols; j++) {
                muQ[base + j] = (float) UniformQuantizer.value(b.muCode[base + j], s);
            }
        }
        b.mu = muQ;
        float[] sigQ = new float[n];
        if (jq != null) {
            LogQuantizer lq = LogQuantizer.of(bits, options.sigmaDelta());
            // the grid in weight LSBs of the row: code c is 2^((c + e0) delta) LSBs
            int lo = 1 + jq.e0();
            int hi = jq.sigmaCodeMax() + jq.e0();
            for (int r = 0; r < b.rows; r++) {
                for (int j = 0; j < b.cols; j++) {
                    int i = r * b.cols + j;
                    float s = b.sigma[i];
                    b.sigmaCode[i] = s == 0 ? JqArithmetic.SIGMA_ZERO_CODE
                            : lq.exponentIn(s / b.scale[r], lo, hi) - jq.e0();
                    sigQ[i] = (float) (jq.sigmaLsb(b.sigmaCode[i]) * b.scale[r]);
                }
            }
        } else if (options.logSigma()) {
            LogQuantizer lq = LogQuantizer.of(bits, options.sigmaDelta());
            double max = 0;
            for (float s : b.sigma) {
                max = Math.max(max, s);
            }
            if (max > 0) {
                int eMax = lq.eMax(max);
                b.sigmaEMax = eMax;
                for (int i = 0; i < n; i++) {
                    b.sigmaCode[i] = lq.code(b.sigma[i], eMax);
                    sigQ[i] = (float) lq.valueOfCode(b.sigmaCode[i], eMax);
                }
            }
        } else {
            UniformQuantizer su = UniformQuantizer.of(bits + 1);
            double[] ss = new double[b.rows];
            fillScales(b, b.sigma, su, ss);
            for (int r = 0; r < b.rows; r++) {
                for (int j = 0; j < b.cols; j++) {
                    int i = r * b.cols + j;
                    b.sigmaCode[i] = su.code(b.sigma[i], ss[r]);
                    sigQ[i] = (float) UniformQuantizer.value(b.sigmaCode[i], ss[r]);
                }
            }
        }
        if (b.rhoOff >= 0) {
            b.sigma = sigQ;
        }
        quantizeBias(b);
    }

    /**
     * JQ with {@link JqCoding#MOMENTS}: per channel (or per layer) the scale from the candidates of
     * {@link MomentMatchedJq}, per weight the mu and sigma codes whose rounded sample matches N(mu, sigma^2).
     * The sigma grid is the datapath's ({@link JqArithmetic#sigmaLsb}) in both modes, relative to the
     * channel's weight LSB; software mode's scales need not be powers of two.
     */
    private void encodeMoments(Block b) {
        int n = b.rows * b.cols;
        int wMax = moments.wMax();
        double[] candidates = options.powerOfTwoScales() ? MomentMatchedJq.HARDWARE_SCALES
                : MomentMatchedJq.SOFTWARE_SCALES;
        if (options.channelScales()) {
            for (int r = 0; r < b.rows; r++) {
                b.scale[r] = moments.encoder().channelScale(b.mu, b.sigma, r * b.cols, b.cols,
                        baseScale(b, r * b.cols, b.cols, wMax), candidates);
            }
        } else {
            java.util.Arrays.fill(b.scale, moments.encoder().channelScale(b.mu, b.sigma, 0, n, baseScale(b, 0, n, wMax),
                    candidates));
        }
        int[] codes = new int[2];
        float[] muQ = new float[n];
        float[] sigQ = new float[n];
        double[] u = compensation == null ? null : compensation.factor(b.muOff);
        MomentMatchedJq enc = moments.encoder();
        double gain = options.subLsbGain();
        for (int r = 0; r < b.rows; r++) {
            int base = r * b.cols;
            double lsb = b.scale[r];
            HessianCompensation.Rounder rounder = (j, target) -> {
                enc.encode(target / lsb, SubLsbGain.targetSigmaLsb(b.sigma[base + j] / lsb, gain), codes);
                b.muCode[base + j] = codes[0];
                b.sigmaCode[base + j] = codes[1];
                return enc.meanLsb(codes[0], codes[1]) * lsb;
            };
            if (u != null) {
                HessianCompensation.roundRow(u, row(b.mu, base, b.cols), rounder);
            } else {
                for (int j = 0; j < b.cols; j++) {
                    rounder.round(j, b.mu[base + j]);
                }
            }
            for (int j = 0; j < b.cols; j++) {
                muQ[base + j] = (float) (b.muCode[base + j] * lsb);
                sigQ[base + j] = (float) (moments.grid().sigmaLsb(b.sigmaCode[base + j]) * lsb);
            }
        }
        b.mu = muQ;
        b.sigma = sigQ;
    }

    private static double[] row(float[] a, int from, int n) {
        double[] r = new double[n];
        for (int j = 0; j < n; j++) {
            r[j] = a[from + j];
        }
        return r;
    }

    /** The unit of the scale candidates: max|mu| / wMax (max sigma if every mu is 0), a power of two in hardware mode. */
    private double baseScale(Block b, int from, int n, int wMax) {
        double m = 0;
        double s = 0;
        for (int i = from; i < from + n; i++) {
            m = Math.max(m, Math.abs(b.mu[i]));
            s = Math.max(s, b.sigma[i]);
        }
        double base = m > 0 ? m / wMax : s > 0 ? s / wMax : 1.0;
        return options.powerOfTwoScales() ? UniformQuantizer.powerOfTwoAtLeast(base) : base;
    }

    /** VPQ and JQ biases: 2b-bit uniform codes with a per-layer scale (a power of two in hardware mode). */
    private void quantizeBias(Block b) {
        int bits = spec.bits();
        if (b.bias.length > 0) {
            UniformQuantizer bq = UniformQuantizer.of(Math.min(16, 2 * bits));
            double s = bq.ptqScale(b.bias, 0, b.bias.length);
            if (options.powerOfTwoScales()) {
                s = UniformQuantizer.powerOfTwoAtLeast(s);
            }
            for (int i = 0; i < b.bias.length; i++) {
                b.bias[i] = (float) bq.quantize(b.bias[i], s);
            }
        }
    }

    /** Per-row (or per-layer) post-training scales of {@code x}; powers of two in hardware mode. */
    private void fillScales(Block b, float[] x, UniformQuantizer q, double[] out) {
        if (options.channelScales()) {
            for (int r = 0; r < b.rows; r++) {
                out[r] = q.ptqScale(x, r * b.cols, b.cols);
            }
        } else {
            java.util.Arrays.fill(out, q.ptqScale(x, 0, x.length));
        }
        if (options.powerOfTwoScales()) {
            for (int r = 0; r < b.rows; r++) {
                out[r] = UniformQuantizer.powerOfTwoAtLeast(out[r]);
            }
        }
    }

    @Override
    public Network network() {
        return net;
    }

    @Override
    public QuantSpec spec() {
        return spec;
    }

    public QuantOptions options() {
        return options;
    }

    @Override
    public int epsCount() {
        return epsCount;
    }

    /** The arithmetic of hardware mode (null in software mode). */
    public JqArithmetic arithmetic() {
        return jq;
    }

    @Override
    public void weights(int[] eps, float[] dst) {
        if (eps.length < epsCount) {
            throw new IllegalArgumentException(eps.length + " eps for " + epsCount + " weights");
        }
        System.arraycopy(net.params(), 0, dst, 0, net.paramCount());
        boolean bayes = net.bayesian();
        int k = 0;
        Strategy st = spec.strategy();
        UniformQuantizer uq = st == Strategy.FP ? null : UniformQuantizer.of(spec.bits());
        final float es = CommonRandomNumbers.EPS_SCALE;
        for (Block b : blocks) {
            if (b.biasOff >= 0) {
                System.arraycopy(b.bias, 0, dst, b.biasOff, b.biasSize);
            }
            for (int r = 0; r < b.rows; r++) {
                int base = r * b.cols;
                for (int j = 0; j < b.cols; j++) {
                    int i = base + j;
                    int e = bayes ? eps[k++] : 0;
                    float w;
                    switch (st) {
                        case FP, VPQ -> w = Math.fma(b.sigma[i], e * es, b.mu[i]);
                        case SPQ -> w = (float) uq.quantize(Math.fma(b.sigma[i], e * es, b.mu[i]), b.spqScale[r]);
                        case JQ -> w = jq != null
                                ? (float) (jq.sampleWeightCode(b.muCode[i], b.sigmaCode[i], e) * b.scale[r])
                                : (float) uq.quantize(Math.fma(b.sigma[i], e * es, b.mu[i]), b.scale[r]);
                        default -> throw new IllegalStateException(st.toString());
                    }
                    dst[b.muOff + i] = w;
                }
            }
        }
    }

    /**
     * The network with the stored (quantized) parameters as float parameters: mu := Qu(mu) (the mean of
     * the stored code), sigma := the stored sigma, biases as stored; what an analog machine is
     * programmed with. A sigma of 0 (the zero code, or the uniform ablation's zero) becomes rho = -80
     * (sigma below 1e-34).
     */
    public Network storedNetwork() {
        Network c = net.copy();
        float[] p = c.params();
        for (Block b : blocks) {
            System.arraycopy(b.mu, 0, p, b.muOff, b.mu.length);
            if (b.rhoOff >= 0) {
                for (int i = 0; i < b.sigma.length; i++) {
                    p[b.rhoOff + i] = b.sigma[i] > 0 ? Math.max(-80f, net.transform().rho(b.sigma[i])) : -80f;
                }
            }
            if (b.biasOff >= 0) {
                System.arraycopy(b.bias, 0, p, b.biasOff, b.biasSize);
            }
        }
        return c;
    }

    /** Hardware mode: the mu and sigma codes of weight tensor {@code block} (row-major), for tests and exports. */
    public int[][] codes(int block) {
        Block b = blocks.get(block);
        return new int[][] {b.muCode.clone(), b.sigmaCode.clone()};
    }

    /** Every stored code, mu codes then sigma codes block after block (empty for fp and spq): equal arrays, equal weights. */
    int[] allCodes() {
        int n = 0;
        for (Block b : blocks) {
            n += b.muCode == null ? 0 : 2 * b.muCode.length;
        }
        int[] all = new int[n];
        int at = 0;
        for (Block b : blocks) {
            if (b.muCode != null) {
                System.arraycopy(b.muCode, 0, all, at, b.muCode.length);
                System.arraycopy(b.sigmaCode, 0, all, at + b.muCode.length, b.sigmaCode.length);
                at += 2 * b.muCode.length;
            }
        }
        return all;
    }

    /** The per-row scales of weight tensor {@code block} (null for fp and spq). */
    public double[] scales(int block) {
        Block b = blocks.get(block);
        return b.scale == null ? null : b.scale.clone();
    }

    /** Storage of the network under this strategy (see {@link Storage}). */
    public Storage storage() {
        List<Storage.Layer> layers = new ArrayList<>();
        Strategy st = spec.strategy();
        int scaleBits = options.powerOfTwoScales() ? Storage.EXPONENT_BITS : Storage.FLOAT_BITS;
        for (Block b : blocks) {
            long n = (long) b.rows * b.cols + b.biasSize;
            long perWeight = st.storesCodes() ? 2L * spec.bits() : Storage.FP32_BITS_PER_WEIGHT;
            long scaleCount;
            long scaleLayerCount;
            switch (st) {
                case VPQ, JQ -> {
                    // mu (and sampled weight) scale per row or per layer; sigma grid (e_max) and bias scale per layer
                    scaleCount = (options.channelScales() ? b.rows : 1) + 2;
                    scaleLayerCount = 3;
                }
                case SPQ -> {
                    scaleCount = options.channelScales() ? b.rows : 1;
                    scaleLayerCount = 1;
                }
                default -> {
                    scaleCount = 0;
                    scaleLayerCount = 0;
                }
            }
            layers.add(new Storage.Layer(b.name, n, n * perWeight, scaleCount * scaleBits, scaleLayerCount * scaleBits));
        }
        return Storage.of(layers);
    }
}
