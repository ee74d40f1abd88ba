package org.bmsim.sim.tile;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import org.bmsim.noise.converter.AdcRange;
import org.bmsim.noise.converter.Dac;
import org.bmsim.noise.converter.DacConfig;
import org.bmsim.noise.converter.SharedAdcs;
import org.bmsim.noise.device.ConductanceFunction;
import org.bmsim.noise.device.CorrelatedNoise;
import org.bmsim.noise.device.NoiseRandom;
import org.bmsim.sim.nn.Parallel;

/**
 * One analog crossbar tile, read as labelled stages (aihwkit's order):
 *
 * <pre>
 *   1. scale      alpha_b = max_i |x_bi| (abs-max input scaling, 1 when the read is all zero); x' = x / alpha_b
 *   2. DAC        x'' = Dac.convert(x')          clip to full scale, quantize to dacBits
 *      drive      x''_bi *= rowGain_i            per-row drive amplitude (only with row-column scales)
 *   3. multiply   y'_bj = sum_i x''_bi w_ij      w_ij sampled per read or per inference (see below)
 *   4. ADC        y''_bj = SharedAdcs.convert(y'_bj)    (skipped when the machine has an ideal readout)
 *   5. rescale    y_bj = alpha_b wScale colScale_j y''_bj   digital (colScale_j = 1 without row-column scales)
 * </pre>
 *
 * With row-column scales (docs/device-aware.md, section 2b) the matrix holds
 * mu_ij / (wScale rowGain_i colScale_j): row i is driven at rowGain_i of the DAC's full-scale
 * amplitude after conversion (a programmable row drive, so the DAC keeps its resolution) and column
 * j's output is multiplied by colScale_j digitally; the device noise rides on both like the mean.
 *
 * Weights are in normalized units (mu / wScale, |mu / wScale| &lt;= 1). Stage 3 runs on one of
 * three paths: {@link Path#FAST} (output-referred, only where {@link FastPathRule} allows it),
 * {@link Path#FAITHFUL} (Gaussian sample per device, {@link MvmKernels}), or
 * {@link Path#DEVICE_LEVEL} (each device of the pair read through its noise model: Laplace shape,
 * time-correlated 1/f or RTN; reads run in time order on one thread, the correlated state carried
 * from read to read and from one Monte Carlo sample to the next).
 */
public final class AnalogTile {
    /** The multiply stage's implementation. */
    public enum Path { FAST, FAITHFUL, DEVICE_LEVEL, NOISE_FREE }

    private final TileMatrix m;
    private final Dac dac;
    private SharedAdcs adcs;
    private final SamplingSemantics semantics;
    private final NoiseShape shape;
    private final double wScale;
    private final float[] rowGain;
    private final float[] colScale;
    private final Path path;
    private final FastPathRule.Decision decision;
    // device level
    private final float[] gPlus;
    private final float[] gMinus;
    private final float[] sigmaPlusUs;
    private final float[] sigmaMinusUs;
    private final double gScale;
    private final int replicas;
    private final CorrelatedNoise correlated;
    private final float[] statePlus;
    private final float[] stateMinus;

    private AnalogTile(Builder b) {
        this.m = b.matrix;
        this.dac = Dac.of(b.dac);
        this.adcs = b.adcs;
        this.semantics = b.semantics;
        this.shape = b.shape;
        this.wScale = b.wScale;
        this.rowGain = b.rowGain;
        this.colScale = b.colScale;
        if (rowGain != null && rowGain.length != m.rows || colScale != null && colScale.length != m.cols) {
            throw new IllegalArgumentException("row gains need one value per row, column scales one per column");
        }
        this.correlated = b.correlated;
        this.decision = FastPathRule.decide(new FastPathRule.Inputs(semantics, false, shape, correlated != null, false));
        if (m.noiseFree() && correlated == null) {
            path = Path.NOISE_FREE;
        } else if (shape != NoiseShape.GAUSSIAN || correlated != null) {
            path = Path.DEVICE_LEVEL;
        } else if (decision.fast() && b.allowFast) {
            path = Path.FAST;
        } else {
            path = Path.FAITHFUL;
        }
        this.gPlus = b.gPlus;
        this.gMinus = b.gMinus;
        this.gScale = b.gScale;
        this.replicas = b.replicas;
        if (correlated != null && replicas > 1) {
            throw new IllegalStateException("time-correlated noise is modelled per device: one replica per polarity");
        }
        if (path == Path.DEVICE_LEVEL) {
            if (gPlus == null) {
                throw new IllegalStateException("the device-level path needs the mapped conductances");
            }
            int n = m.rows * m.cols;
            sigmaPlusUs = new float[n];
            sigmaMinusUs = new float[n];
            // split each cell's sigma over its two devices in proportion to the device curve
            for (int k = 0; k < n; k++) {
                double sp = b.readSigma == null ? 0 : b.readSigma.at(gPlus[k]);
                double sm = b.readSigma == null ? 0 : b.readSigma.at(gMinus[k]);
                double tot = Math.sqrt(sp * sp + sm * sm);
                double want = b.sigmaUsTotal[k];
                double f = tot > 0 ? want / tot : 0;
                sigmaPlusUs[k] = (float) (tot > 0 ? sp * f : want / Math.sqrt(2));
                sigmaMinusUs[k] = (float) (tot > 0 ? sm * f : want / Math.sqrt(2));
            }
            if (correlated != null) {
                statePlus = new float[n * correlated.stateSize()];
                stateMinus = new float[n * correlated.stateSize()];
                NoiseRandom r = NoiseRandom.of(b.stateSeed);
                correlated.start(gPlus, statePlus, r.split(0));
                correlated.start(gMinus, stateMinus, r.split(1));
            } else {
                statePlus = null;
                stateMinus = null;
            }
        } else {
            sigmaPlusUs = null;
            sigmaMinusUs = null;
            statePlus = null;
            stateMinus = null;
        }
    }

    public TileMatrix matrix() {
        return m;
    }

    public Path path() {
        return path;
    }

    public FastPathRule.Decision fastPathDecision() {
        return decision;
    }

    public SamplingSemantics semantics() {
        return semantics;
    }

    public CorrelatedNoise correlated() {
        return correlated;
    }

    public SharedAdcs adcs() {
        return adcs;
    }

    /** Replaces the ADCs (after calibrating their range on {@link #noiseFreeColumnOutputs}). */
    public void setAdcs(SharedAdcs a) {
        this.adcs = a;
    }

    /**
     * Stages 1-3 with the mean weights and no ADC: the normalized column outputs {@code y'} that the
     * ADC would see without noise, for calibrating a percentile ADC range.
     */
    public float[] noiseFreeColumnOutputs(float[] x, int reads, Parallel par) {
        int rows = m.rows;
        float[] xs = new float[reads * rows];
        for (int b = 0; b < reads; b++) {
            float a = 0f;
            for (int i = 0; i < rows; i++) {
                a = Math.max(a, Math.abs(x[b * rows + i]));
            }
            float inv = a > 0 ? 1f / a : 1f;
            for (int i = 0; i < rows; i++) {
                xs[b * rows + i] = (float) dac.convert(x[b * rows + i] * inv);
            }
        }
        drive(xs, reads);
        float[] y = new float[reads * m.cols];
        MvmKernels.mean(m, xs, reads, y, par);
        return y;
    }

    /**
     * Stages 1-3 with the device noise of the read keyed {@code sampleKey}, no ADC: the normalized
     * column outputs {@code y'} the ADC sees, for calibrating a percentile range on what the chip
     * really reads (the searched mappings, whose noise can be wider than the mean signal).
     */
    public float[] noisyColumnOutputs(float[] x, int reads, long sampleKey, Parallel par) {
        float[] y = new float[reads * m.cols];
        multiply(x, reads, y, new float[reads], sampleKey, par);
        return y;
    }

    /** Stages 1 (scale, {@code alpha} out), 2 (DAC) and 3 (multiply with the device noise). */
    private void multiply(float[] x, int reads, float[] y, float[] alpha, long sampleKey, Parallel par) {
        int rows = m.rows;
        // 1. scale and 2. DAC
        float[] xs = new float[reads * rows];
        int rows1 = rows - rows % F8.length();
        for (int b = 0; b < reads; b++) {
            // abs-max: max is exact, so the lane order does not matter
            int r0 = b * rows;
            FloatVector va = FloatVector.zero(F8);
            for (int i = 0; i < rows1; i += F8.length()) {
                va = va.max(FloatVector.fromArray(F8, x, r0 + i).abs());
            }
            float a = va.reduceLanes(VectorOperators.MAX);
            for (int i = rows1; i < rows; i++) {
                a = Math.max(a, Math.abs(x[r0 + i]));
            }
            alpha[b] = a > 0 ? a : 1f;
            float inv = 1f / alpha[b];
            dacConvert(x, xs, b * rows, rows, inv);
        }
        drive(xs, reads);
        // 3. multiply with device noise
        switch (path) {
            case NOISE_FREE -> MvmKernels.mean(m, xs, reads, y, par);
            case FAST -> MvmKernels.outputReferred(m, xs, reads, y, sampleKey, par);
            case FAITHFUL -> {
                if (semantics == SamplingSemantics.PER_READ) {
                    MvmKernels.perRead(m, xs, reads, y, sampleKey, par);
                } else {
                    MvmKernels.perInference(m, xs, reads, y, sampleKey, par, new float[m.mu.length]);
                }
            }
            case DEVICE_LEVEL -> deviceLevel(xs, reads, y, sampleKey);
            default -> throw new AssertionError(path);
        }
    }

    /**
     * Reads the tile {@code reads} times: {@code y[reads x cols] = stages(x[reads x rows])}. With
     * per-inference semantics every call with the same {@code sampleKey} uses the same weight
     * sample; with per-read semantics the caller passes a key unique to the call.
     */
    public void read(float[] x, int reads, float[] y, long sampleKey, Parallel par) {
        int cols = m.cols;
        float[] alpha = new float[reads];
        multiply(x, reads, y, alpha, sampleKey, par);
        // 4. ADC and 5. rescale
        float[] col = new float[cols];
        float[] out = new float[cols];
        // one comparator-noise stream per call, drawn read by read in order
        NoiseRandom adcNoise = adcs == null ? null : NoiseRandom.of(sampleKey ^ 0x3C6EF372FE94F82BL);
        boolean ideal = adcs != null && idealTransfer(adcs.config());
        if (ideal) {
            // an ADC without noise and mismatch has exactly the IDEAL transfer (noise-models' SAR/RAMP
            // tests): code = clamp(floor(v + 1/2), 0, top), v = (y - min) / lsb, in float, eight lanes
            // (equal to the double formula except within float rounding of a code boundary)
            AdcRange.Fixed f = (AdcRange.Fixed) adcs.config().range();
            int top = adcs.config().levels() - 1;
            float lsb = (float) ((f.maxInput() - f.minInput()) / top);
            float invLsb = 1f / lsb;
            float min = (float) f.minInput();
            int n = reads * cols;
            int n1 = n - n % F8.length();
            FloatVector vmin = FloatVector.broadcast(F8, min);
            FloatVector vlsb = FloatVector.broadcast(F8, lsb);
            FloatVector half = FloatVector.broadcast(F8, 0.5f);
            FloatVector vtop = FloatVector.broadcast(F8, (float) top);
            FloatVector zero = FloatVector.zero(F8);
            FloatVector one = FloatVector.broadcast(F8, 1f);
            FloatVector magic = FloatVector.broadcast(F8, RINT_MAGIC_F);
            for (int j = 0; j < n1; j += F8.length()) {
                FloatVector v = FloatVector.fromArray(F8, y, j).sub(vmin).mul(invLsb).add(half).max(zero).min(vtop);
                // floor(v) for 0 <= v <= top < 2^22: round to nearest with the magic constant, minus 1 where above
                FloatVector r = v.add(magic).sub(magic);
                r = r.sub(one, r.compare(VectorOperators.GT, v));
                r.fma(vlsb, vmin).intoArray(y, j);
            }
            for (int j = n1; j < n; j++) {
                float v = Math.min(Math.max((y[j] - min) * invLsb + 0.5f, 0f), (float) top);
                y[j] = Math.fma((float) Math.floor(v), lsb, min);
            }
        }
        for (int b = 0; b < reads; b++) {
            if (ideal) {
                // converted above
            } else if (adcs != null) {
                System.arraycopy(y, b * cols, col, 0, cols);
                adcs.convert(col, out, adcNoise);
                System.arraycopy(out, 0, y, b * cols, cols);
            }
            float s = (float) (alpha[b] * wScale);
            if (colScale == null) {
                for (int j = 0; j < cols; j++) {
                    y[b * cols + j] *= s;
                }
            } else {
                for (int j = 0; j < cols; j++) {
                    y[b * cols + j] *= s * colScale[j];
                }
            }
        }
    }

    /** The per-row drive amplitude of row-column scales, after the DAC (a no-op without them). */
    private void drive(float[] xs, int reads) {
        if (rowGain == null) {
            return;
        }
        int rows = m.rows;
        for (int b = 0; b < reads; b++) {
            for (int i = 0; i < rows; i++) {
                xs[b * rows + i] *= rowGain[i];
            }
        }
    }

    private static boolean idealTransfer(org.bmsim.noise.converter.AdcConfig c) {
        return c.comparatorNoiseLsb() == 0 && c.unitCapacitorMismatch() == 0 && c.rampStepSigmaLsb() == 0
                && c.range() instanceof AdcRange.Fixed;
    }

    /** Stage 2 on one read: {@code xs[off + i] = Dac.convert(x[off + i] * inv)}, inlined (same formula). */
    private void dacConvert(float[] x, float[] xs, int off, int n, float inv) {
        DacConfig c = dac.config();
        double hi = c.fullScaleInput();
        double lo = c.signed() ? -hi : 0.0;
        double step = c.stepInput();
        if (step == 0) {
            for (int i = off; i < off + n; i++) {
                xs[i] = (float) Math.min(Math.max(x[i] * inv, lo), hi);
            }
        } else if (step * (1 << 22) > hi - lo) {
            // eight lanes in float: code = rint(x' / step) with rint as (t + 1.5 2^23) - 1.5 2^23
            // (round half to even for |t| < 2^22); it equals Dac.convert's double arithmetic except
            // for inputs within float rounding (6e-8 relative) of a code boundary
            int i = off;
            int end = off + n;
            float fstep = (float) step;
            FloatVector vlo = FloatVector.broadcast(F8, (float) lo);
            FloatVector vhi = FloatVector.broadcast(F8, (float) hi);
            FloatVector vstep = FloatVector.broadcast(F8, fstep);
            FloatVector magic = FloatVector.broadcast(F8, RINT_MAGIC_F);
            for (; i + F8.length() <= end; i += F8.length()) {
                FloatVector t = FloatVector.fromArray(F8, x, i).mul(inv).max(vlo).min(vhi).div(vstep);
                t.add(magic).sub(magic).mul(vstep).intoArray(xs, i);
            }
            for (; i < end; i++) {
                float t = Math.min(Math.max(x[i] * inv, (float) lo), (float) hi) / fstep;
                xs[i] = ((t + RINT_MAGIC_F) - RINT_MAGIC_F) * fstep;
            }
        } else {
            for (int i = off; i < off + n; i++) {
                xs[i] = (float) (Math.rint(Math.min(Math.max(x[i] * inv, lo), hi) / step) * step);
            }
        }
    }

    private static final VectorSpecies<Float> F8 = FloatVector.SPECIES_256;
    /** 1.5 * 2^23: adding and subtracting it rounds a float of magnitude below 2^22 half to even. */
    private static final float RINT_MAGIC_F = 12582912f;

    /** Device-level multiply: each device read through its noise model, reads in time order. */
    private void deviceLevel(float[] xs, int reads, float[] y, long key) {
        int rows = m.rows;
        int cols = m.cols;
        int n = rows * cols;
        NoiseRandom base = NoiseRandom.of(key);
        float[] w = new float[n];
        double sqrt2N = Math.sqrt(2.0 * replicas);
        boolean perRead = semantics == SamplingSemantics.PER_READ;
        for (int b = 0; b < reads; b++) {
            if (b == 0 || perRead) {
                NoiseRandom r = base.split(perRead ? b : 0);
                for (int k = 0; k < n; k++) {
                    double p = (double) replicas * gPlus[k];
                    double q = (double) replicas * gMinus[k];
                    if (shape == NoiseShape.GAUSSIAN) {
                        p += sigmaPlusUs[k] * r.gaussian();
                        q += sigmaMinusUs[k] * r.gaussian();
                    } else {
                        // N replicas per polarity: the sum of N Laplace reads (variance 2N in standard units),
                        // closer to Gaussian than one Laplace read of the summed sigma (docs/device-aware.md 6)
                        p += sigmaPlusUs[k] / sqrt2N * r.laplaceSum(replicas);
                        q += sigmaMinusUs[k] / sqrt2N * r.laplaceSum(replicas);
                    }
                    if (correlated != null) {
                        p = correlated.next(statePlus, k, p, r);
                        q = correlated.next(stateMinus, k, q, r);
                    }
                    w[cellIndexToFlat(k)] = (float) ((p - q) / (replicas * gScale));
                }
            }
            for (int j = 0; j < cols; j++) {
                float s = 0f;
                for (int i = 0; i < rows; i++) {
                    s = Math.fma(xs[b * rows + i], w[m.index(i, j)], s);
                }
                y[b * cols + j] = s;
            }
        }
    }

    /** Cells are numbered row-major (i * cols + j) in the mapping; the matrix stores panels. */
    private int cellIndexToFlat(int k) {
        return m.index(k / m.cols, k % m.cols);
    }

    public static Builder builder(TileMatrix matrix, DacConfig dac) {
        return new Builder(matrix, dac);
    }

    /** Assembles a tile; the mapping's conductances are needed only for the device-level path. */
    public static final class Builder {
        private final TileMatrix matrix;
        private final DacConfig dac;
        private SharedAdcs adcs;
        private SamplingSemantics semantics = SamplingSemantics.PER_READ;
        private NoiseShape shape = NoiseShape.GAUSSIAN;
        private double wScale = 1;
        private float[] rowGain;
        private float[] colScale;
        private boolean allowFast = true;
        private float[] gPlus;
        private float[] gMinus;
        private double gScale = 1;
        private ConductanceFunction readSigma;
        private float[] sigmaUsTotal;
        private CorrelatedNoise correlated;
        private long stateSeed;
        private int replicas = 1;

        private Builder(TileMatrix matrix, DacConfig dac) {
            this.matrix = matrix;
            this.dac = dac;
        }

        public Builder adcs(SharedAdcs a) {
            this.adcs = a;
            return this;
        }

        public Builder semantics(SamplingSemantics s) {
            this.semantics = s;
            return this;
        }

        public Builder shape(NoiseShape s) {
            this.shape = s;
            return this;
        }

        public Builder wScale(double s) {
            this.wScale = s;
            return this;
        }

        /** false forces the faithful path even where the fast one is exact (for checks). */
        /**
         * Row-column scales: row i driven at {@code rowGain[i]} of full scale, column j's output
         * multiplied by {@code colScale[j]} (the matrix then holds mu / (wScale rowGain colScale)).
         */
        public Builder rowColumnScales(float[] rowGain, float[] colScale) {
            this.rowGain = rowGain == null ? null : rowGain.clone();
            this.colScale = colScale == null ? null : colScale.clone();
            return this;
        }

        public Builder allowFast(boolean a) {
            this.allowFast = a;
            return this;
        }

        /**
         * Conductances (row-major cells), the normalization gScale (uS per unit), the device read
         * sigma curve and each cell's total read sigma in uS.
         */
        public Builder devices(float[] gPlusUs, float[] gMinusUs, double gScaleUs, ConductanceFunction sigma,
                float[] cellSigmaUs) {
            this.gPlus = gPlusUs;
            this.gMinus = gMinusUs;
            this.gScale = gScaleUs;
            this.readSigma = sigma;
            this.sigmaUsTotal = cellSigmaUs;
            return this;
        }

        /**
         * Devices per polarity summed on the bit line (the device-level path reads N G with the
         * cell's total sigma, normalized by N gScale); 1 by default.
         */
        public Builder replicas(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("replicas must be >= 1, got " + n);
            }
            this.replicas = n;
            return this;
        }

        public Builder correlated(CorrelatedNoise c, long stateSeed) {
            this.correlated = c;
            this.stateSeed = stateSeed;
            return this;
        }

        public AnalogTile build() {
            return new AnalogTile(this);
        }
    }
}
