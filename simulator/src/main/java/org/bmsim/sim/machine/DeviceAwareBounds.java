package org.bmsim.sim.machine;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bmsim.common.BadInputException;
import org.bmsim.noise.device.ConductanceFunction;
import org.bmsim.noise.device.DevicePreset;
import org.bmsim.sim.nn.LayerViews;
import org.bmsim.sim.nn.Network;
import org.bmsim.sim.tile.CellMapping;
import org.bmsim.sim.tile.CellType;
import org.bmsim.sim.train.SigmaBounds;

/**
 * The sigma band of every matrix layer on an analog machine, for device-aware training
 * (docs/device-aware.md). Each layer is first mapped with {@link MappingSearch} (the machine's
 * mapping block; the search with its defaults when the machine has none), which fixes its cell,
 * replicas N and scale factor; then, for u = |mu| / wScale on {@value #POINTS} points of [0, 1] and
 * D = u gScale:
 * <pre>
 *   differential pair:  lo(u), hi(u) = min, max over G_low of sqrt(s(G_low + D)^2 + s(G_low)^2) / (gScale sqrt N)
 *   mean pair + tunable: lo(u) = sqrt(s_p(g_min + D)^2 + s_p(g_min)^2) / gScale,  hi = sqrt(lo^2 gScale^2 + s_max^2) / gScale
 * </pre>
 * (G_low on the same {@value CellMapping#GRID}-point grid as the mapping's root search, so any
 * value inside the band has a root there), narrowed by {@value #MARGIN} on each side so that
 * interpolation between table points stays inside what the mapping realises.
 */
public final class DeviceAwareBounds {
    /** Table points in u. */
    public static final int POINTS = 129;
    /** Relative narrowing of the band on each side. */
    public static final double MARGIN = 0.02;

    private DeviceAwareBounds() {
    }

    /** The bounds of every matrix layer of {@code net} on machine {@code m} (an analog machine with a device). */
    public static SigmaBounds of(Network net, MachineDescription m) {
        if (!m.tile().cellType().analog()) {
            throw new BadInputException("device-aware training needs an analog machine; " + m.name() + " has digital-jq cells");
        }
        DevicePreset preset = m.device().devicePreset();
        if (preset == null) {
            throw new BadInputException("device-aware training needs a device law; machine " + m.name() + " has device.preset: none");
        }
        if (!net.bayesian()) {
            throw new BadInputException("device-aware training needs a Bayesian network");
        }
        MachineDescription sm = m.mapping() == null ? m.withMapping(MachineDescription.Mapping.searchDefaults()) : m;
        float[] sigma = new float[net.paramCount()];
        net.sigmas(sigma, null, null, 0, net.paramCount());
        float[] p = net.params();
        List<SigmaBounds.Layer> out = new ArrayList<>();
        for (LayerViews.MatrixLayer v : LayerViews.matrixLayers(net)) {
            if (v == null) {
                continue;
            }
            int fanIn = v.fanIn();
            int nOut = v.out();
            int n = fanIn * nOut;
            // the crossbar's orientation, as MappedNetwork maps it
            float[] mu = MappingSearch.crossbarOrder(p, v.muOff(), fanIn, nOut);
            float[] sg = MappingSearch.crossbarOrder(sigma, v.rhoOff(), fanIn, nOut);
            MappingSearch.Choice c = MappingSearch.choose(mu, sg, nOut, sm, preset, m.device().correlated().equals("flicker"));
            float[] lo = new float[POINTS];
            float[] hi = new float[POINTS];
            band(c.cell(), c.replicas(), sm, preset, lo, hi);
            RowColumnScales rc = c.scales();
            float[] ws = null;
            String d;
            if (rc == null) {
                d = String.format(Locale.ROOT, "%s x%d per polarity, wScale %.4g x max|mu|", c.cell().id(), c.replicas(),
                        c.scaleFactor());
            } else {
                // the network's order: weight (o, i) at o * fanIn + i
                ws = new float[n];
                for (int o = 0; o < nOut; o++) {
                    for (int i = 0; i < fanIn; i++) {
                        ws[o * fanIn + i] = (float) rc.at(i, o);
                    }
                }
                d = String.format(Locale.ROOT, "%s x%d per polarity, row-column scales, wScale %.4g x max|mu|, "
                        + "row gains >= %.3g, column scales >= %.3g", c.cell().id(), c.replicas(), c.scaleFactor(),
                        rc.minRowGain(), rc.minColScale());
            }
            out.add(new SigmaBounds.Layer(v.name(), v.muOff(), v.rhoOff(), n, c.scaleFactor(), lo, hi, d, ws));
        }
        return new SigmaBounds(out);
    }

    /** lo(u), hi(u) in sigma / wScale for u = j / (POINTS - 1). */
    static void band(CellType cell, int replicas, MachineDescription m, DevicePreset preset, float[] lo, float[] hi) {
        double gMin = preset.range().gMinMicroSiemens();
        double gMax = preset.range().gMaxMicroSiemens();
        double gScale = gMax - gMin;
        int k = lo.length - 1;
        for (int j = 0; j <= k; j++) {
            double d = gScale * j / k;
            double a;
            double b;
            if (cell == CellType.DIFFERENTIAL_PAIR) {
                ConductanceFunction s = preset.programmingNoise().sigma();
                a = Double.POSITIVE_INFINITY;
                b = 0;
                for (int q = 0; q < CellMapping.GRID; q++) {
                    double t = preset.range().pairLow(d, q, CellMapping.GRID);
                    double v = Math.hypot(s.at(Math.min(t + d, gMax)), s.at(t));
                    a = Math.min(a, v);
                    b = Math.max(b, v);
                }
                a /= gScale * Math.sqrt(replicas);
                b /= gScale * Math.sqrt(replicas);
            } else {
                ConductanceFunction s = MappingSearch.meanPairReadSigma(m, preset);
                double pair = Math.hypot(s.at(gMin + d), s.at(gMin));
                a = pair / gScale;
                b = Math.hypot(pair, m.device().tunableSigmaMaxUs()) / gScale;
            }
            double mid = 0.5 * (a + b);
            lo[j] = (float) Math.min(a * (1 + MARGIN), mid);
            hi[j] = (float) Math.max(b * (1 - MARGIN), mid);
        }
    }
}
