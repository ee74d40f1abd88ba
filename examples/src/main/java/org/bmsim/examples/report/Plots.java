package org.bmsim.examples.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bmsim.common.AtomicFiles;
import org.bmsim.common.BadInputException;
import org.bmsim.sim.data.FloatSet;
import org.bmsim.sim.metrics.UncertaintyMetrics;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * PNG plots of a run (xchart, headless: the launcher and the tests set
 * {@code -Djava.awt.headless=true}). Every file is written atomically.
 */
public final class Plots {
    /** Bins of the uncertainty histograms. */
    public static final int BINS = 40;
    public static final int WIDTH = 800;
    public static final int HEIGHT = 500;
    /** File names written by {@link #writeUncertaintyHistograms}. */
    public static final String ALEATORIC_PNG = "aleatoric-hist.png";
    public static final String EPISTEMIC_PNG = "epistemic-hist.png";

    private static final String[] SUBSET_NAMES = {"MNIST", "ambiguous", "OOD (Fashion-MNIST)"};
    private static final Color[] SUBSET_COLOURS = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c)};

    private Plots() {
    }

    /**
     * A histogram of values split by subset: {@code fraction[d][b]} is the fraction of subset d's
     * values in bin b = [edges[b], edges[b+1]) (the last bin closed), so that subsets of different
     * sizes compare. A subset without values has all zeros.
     */
    public record Histogram(double[] edges, double[][] fraction, int[] counts) {
    }

    /** Bins {@code values} over [0, max] (max = the largest value, at least 1e-6) by subset code. */
    public static Histogram histogram(double[] values, byte[] subset, int bins) {
        if (values.length != subset.length) {
            throw new BadInputException(values.length + " values but " + subset.length + " subset codes");
        }
        double max = 1e-6;
        for (double v : values) {
            if (!Double.isFinite(v) || v < 0) {
                throw new BadInputException("uncertainty " + v + " is not a finite non-negative number");
            }
            max = Math.max(max, v);
        }
        double[] edges = new double[bins + 1];
        for (int b = 0; b <= bins; b++) {
            edges[b] = max * b / bins;
        }
        double[][] frac = new double[3][bins];
        int[] counts = new int[3];
        for (int i = 0; i < values.length; i++) {
            int d = subset[i];
            if (d < FloatSet.MNIST || d > FloatSet.OOD) {
                throw new BadInputException("subset code " + d + " of input " + i + " is not 0, 1 or 2");
            }
            int b = Math.min(bins - 1, (int) (values[i] / max * bins));
            frac[d][b]++;
            counts[d]++;
        }
        for (int d = 0; d < 3; d++) {
            for (int b = 0; b < bins && counts[d] > 0; b++) {
                frac[d][b] /= counts[d];
            }
        }
        return new Histogram(edges, frac, counts);
    }

    /**
     * Writes {@value #ALEATORIC_PNG} and {@value #EPISTEMIC_PNG} into {@code dir}: histograms of
     * AU and EU per subset (the fraction of each subset per bin). Returns the files written.
     */
    public static List<Path> writeUncertaintyHistograms(Path dir, UncertaintyMetrics.Uncertainties u, byte[] subset) {
        Path au = dir.resolve(ALEATORIC_PNG);
        Path eu = dir.resolve(EPISTEMIC_PNG);
        writeHistogramPng(au, "Aleatoric uncertainty (expected entropy) per subset", "aleatoric uncertainty (nats)",
                u.aleatoric(), subset);
        writeHistogramPng(eu, "Epistemic uncertainty (mutual information) per subset", "epistemic uncertainty (nats)",
                u.epistemic(), subset);
        return List.of(au, eu);
    }

    /** Writes one PNG histogram of {@code values} per subset. */
    public static void writeHistogramPng(Path png, String title, String xLabel, double[] values, byte[] subset) {
        Histogram h = histogram(values, subset, BINS);
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xLabel)
                .yAxisTitle("fraction of the subset").build();
        Styler st = chart.getStyler();
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotBackgroundColor(Color.WHITE);
        st.setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setPlotGridLinesColor(new Color(0xdddddd));
        chart.getStyler().setXAxisDecimalPattern("0.00");
        chart.getStyler().setYAxisDecimalPattern("0.00");
        boolean any = false;
        for (int d = 0; d < 3; d++) {
            if (h.counts()[d] == 0) {
                continue;
            }
            any = true;
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (int b = 0; b < BINS; b++) {
                x.add(h.edges()[b]);
                y.add(h.fraction()[d][b]);
            }
            x.add(h.edges()[BINS]);
            y.add(h.fraction()[d][BINS - 1]);
            XYSeries s = chart.addSeries(SUBSET_NAMES[d] + " (n = " + h.counts()[d] + ")", x, y);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(SUBSET_COLOURS[d]);
            s.setLineStyle(new BasicStroke(2.2f));
        }
        if (!any) {
            throw new BadInputException("nothing to plot: no inputs");
        }
        AtomicFiles.write(png, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
    }

    /**
     * A line chart: each series a list of (x, y) points (drawn in x order, with markers), for
     * example a metric against bit width per quantization strategy.
     */
    public static void writeLinePng(Path png, String title, String xLabel, String yLabel,
            java.util.Map<String, List<double[]>> series) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xLabel)
                .yAxisTitle(yLabel).build();
        Styler st = chart.getStyler();
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotBackgroundColor(Color.WHITE);
        st.setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setPlotGridLinesColor(new Color(0xdddddd));
        if (series.isEmpty()) {
            throw new BadInputException("nothing to plot: no series");
        }
        for (java.util.Map.Entry<String, List<double[]>> e : series.entrySet()) {
            List<double[]> pts = new ArrayList<>(e.getValue());
            pts.sort(java.util.Comparator.comparingDouble(p -> p[0]));
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (double[] p : pts) {
                x.add(p[0]);
                y.add(p[1]);
            }
            XYSeries s = chart.addSeries(e.getKey(), x, y);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        }
        AtomicFiles.write(png, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
    }
}
