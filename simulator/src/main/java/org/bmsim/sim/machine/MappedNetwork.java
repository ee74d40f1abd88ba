package org.bmsim.sim.machine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bmsim.common.BadInputException;
import org.bmsim.noise.converter.AdcConfig;
import org.bmsim.noise.converter.SharedAdcs;
import org.bmsim.noise.device.ConductanceFunction;
import org.bmsim.noise.device.ConductanceRange;
import org.bmsim.noise.device.CorrelatedNoise;
import org.bmsim.noise.device.DevicePreset;
import org.bmsim.noise.device.NoiseRandom;
import org.bmsim.sim.data.FloatSet;
import org.bmsim.sim.metrics.McPredictions;
import org.bmsim.noise.rng.GaussianSampler;
import org.bmsim.sim.datapath.JqArithmetic;
import org.bmsim.sim.nn.ActivationHook;
import org.bmsim.sim.nn.ActivationLayer;
import org.bmsim.sim.nn.Im2col;
import org.bmsim.sim.nn.Layer;
import org.bmsim.sim.nn.LayerViews;
import org.bmsim.sim.nn.Network;
import org.bmsim.sim.nn.Parallel;
import org.bmsim.sim.nn.Softmax;
import org.bmsim.sim.quant.CommonRandomNumbers;
import org.bmsim.sim.quant.QuantEvaluation;
import org.bmsim.sim.quant.QuantizedNetwork;
import org.bmsim.sim.tile.AnalogTile;
import org.bmsim.sim.tile.CellMapping;
import org.bmsim.sim.tile.CellType;
import org.bmsim.sim.tile.DigitalTile;
import org.bmsim.sim.tile.SamplingSemantics;
import org.bmsim.sim.tile.TileMatrix;
import org.bmsim.sim.tile.VectorGaussian;

/**
 * A network mapped onto a machine's tiles. Each matrix layer (dense; conv through im2col, one read
 * per output pixel) is a fanIn x out weight matrix (crossbar rows = inputs, columns = outputs),
 * cut into ceil(fanIn / rows) x ceil(out / cols) tiles; tile outputs are accumulated digitally
 * across row tiles, then the bias is added. Layers without weights (activation, pooling, flatten)
 * run as they are. Monte Carlo sample s of the whole data set uses tile streams keyed by
 * (seed, s, layer, tile[, block]); samples run on the worker threads, so predictions are identical
 * for any thread count. Machines with time-correlated noise run in time order on one thread:
 * image by image, its S samples in sequence, the devices' noise state carried along.
 */
public final class MappedNetwork {
    private static final int BLOCK = 64;

    private final Network net;
    private final MachineDescription machine;
    private final List<MappedLayer> layers;
    private final boolean correlated;
    /** Digital machines: the JQ network whose codes the cells hold, and the activation quantizer. */
    private QuantizedNetwork quantized;
    /** The device model the mapping was chosen with, when not the machine's own. */
    private DevicePreset mappingDevice;
    private ActivationHook hook;

    /** One matrix layer on its tiles. */
    public static final class MappedLayer {
        final LayerViews.MatrixLayer view;
        final int rowTiles;
        final int colTiles;
        final Object[] tiles; // AnalogTile or DigitalTile, index rt * colTiles + ct
        final TileReadCost[] costs;
        final int unrealisable;
        final double worstRelativeError;
        final List<String> examples;
        final double correlatedShare;
        /** The analog mapping chosen for the layer (null on digital cells or without a device). */
        final MappingSearch.Choice choice;

        MappedLayer(LayerViews.MatrixLayer view, int rowTiles, int colTiles, Object[] tiles, TileReadCost[] costs,
                int unrealisable, double worst, List<String> examples, double correlatedShare, MappingSearch.Choice choice) {
            this.choice = choice;
            this.view = view;
            this.rowTiles = rowTiles;
            this.colTiles = colTiles;
            this.tiles = tiles;
            this.costs = costs;
            this.unrealisable = unrealisable;
            this.worstRelativeError = worst;
            this.examples = examples;
            this.correlatedShare = correlatedShare;
        }
    }

    private MappedNetwork(Network net, MachineDescription machine, List<MappedLayer> layers, boolean correlated) {
        this.net = net;
        this.machine = machine;
        this.layers = layers;
        this.correlated = correlated;
    }

    public MachineDescription machine() {
        return machine;
    }

    /**
     * Maps every matrix layer of {@code net} onto an analog machine; {@code seed} fixes the ADCs'
     * static errors and noise states. Digital machines hold JQ codes: {@link #mapDigital}.
     */
    public static MappedNetwork map(Network net, MachineDescription m, long seed) {
        return map(net, m, seed, (DevicePreset) null);
    }

    /**
     * As {@link #map(Network, MachineDescription, long)}, the mapping (plain or searched: cells,
     * replicas, scales, conductances) chosen with the device model {@code mappingDevice} and read on
     * the machine's own device ({@link CellMapping#onDevice}): a chip whose mapping was compiled from
     * a calibrated model of its devices. Null: the machine's device, as the other overload.
     */
    public static MappedNetwork map(Network net, MachineDescription m, long seed, DevicePreset mappingDevice) {
        if (!m.tile().cellType().analog()) {
            throw new BadInputException("machine " + m.name() + " has digital-jq cells, which hold JQ codes: replay it "
                    + "with --strategy jq");
        }
        if (mappingDevice != null && (m.device().devicePreset() == null || m.device().correlated().equals("flicker"))) {
            throw new BadInputException("a mapping from another device model needs a machine with a device preset "
                    + "and no time-correlated noise (device.correlated: none)");
        }
        MappedNetwork mn = map(net, m, seed, null, mappingDevice);
        mn.mappingDevice = mappingDevice;
        return mn;
    }

    /**
     * Maps the JQ network {@code q} (hardware mode, the widths of the machine's datapath) onto a
     * machine of digital-jq cells: the cells hold q's mu and sigma codes and column scales, and
     * {@code hook} (may be null: float activations) quantizes the activations to x_bits codes.
     */
    public static MappedNetwork mapDigital(QuantizedNetwork q, ActivationHook hook, MachineDescription m, long seed) {
        if (m.tile().cellType().analog()) {
            throw new BadInputException("machine " + m.name() + " has analog cells: map the network with map()");
        }
        MachineDescription.Digital d = m.digital();
        JqArithmetic a = q.arithmetic();
        if (a == null) {
            throw new BadInputException("digital-jq cells need JQ in hardware mode, got " + q.spec().id() + " ("
                    + q.options().describe() + ")");
        }
        if (a.muBits() != d.muBits() || a.sigmaBits() != d.sigmaBits() || a.wBits() != d.wBits()
                || a.step() != d.datapath().sigmaStep()) {
            throw new BadInputException("machine " + m.name() + " has a datapath of mu " + d.muBits() + ", sigma "
                    + d.sigmaBits() + ", w " + d.wBits() + " bits, the network is " + q.spec().id());
        }
        if (q.options().powerOfTwoScales() != d.pow2Scales()) {
            throw new BadInputException("machine " + m.name() + " has digital.scale " + d.scale()
                    + " but the network was quantized with " + (q.options().powerOfTwoScales() ? "power-of-two" : "multiplier")
                    + " scales");
        }
        MappedNetwork mn = map(q.network(), m, seed, q, null);
        mn.quantized = q;
        mn.hook = hook;
        return mn;
    }

    private static MappedNetwork map(Network net, MachineDescription m, long seed, QuantizedNetwork q,
            DevicePreset mappingDevice) {
        List<LayerViews.MatrixLayer> views = LayerViews.matrixLayers(net);
        List<MappedLayer> out = new ArrayList<>();
        float[] sigma = new float[net.paramCount()];
        if (net.bayesian()) {
            net.sigmas(sigma, null, null, 0, net.paramCount());
        }
        CellType cell = m.tile().cellType();
        SamplingSemantics sem = m.tile().semantics();
        DevicePreset preset = m.device().devicePreset();
        boolean anyCorrelated = false;
        NoiseRandom statics = NoiseRandom.of(seed).split(0xADC);
        int block = -1;
        for (int li = 0; li < views.size(); li++) {
            LayerViews.MatrixLayer v = views.get(li);
            if (v == null) {
                out.add(null);
                continue;
            }
            block++;
            int[][] codes = q == null ? null : q.codes(block);
            double[] scales = q == null ? null : q.scales(block);
            int fanIn = v.fanIn();
            int nOut = v.out();
            float[] mu = MappingSearch.crossbarOrder(net.params(), v.muOff(), fanIn, nOut);
            float[] sg = net.bayesian() ? MappingSearch.crossbarOrder(sigma, v.rhoOff(), fanIn, nOut) : new float[fanIn * nOut];
            int tr = m.tile().rows();
            int tc = m.tile().cols();
            int rowTiles = (fanIn + tr - 1) / tr;
            int colTiles = (nOut + tc - 1) / tc;
            Object[] tiles = new Object[rowTiles * colTiles];
            TileReadCost[] costs = new TileReadCost[tiles.length];
            int bad = 0;
            double worst = 0;
            List<String> ex = new ArrayList<>();
            double share = 0;
            CellMapping.Result mr = null;
            ConductanceFunction readSigma = null;
            CorrelatedNoise corr = null;
            MappingSearch.Choice choice = null;
            if (cell.analog()) {
                if (preset == null) {
                    double ws = CellMapping.wScale(mu);
                    mr = new CellMapping.Result(mu, new float[mu.length], null, null, null, ws, 1, 1, 0, 0, List.of());
                } else {
                    choice = MappingSearch.choose(mu, sg, nOut, m, mappingDevice != null ? mappingDevice : preset,
                            m.device().correlated().equals("flicker"));
                    mr = choice.result();
                    if (mappingDevice != null) {
                        if (choice.cell() != CellType.DIFFERENTIAL_PAIR) {
                            throw new BadInputException("a mapping from another device model needs differential-pair "
                                    + "cells; layer " + li + " was mapped to " + choice.cell().id());
                        }
                        mr = CellMapping.onDevice(mr, mu, sg, mappingDevice.programmingNoise().sigma(),
                                preset.programmingNoise().sigma(), m.device().realisableTolerance());
                    }
                    readSigma = choice.cell() == CellType.DIFFERENTIAL_PAIR ? preset.programmingNoise().sigma()
                            : MappingSearch.meanPairReadSigma(m, preset);
                }
                bad = mr.unrealisable();
                worst = mr.worstRelativeError();
                ex = mr.examples();
                if (m.device().correlated().equals("flicker")) {
                    if (preset == null) {
                        throw new BadInputException("device.correlated: flicker needs a device preset");
                    }
                    double readSeconds = TileReadCost.analog(m, Math.min(tr, fanIn), Math.min(tc, nOut), 0).cycles()
                            * m.digital().clockPeriodNs() * 1e-9;
                    corr = preset.flickerNoise(m.device().inferenceTimeS(), readSeconds, 1).orElseThrow(
                            () -> new BadInputException("device.correlated: preset " + preset.name() + " has no 1/f read noise"));
                    anyCorrelated = true;
                }
            }
            double varI = 0;
            double varC = 0;
            RowColumnScales rc = choice == null ? null : choice.scales();
            float[] normMu = null;
            float[] normSigma = null;
            if (rc != null) {
                normMu = new float[mu.length];
                normSigma = new float[mu.length];
                for (int k = 0; k < mu.length; k++) {
                    double f = mr.wScale() * rc.rowGain()[k / nOut] * rc.colScale()[k % nOut];
                    normMu[k] = (float) (mr.muRealised()[k] / f);
                    normSigma[k] = (float) (mr.sigmaRealised()[k] / f);
                }
            }
            for (int rt = 0; rt < rowTiles; rt++) {
                for (int ct = 0; ct < colTiles; ct++) {
                    int r0 = rt * tr;
                    int c0 = ct * tc;
                    int rows = Math.min(tr, fanIn - r0);
                    int cols = Math.min(tc, nOut - c0);
                    int ti = rt * colTiles + ct;
                    if (cell == CellType.DIGITAL_JQ) {
                        // q's codes are [out][in]; a tile is [in rows][out cols]
                        int[] mc = new int[rows * cols];
                        int[] sc = new int[rows * cols];
                        double[] cs = new double[cols];
                        for (int j = 0; j < cols; j++) {
                            cs[j] = scales[c0 + j];
                            for (int i = 0; i < rows; i++) {
                                mc[i * cols + j] = codes[0][(c0 + j) * fanIn + r0 + i];
                                sc[i * cols + j] = codes[1][(c0 + j) * fanIn + r0 + i];
                            }
                        }
                        tiles[ti] = new DigitalTile(rows, cols, m.digital().datapath(), mc, sc, cs, sem);
                        costs[ti] = TileReadCost.digital(m, rows, cols);
                        continue;
                    }
                    double ws = mr.wScale();
                    // normalised moments: / wScale, and / rowGain_i colScale_j with row-column scales
                    float[] tm = rc != null ? slice(normMu, nOut, r0, c0, rows, cols, 1)
                            : slice(mr.muRealised(), nOut, r0, c0, rows, cols, (float) (1 / ws));
                    float[] ts = rc != null ? slice(normSigma, nOut, r0, c0, rows, cols, 1)
                            : slice(mr.sigmaRealised(), nOut, r0, c0, rows, cols, (float) (1 / ws));
                    AnalogTile.Builder b = AnalogTile.builder(TileMatrix.of(rows, cols, tm, ts), m.dac().config())
                            .semantics(sem).shape(m.device().shape()).wScale(ws).allowFast(m.tile().fastPath());
                    if (rc != null) {
                        b.rowColumnScales(java.util.Arrays.copyOfRange(rc.rowGain(), r0, r0 + rows),
                                java.util.Arrays.copyOfRange(rc.colScale(), c0, c0 + cols));
                    }
                    double gSum = 0;
                    if (mr.gPlus() != null) {
                        // N replicas per polarity: the column sums N devices, normalized by N gScale
                        int nr = mr.replicas();
                        float[] gp = slice(mr.gPlus(), nOut, r0, c0, rows, cols, 1);
                        float[] gm = slice(mr.gMinus(), nOut, r0, c0, rows, cols, 1);
                        float[] cellSigmaUs = rc != null
                                ? slice(normSigma, nOut, r0, c0, rows, cols, (float) (mr.gScaleMicroSiemens() * nr))
                                : slice(mr.sigmaRealised(), nOut, r0, c0, rows, cols,
                                        (float) (mr.gScaleMicroSiemens() * nr / ws));
                        b.devices(gp, gm, mr.gScaleMicroSiemens(), readSigma, cellSigmaUs).replicas(nr);
                        for (int k = 0; k < gp.length; k++) {
                            gSum += (double) nr * (gp[k] + gm[k]);
                            varI += (double) cellSigmaUs[k] * cellSigmaUs[k];
                            if (corr != null) {
                                varC += sq(corr.stdDevMicroSiemens(gp[k], gp[k])) + sq(corr.stdDevMicroSiemens(gm[k], gm[k]));
                            }
                        }
                        if (corr != null) {
                            b.correlated(corr, seed ^ (li * 1_000_003L + ti));
                        }
                    }
                    AnalogTile t = b.build();
                    if (!m.adc().idealReadout()) {
                        AdcConfig a = m.adc().config();
                        if (a.range() instanceof org.bmsim.noise.converter.AdcRange.Fixed) {
                            t.setAdcs(SharedAdcs.of(a, cols, statics.split(li * 100_003L + ti)));
                        }
                    }
                    tiles[ti] = t;
                    costs[ti] = TileReadCost.analog(m, rows, cols, gSum);
                }
            }
            share = varC + varI > 0 ? varC / (varC + varI) : 0;
            out.add(new MappedLayer(v, rowTiles, colTiles, tiles, costs, bad, worst, ex, share, choice));
        }
        return new MappedNetwork(net, m, out, anyCorrelated);
    }

    private static double sq(double x) {
        return x * x;
    }

    /** rows x cols block from (r0, c0) of a row-major matrix with {@code ld} columns, times {@code f}. */
    private static float[] slice(float[] a, int ld, int r0, int c0, int rows, int cols, float f) {
        float[] s = new float[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                s[i * cols + j] = a[(r0 + i) * ld + c0 + j] * f;
            }
        }
        return s;
    }

    /**
     * Calibrates percentile ADC ranges on the noise-free column outputs of the first {@code images}
     * images (a forward pass with the mean weights), tile by tile. A no-op for fixed ranges.
     */
    public void calibrate(FloatSet data, int images, long seed) {
        if (machine.adc().idealReadout() || !(machine.adc().config().range() instanceof org.bmsim.noise.converter.AdcRange.Percentile)
                || !machine.tile().cellType().analog()) {
            return;
        }
        int n = Math.min(images, data.count());
        NoiseRandom statics = NoiseRandom.of(seed).split(0xADC);
        try (Parallel one = Parallel.of(1)) {
            forwardBlock(data.x(), 0, n, -1, seed, one, statics);
        }
    }

    /** Class probabilities of S Monte Carlo samples over the data set. */
    public McPredictions predict(FloatSet data, int samples, long seed, Parallel par) {
        if (samples < 1) {
            throw new BadInputException("samples must be at least 1, got " + samples);
        }
        requireCalibrated();
        if (quantized != null && machine.tile().semantics() == SamplingSemantics.PER_INFERENCE) {
            return predictDigital(data, samples, seed, par);
        }
        int n = data.count();
        int c = net.classes();
        float[] probs = McPredictions.allocate(samples, n, c);
        if (correlated) {
            try (Parallel one = Parallel.of(1)) {
                for (int i = 0; i < n; i++) {
                    for (int s = 0; s < samples; s++) {
                        float[] logits = forwardBlock(data.x(), i, 1, s, seed + i * 0x9E3779B97F4A7C15L, one, null);
                        Softmax.softmax(logits, 0, c, probs, (s * n + i) * c);
                    }
                }
            }
        } else {
            try (Parallel one = Parallel.of(1)) {
                par.forEach(samples, (s, worker) -> {
                    for (int b = 0; b < n; b += BLOCK) {
                        int m = Math.min(BLOCK, n - b);
                        float[] logits = forwardBlock(data.x(), b, m, s, VectorGaussian.key(seed, b / BLOCK), one, null);
                        for (int e = 0; e < m; e++) {
                            Softmax.softmax(logits, e * c, c, probs, (s * n + b + e) * c);
                        }
                    }
                });
            }
        }
        return new McPredictions(samples, n, c, probs, data.labels().clone(), data.subset().clone());
    }

    /**
     * Per-inference sampling on digital cells: each Monte Carlo sample draws one weight set from the
     * datapath's lanes (output column r of a layer on lane r mod lanes, sample s's lanes seeded from
     * {@code CommonRandomNumbers.sampleSeed(seed, s)}), the codes through the JQ arithmetic, and every
     * image is read with it. The tiles' integer products are evaluated by the network's inference
     * kernel on the sampled weight matrix (an integer sum does not depend on how the tiles split it),
     * so one lane with the ICDF sampler is the quantization table's JQ row, bit for bit.
     */
    private McPredictions predictDigital(FloatSet data, int samples, long seed, Parallel par) {
        MachineDescription.Digital d = machine.digital();
        List<Layer.TensorSlot> mus = net.tensors().stream().filter(t -> t.kind() == Layer.TensorSlot.Kind.WEIGHT_MU)
                .toList();
        int[] rows = new int[mus.size()];
        int[] cols = new int[mus.size()];
        for (int t = 0; t < rows.length; t++) {
            rows[t] = mus.get(t).shape()[0];
            cols[t] = mus.get(t).size() / rows[t];
        }
        int lanes = d.lanes();
        var sampler = d.datapath().sampler().sampler();
        return QuantEvaluation.predict(quantized, hook, data, samples, seed, par,
                (sd, s, eps) -> CommonRandomNumbers.fill(sd, s, lanes, sampler, rows, cols, eps));
    }

    /** Whether this machine's eps stream is the quantization table's (one ICDF lane, per-inference digital cells). */
    public boolean commonRandomNumbers() {
        return quantized != null && machine.tile().semantics() == SamplingSemantics.PER_INFERENCE
                && machine.digital().lanes() == 1 && machine.digital().datapath().sampler() == GaussianSampler.Mode.ICDF;
    }

    private void requireCalibrated() {
        if (machine.adc().idealReadout() || !machine.tile().cellType().analog()) {
            return;
        }
        for (MappedLayer l : layers) {
            if (l != null) {
                for (Object t : l.tiles) {
                    if (((AnalogTile) t).adcs() == null) {
                        throw new IllegalStateException("percentile ADC ranges are not calibrated: call calibrate first");
                    }
                }
            }
        }
    }

    /**
     * Forward pass of images [b, b + m) for sample s (s = -1: calibration with mean weights, which
     * builds each tile's ADCs from {@code statics}); {@code blockKey} distinguishes the blocks'
     * per-read streams.
     */
    private float[] forwardBlock(float[] xAll, int b, int m, int s, long blockKey, Parallel one, NoiseRandom statics) {
        List<Layer> all = net.layers();
        float[] x = java.util.Arrays.copyOfRange(xAll, b * net.inputSize(), (b + m) * net.inputSize());
        int act = 0;
        for (int li = 0; li < all.size(); li++) {
            Layer l = all.get(li);
            MappedLayer ml = layers.get(li);
            float[] y = new float[m * l.outSize()];
            if (ml == null) {
                LayerViews.forwardOther(l, x, y, m);
                if (l instanceof ActivationLayer) {
                    if (hook != null) {
                        hook.apply(act, y, y.length);
                    }
                    act++;
                }
            } else {
                matrixLayer(ml, li, x, y, m, s, blockKey, one, statics);
            }
            x = y;
        }
        return x;
    }

    private void matrixLayer(MappedLayer ml, int li, float[] x, float[] y, int m, int s, long blockKey, Parallel one,
            NoiseRandom statics) {
        LayerViews.MatrixLayer v = ml.view;
        int fanIn = v.fanIn();
        int nOut = v.out();
        int rpi = v.readsPerImage();
        int reads = m * rpi;
        float[] xr;
        if (v.conv()) {
            xr = new float[reads * fanIn];
            for (int e = 0; e < m; e++) {
                Im2col.im2row(x, e * v.inSize(), v.cin(), v.h(), v.w(), v.k(), v.pad(), xr, e * rpi * fanIn);
            }
        } else {
            xr = x;
        }
        float[] acc = new float[reads * nOut];
        int tr = machine.tile().rows();
        int tc = machine.tile().cols();
        boolean perRead = machine.tile().semantics() == SamplingSemantics.PER_READ;
        for (int rt = 0; rt < ml.rowTiles; rt++) {
            int r0 = rt * tr;
            int rows = Math.min(tr, fanIn - r0);
            float[] xt = new float[reads * rows];
            for (int q = 0; q < reads; q++) {
                System.arraycopy(xr, q * fanIn + r0, xt, q * rows, rows);
            }
            for (int ct = 0; ct < ml.colTiles; ct++) {
                int c0 = ct * tc;
                int cols = Math.min(tc, nOut - c0);
                int ti = rt * ml.colTiles + ct;
                long key = VectorGaussian.key(VectorGaussian.key(VectorGaussian.key(s + 1L, li), ti), perRead ? blockKey : 0);
                float[] yt = new float[reads * cols];
                Object t = ml.tiles[ti];
                if (s < 0) {
                    AnalogTile at = (AnalogTile) t;
                    // searched mappings: calibrate on a noisy read (what the chip reads; their noise can
                    // exceed the mean signal); the plain mapping keeps its noise-free calibration
                    float[] raw = machine.mappingOrPlain().search() && at.correlated() == null
                            ? at.noisyColumnOutputs(xt, reads, key, one) : at.noiseFreeColumnOutputs(xt, reads, one);
                    AdcConfig a = machine.adc().config().calibrated(raw);
                    at.setAdcs(SharedAdcs.of(a, cols, statics.split(li * 100_003L + ti)));
                    at.read(xt, reads, yt, key, one);
                } else if (t instanceof AnalogTile at) {
                    at.read(xt, reads, yt, key, one);
                } else {
                    ((DigitalTile) t).read(xt, reads, yt, key);
                }
                for (int q = 0; q < reads; q++) {
                    for (int j = 0; j < cols; j++) {
                        acc[q * nOut + c0 + j] += yt[q * cols + j];
                    }
                }
            }
        }
        float[] p = net.params();
        for (int e = 0; e < m; e++) {
            for (int o = 0; o < nOut; o++) {
                float bias = p[v.biasOff() + o];
                for (int q = 0; q < rpi; q++) {
                    // dense: y[e, o]; conv: y[e, o, q] (channel-major)
                    y[e * v.outSize() + o * rpi + q] = acc[(e * rpi + q) * nOut + o] + bias;
                }
            }
        }
    }

    /** The mapping report: which layer on which tiles, utilisation, unrealisable weights, sampling path. */
    public Map<String, Object> mappingReport() {
        Map<String, Object> r = MappingReport.of(machine, layers);
        if (mappingDevice == null) {
            return r;
        }
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        // the choices (cells, replicas, scales) are the model's; the unrealisable counts are the machine's device's
        out.put("mapping_device", mappingDevice.name());
        out.put("mapping_device_source", mappingDevice.citation());
        out.putAll(r);
        return out;
    }

    /**
     * Effective sample size of S successive Monte Carlo samples of one image (S when the noise is
     * independent across reads; {@link MappingReport#effectiveSampleSize}).
     */
    public double effectiveSampleSize(int samples) {
        return MappingReport.effectiveSampleSize(layers, samples);
    }

    /** Cycles, latency and energy (docs/machine.md): per sample and per inference of S samples. */
    public Map<String, Object> costReport(int samples) {
        return CostReport.of(machine, layers, samples);
    }
}
