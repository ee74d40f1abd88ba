package org.bmsim.examples.sweep;

import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.bmsim.common.AtomicFiles;
import org.bmsim.common.BadInputException;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import tools.jackson.databind.JsonNode;

/**
 * The report of a sweep output folder, in {@code DIR/report/}: a PNG and an SVG plot of each metric
 * against each axis (lines: the mean over the other axes, one line per value of a second axis; grey
 * dots: every point), the Pareto plots of energy per inference against the uncertainty error and
 * against the error rate (1 - accuracy), {@code pareto.csv}, and {@code report.html}, which holds
 * every PNG inline (data URIs) and needs no network to view.
 */
public final class SweepReport {
    public static final int WIDTH = 640;
    public static final int HEIGHT = 420;
    /** The uncertainty error the Pareto front trades against energy (the unscaled model's float reference). */
    public static final String UNCERTAINTY = "uncertainty_error_vs_model_mean_pct";
    public static final String ENERGY = "energy_pj_per_inference";
    /** A second axis with at most this many values splits a plot into one line per value. */
    static final int MAX_GROUPS = 8;

    private SweepReport() {
    }

    /** Writes the report of a sweep output folder; returns the path of report.html. */
    public static Path write(Path dir) {
        JsonNode manifest = SweepOutput.manifest(dir);
        List<SweepRecord> recs;
        try {
            recs = new ArrayList<>(SweepOutput.readJournal(dir.resolve(SweepOutput.JSONL), false).values());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (recs.isEmpty()) {
            throw new BadInputException(dir + ": no finished point to report");
        }
        recs.sort(Comparator.comparingInt(SweepRecord::index));
        List<String> params = new ArrayList<>();
        manifest.path("parameters").forEach(p -> params.add(p.asString()));
        Path rd = dir.resolve("report");
        List<Figure> figures = new ArrayList<>();
        // Pareto first: what a designer looks at first.
        figures.addAll(pareto(rd, recs));
        List<String> metrics = new ArrayList<>(PointResult.METRICS);
        for (String m : metrics) {
            for (String p : params) {
                Figure f = axisPlot(rd, recs, params, p, m);
                if (f != null) {
                    figures.add(f);
                }
            }
        }
        Path html = rd.resolve("report.html");
        AtomicFiles.writeString(html, html(manifest, recs, params, figures));
        return html;
    }

    /** One plot: its files, title and section, and its PNG bytes for the HTML. */
    record Figure(String section, String title, String png, String svg, byte[] pngBytes) {
    }

    private static Figure save(Path rd, String base, String section, Chart<?, ?> chart) {
        try {
            byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
            AtomicFiles.write(rd.resolve(base + ".png"), out -> out.write(png));
            AtomicFiles.write(rd.resolve(base + ".svg"),
                    out -> VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG));
            return new Figure(section, chart.getTitle(), base + ".png", base + ".svg", png);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static XYChart chart(String title, String x, String y) {
        XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(x).yAxisTitle(y).build();
        Styler st = c.getStyler();
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotBackgroundColor(Color.WHITE);
        c.getStyler().setPlotGridLinesColor(new Color(0xdddddd));
        st.setLegendPosition(Styler.LegendPosition.OutsideE);
        st.setChartTitleFont(st.getChartTitleFont().deriveFont(14f));
        return c;
    }

    static Double numeric(String s) {
        try {
            double d = Double.parseDouble(s);
            return Double.isFinite(d) ? d : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The metric against one axis; null when the metric is undefined everywhere. */
    private static Figure axisPlot(Path rd, List<SweepRecord> recs, List<String> params, String axis, String metric) {
        List<SweepRecord> rs = recs.stream().filter(r -> r.metrics().get(metric) != null).toList();
        if (rs.isEmpty()) {
            return null;
        }
        // Categorical axes are drawn at positions 0, 1, 2, ... in order of first appearance.
        List<String> levels = new ArrayList<>(new LinkedHashSet<>(rs.stream().map(r -> r.values().get(axis)).toList()));
        boolean numeric = levels.stream().allMatch(v -> numeric(v) != null);
        String group = null;
        for (String p : params) {
            if (!p.equals(axis)) {
                Set<String> vs = new LinkedHashSet<>(rs.stream().map(r -> r.values().get(p)).toList());
                if (vs.size() > 1 && vs.size() <= MAX_GROUPS) {
                    group = p;
                    break;
                }
            }
        }
        String xTitle = axis + (numeric ? "" : " (" + String.join(" | ", levels) + ")");
        XYChart c = chart(metric + " vs " + axis, xTitle, metric);
        List<Double> ax = new ArrayList<>();
        List<Double> ay = new ArrayList<>();
        Map<String, TreeMap<Double, double[]>> means = new LinkedHashMap<>();
        for (SweepRecord r : rs) {
            String v = r.values().get(axis);
            double x = numeric ? numeric(v) : levels.indexOf(v);
            double y = r.metrics().get(metric);
            ax.add(x);
            ay.add(y);
            String g = group == null ? "mean" : group + " = " + r.values().get(group);
            double[] acc = means.computeIfAbsent(g, k -> new TreeMap<>()).computeIfAbsent(x, k -> new double[2]);
            acc[0] += y;
            acc[1]++;
        }
        XYSeries pts = c.addSeries("points", ax, ay);
        pts.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        pts.setMarker(SeriesMarkers.CIRCLE);
        pts.setMarkerColor(new Color(0, 0, 0, 60));
        for (Map.Entry<String, TreeMap<Double, double[]>> e : means.entrySet()) {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            e.getValue().forEach((k, v) -> {
                x.add(k);
                y.add(v[0] / v[1]);
            });
            XYSeries s = c.addSeries(e.getKey() + (group == null ? "" : " (mean)"), x, y);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        }
        return save(rd, metric + "-vs-" + axis.replace('.', '_'), metric, c);
    }

    /** The Pareto plots and pareto.csv. */
    private static List<Figure> pareto(Path rd, List<SweepRecord> recs) {
        List<Figure> out = new ArrayList<>();
        double[] energy = values(recs, ENERGY);
        double[] unc = values(recs, UNCERTAINTY);
        double[] err = values(recs, "accuracy");
        for (int i = 0; i < err.length; i++) {
            err[i] = 1 - err[i];
        }
        List<Integer> f1 = Pareto.front(energy, unc);
        List<Integer> f2 = Pareto.front(energy, err);
        if (!f1.isEmpty()) {
            out.add(save(rd, "pareto-energy-uncertainty", "pareto",
                    paretoChart("Pareto front: energy per inference vs uncertainty error", UNCERTAINTY + " (%)", energy, unc, f1)));
        }
        if (!f2.isEmpty()) {
            out.add(save(rd, "pareto-energy-error-rate", "pareto",
                    paretoChart("Pareto front: energy per inference vs error rate (1 - accuracy)", "1 - accuracy", energy, err, f2)));
        }
        StringBuilder b = new StringBuilder("front,index,key," + ENERGY + "," + UNCERTAINTY + ",accuracy\n");
        Map<String, List<Integer>> fronts = new LinkedHashMap<>();
        fronts.put("energy_uncertainty", f1);
        fronts.put("energy_error_rate", f2);
        fronts.forEach((name, fr) -> {
            for (int i : fr) {
                SweepRecord r = recs.get(i);
                b.append(name).append(',').append(r.index()).append(',').append(SweepRecord.csv(r.key())).append(',')
                        .append(energy[i]).append(',').append(unc[i]).append(',').append(1 - err[i]).append('\n');
            }
        });
        AtomicFiles.writeString(rd.resolve("pareto.csv"), b.toString());
        return out;
    }

    /** Indices of the energy-vs-uncertainty Pareto front of a list of records (for explore and tests). */
    public static List<Integer> paretoFront(List<SweepRecord> recs) {
        return Pareto.front(values(recs, ENERGY), values(recs, UNCERTAINTY));
    }

    static double[] values(List<SweepRecord> recs, String metric) {
        double[] v = new double[recs.size()];
        for (int i = 0; i < v.length; i++) {
            Double d = recs.get(i).metrics().get(metric);
            v[i] = d == null ? Double.NaN : d;
        }
        return v;
    }

    private static XYChart paretoChart(String title, String yTitle, double[] x, double[] y, List<Integer> front) {
        XYChart c = chart(title, ENERGY + " (pJ)", yTitle);
        List<Double> ax = new ArrayList<>();
        List<Double> ay = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            if (!Double.isNaN(x[i]) && !Double.isNaN(y[i])) {
                ax.add(x[i]);
                ay.add(y[i]);
            }
        }
        XYSeries all = c.addSeries("all points", ax, ay);
        all.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        all.setMarker(SeriesMarkers.CIRCLE);
        all.setMarkerColor(new Color(120, 120, 120, 140));
        List<Double> fx = new ArrayList<>();
        List<Double> fy = new ArrayList<>();
        for (int i : front) {
            fx.add(x[i]);
            fy.add(y[i]);
        }
        XYSeries f = c.addSeries("Pareto front", fx, fy);
        f.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        f.setMarker(SeriesMarkers.DIAMOND);
        f.setLineColor(new Color(0xc0392b));
        f.setMarkerColor(new Color(0xc0392b));
        return c;
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String fmt(Double v) {
        return v == null || v.isNaN() ? "-" : String.format(Locale.ROOT, "%.4g", v);
    }

    private static String html(JsonNode m, List<SweepRecord> recs, List<String> params, List<Figure> figures) {
        StringBuilder b = new StringBuilder();
        String name = m.path("sweep").asString("sweep");
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>bmsim sweep ").append(esc(name))
                .append("</title>\n<style>body{font-family:sans-serif;margin:24px;color:#222}h1{font-size:22px}"
                        + "h2{font-size:18px;margin-top:28px;border-bottom:1px solid #ccc}table{border-collapse:collapse;"
                        + "font-size:13px}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#f3f3f3}"
                        + ".grid{display:flex;flex-wrap:wrap;gap:12px}figure{margin:0}figcaption{font-size:12px;color:#555}"
                        + "img{width:" + WIDTH + "px;height:" + HEIGHT + "px;border:1px solid #eee}</style></head><body>\n");
        b.append("<h1>Sweep <code>").append(esc(name)).append("</code></h1>\n<table>\n");
        JsonNode env = m.path("environment");
        JsonNode sum = m.path("summary");
        row(b, "points", recs.size() + " of " + m.path("points_total").asLong() + (m.path("complete").asBoolean(false) ? " (complete)" : ""));
        row(b, "parameters", String.join(", ", params));
        row(b, "seeds", m.path("seeds").toString() + ", seeding " + m.path("seeding").asString(""));
        row(b, "samples, subsample", m.path("samples").asInt() + " Monte Carlo samples, every " + m.path("subsample").asInt()
                + "-th test image");
        row(b, "sweep file sha256", m.path("spec_sha256").asString(""));
        row(b, "git commit", env.path("git_commit").asString("unknown") + (env.path("git_dirty").asBoolean(false) ? " (dirty)" : ""));
        row(b, "JDK", env.path("java_vm").asString("") + ", " + env.path("java_vendor").asString(""));
        row(b, "kernels", env.path("kernels").asString(""));
        if (!sum.isMissingNode()) {
            row(b, "last session", String.format(Locale.ROOT, "%d points in %.1f s wall on %d threads (%.2f s per point)",
                    sum.path("ran_this_session").asInt(), sum.path("wall_seconds_this_session").asDouble(),
                    sum.path("threads").asInt(), sum.path("wall_seconds_per_point").asDouble()));
        }
        b.append("</table>\n");
        List<Integer> front = paretoFront(recs);
        b.append("<h2>Pareto front</h2>\n<p>Points no other point beats in both energy per inference and uncertainty error "
                + "(mean relative error of the per-subset uncertainty means against the float model, %). Data: "
                + "<a href=\"pareto.csv\">pareto.csv</a>.</p>\n<div class=\"grid\">\n");
        for (Figure f : figures) {
            if (f.section().equals("pareto")) {
                figure(b, f);
            }
        }
        b.append("</div>\n<table><tr><th>index</th>");
        for (String p : params) {
            b.append("<th>").append(esc(p)).append("</th>");
        }
        b.append("<th>seed</th><th>energy (pJ)</th><th>uncertainty error (%)</th><th>accuracy</th><th>latency (ns)</th></tr>\n");
        for (int i : front) {
            SweepRecord r = recs.get(i);
            b.append("<tr><td>").append(r.index()).append("</td>");
            for (String p : params) {
                b.append("<td>").append(esc(r.values().getOrDefault(p, ""))).append("</td>");
            }
            b.append("<td>").append(r.sweepSeed()).append("</td><td>").append(fmt(r.metrics().get(ENERGY))).append("</td><td>")
                    .append(fmt(r.metrics().get(UNCERTAINTY))).append("</td><td>").append(fmt(r.metrics().get("accuracy")))
                    .append("</td><td>").append(fmt(r.metrics().get("latency_ns_per_inference"))).append("</td></tr>\n");
        }
        b.append("</table>\n");
        String section = null;
        for (Figure f : figures) {
            if (f.section().equals("pareto")) {
                continue;
            }
            if (!f.section().equals(section)) {
                if (section != null) {
                    b.append("</div>\n");
                }
                section = f.section();
                b.append("<h2>").append(esc(section)).append("</h2>\n<div class=\"grid\">\n");
            }
            figure(b, f);
        }
        if (section != null) {
            b.append("</div>\n");
        }
        b.append("<p>Results: <a href=\"../results.csv\">results.csv</a> (long format), <a href=\"../results.jsonl\">"
                + "results.jsonl</a> (with each point's resolved machine), <a href=\"../manifest.json\">manifest.json</a>. "
                + "Every plot is also in this folder as PNG and SVG.</p>\n</body></html>\n");
        return b.toString();
    }

    private static void row(StringBuilder b, String k, String v) {
        b.append("<tr><th style=\"text-align:left\">").append(esc(k)).append("</th><td style=\"text-align:left\">")
                .append(esc(v)).append("</td></tr>\n");
    }

    private static void figure(StringBuilder b, Figure f) {
        b.append("<figure><img alt=\"").append(esc(f.title())).append("\" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(f.pngBytes())).append("\"><figcaption>").append(esc(f.title()))
                .append(" (<a href=\"").append(f.svg()).append("\">SVG</a>)</figcaption></figure>\n");
    }
}
