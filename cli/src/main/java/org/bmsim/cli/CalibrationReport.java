package org.bmsim.cli;

import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.math3.distribution.RealDistribution;
import org.bmsim.calib.fit.CalibrationResult;
import org.bmsim.calib.fit.DeviceYaml;
import org.bmsim.calib.fit.GoodnessOfFit;
import org.bmsim.calib.fit.ReadNoiseFamily;
import org.bmsim.calib.fit.RealisableRegion;
import org.bmsim.common.AtomicFiles;
import org.bmsim.sim.io.ModelFile;
import org.bmsim.sim.machine.MachineDescription;
import org.bmsim.sim.machine.MappedNetwork;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import tools.jackson.databind.json.JsonMapper;

/**
 * The calibration report folder: {@code estimates.json}, {@code report.md}, {@code realisable.csv}
 * and per level {@code levelK-qq.png}, {@code levelK-hist.png}, {@code levelK-psd.png} (xchart,
 * headless), with {@code spectrum-levelK-psd.png} per level of the spectrum data when there are some.
 * The fitting lives in the calibration module; this class only renders.
 */
final class CalibrationReport {
    private CalibrationReport() {
    }

    /** The model's weights the fitted device cannot realise (the mapping report's count). */
    record Realisable(long weights, long unrealisable, Map<String, Object> mapping) {
    }

    static Realisable modelView(MachineDescription m, Path model, long seed) {
        var net = ModelFile.read(model);
        MappedNetwork mapped = MappedNetwork.map(net, m, seed);
        Map<String, Object> rep = mapped.mappingReport();
        long weights = 0;
        for (Object o : (List<?>) rep.get("layers")) {
            String[] mat = String.valueOf(((Map<?, ?>) o).get("matrix")).split(" x ");
            weights += Long.parseLong(mat[0].strip()) * Long.parseLong(mat[1].strip());
        }
        return new Realisable(weights, ((Number) rep.get("unrealisable_weights")).longValue(), rep);
    }

    static void write(Path dir, CalibrationResult r, MachineDescription base, Realisable view) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("input", r.data().source());
        j.put("input_sha256", r.data().sha256());
        j.put("devices", r.data().devices());
        j.put("levels", r.data().levels());
        j.put("reads", r.data().rows());
        if (r.spectrum() != null) {
            j.put("spectrum_input", r.spectrum().data().source());
            j.put("spectrum_input_sha256", r.spectrum().data().sha256());
            j.put("spectrum_devices", r.spectrum().data().devices());
            j.put("spectrum_levels", r.spectrum().data().levels());
            j.put("spectrum_reads", r.spectrum().data().rows());
            j.put("spectrum_read_interval_s", r.spectrum().dtS());
        }
        j.put("read_noise_family", r.family().label());
        List<Map<String, Object>> fams = new ArrayList<>();
        for (int k = 0; k < r.familyFits().size(); k++) {
            for (ReadNoiseFamily.Fit f : r.familyFits().get(k).values()) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("level", k);
                e.put("family", f.family().label());
                e.put("scale_us", f.scale());
                e.put("df", Double.isNaN(f.df()) ? null : f.df());
                e.put("log_likelihood", f.logLikelihood());
                e.put("aic", f.aic());
                e.put("bic", f.bic());
                fams.add(e);
            }
        }
        j.put("family_fits", fams);
        List<Map<String, Object>> sel = new ArrayList<>();
        for (int k = 0; k < r.familySelection().size(); k++) {
            for (ReadNoiseFamily.Selection f : r.familySelection().get(k).values()) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("level", k);
                e.put("family", f.family().label());
                e.put("devices", f.devices());
                e.put("df", Double.isNaN(f.df()) ? null : f.df());
                e.put("log_likelihood", f.logLikelihood());
                e.put("aic", f.aic());
                e.put("bic", f.bic());
                sel.add(e);
            }
        }
        j.put("family_selection", sel);
        j.put("warnings", r.warnings());
        j.put("sigma_prog_us_coefficients", r.programming().coefficients());
        j.put("sigma_prog_degree", r.programming().degree());
        j.put("read_scale_us_coefficients", r.readScale().coefficients());
        List<Map<String, Object>> est = new ArrayList<>();
        for (CalibrationResult.Estimate e : DeviceYaml.all(r)) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("name", e.name());
            x.put("unit", e.unit());
            x.put("value", finite(e.value()));
            x.put("lo", finite(e.lo()));
            x.put("hi", finite(e.hi()));
            est.add(x);
        }
        j.put("estimates", est);
        List<Map<String, Object>> gof = new ArrayList<>();
        for (int k = 0; k < r.goodnessOfFit().size(); k++) {
            GoodnessOfFit g = r.goodnessOfFit().get(k);
            // a LinkedHashMap: Map.of iterates in an order that changes from run to run, and the file must not
            Map<String, Object> x = new java.util.LinkedHashMap<>();
            x.put("level", k);
            x.put("ks", g.ks());
            x.put("ks_p", g.ksP());
            x.put("ad", g.ad());
            x.put("w1_us", g.w1());
            x.put("n", g.n());
            gof.add(x);
        }
        j.put("goodness_of_fit", gof);
        MachineDescription fitted = DeviceYaml.machine(r, base);
        double[][] band = RealisableRegion.band(fitted.device().devicePreset().programmingNoise().sigma(), 21);
        j.put("realisable_band", band);
        if (view != null) {
            j.put("model_weights", view.weights());
            j.put("model_unrealisable_weights", view.unrealisable());
            j.put("model_unrealisable_fraction", (double) view.unrealisable() / Math.max(1, view.weights()));
            j.put("mapping", view.mapping());
        }
        AtomicFiles.writeString(dir.resolve("estimates.json"), JsonMapper.builder().build().writerWithDefaultPrettyPrinter()
                .writeValueAsString(j));
        StringBuilder csv = new StringBuilder("mu_over_wscale,sigma_min_over_wscale,sigma_max_over_wscale\n");
        for (double[] b : band) {
            csv.append(String.format(Locale.ROOT, "%.6g,%.6g,%.6g%n", b[0], b[1], b[2]));
        }
        AtomicFiles.writeString(dir.resolve("realisable.csv"), csv.toString());
        StringBuilder md = new StringBuilder("# Calibration report\n\n```\n");
        for (String line : DeviceYaml.provenance(r)) {
            md.append(line).append('\n');
        }
        md.append("```\n\n## Realisable weights (differential pair of the fitted device)\n\n"
                + "| mu / wScale | sigma_min / wScale | sigma_max / wScale |\n|---|---|---|\n");
        for (double[] b : band) {
            md.append(String.format(Locale.ROOT, "| %.2f | %.4g | %.4g |%n", b[0], b[1], b[2]));
        }
        if (view != null) {
            md.append(String.format(Locale.ROOT, "%nModel: %d of %d weights (%.4g%%) outside the band (mapping tolerance "
                    + "%.3g).%n", view.unrealisable(), view.weights(), 100.0 * view.unrealisable() / Math.max(1, view.weights()),
                    fitted.device().realisableTolerance()));
        }
        md.append("\n## Plots\n\n");
        for (CalibrationResult.LevelPlot p : r.plots()) {
            String k = "level" + p.level();
            qq(dir.resolve(k + "-qq.png"), p);
            hist(dir.resolve(k + "-hist.png"), p);
            psd(dir.resolve(k + "-psd.png"), p, "Level ");
            md.append(String.format("- %s: [QQ](%s-qq.png), [histogram](%s-hist.png), [PSD](%s-psd.png)%n", k, k, k, k));
        }
        if (r.spectrum() != null) {
            md.append("\nSpectrum data (").append(r.spectrum().data().source()).append("):\n\n");
            for (CalibrationResult.LevelPlot p : r.spectrum().plots()) {
                String k = "spectrum-level" + p.level();
                psd(dir.resolve(k + "-psd.png"), p, "Spectrum data, level ");
                md.append(String.format("- %s: [PSD](%s-psd.png)%n", k, k));
            }
        }
        AtomicFiles.writeString(dir.resolve("report.md"), md.toString());
    }

    private static Object finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static XYChart chart(String title, String x, String y) {
        XYChart c = new XYChartBuilder().width(700).height(450).title(title).xAxisTitle(x).yAxisTitle(y).build();
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setPlotBackgroundColor(Color.WHITE);
        c.getStyler().setPlotGridLinesColor(new Color(0xdddddd));
        return c;
    }

    private static void save(Path png, XYChart c) {
        AtomicFiles.write(png, out -> BitmapEncoder.saveBitmap(c, out, BitmapEncoder.BitmapFormat.PNG));
    }

    private static void qq(Path png, CalibrationResult.LevelPlot p) {
        double[] s = p.residuals().clone();
        Arrays.sort(s);
        RealDistribution d = p.fit().distribution();
        int n = s.length;
        int pts = Math.min(400, n);
        double[] x = new double[pts];
        double[] y = new double[pts];
        for (int i = 0; i < pts; i++) {
            double q = (i + 0.5) / pts;
            x[i] = d.inverseCumulativeProbability(q);
            y[i] = s[Math.min(n - 1, (int) (q * n))];
        }
        XYChart c = chart("Level " + p.level() + ": QQ against the fitted " + p.fit().family().label(),
                "fitted quantile (uS)", "residual quantile (uS)");
        XYSeries pts1 = c.addSeries("residuals", x, y);
        pts1.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        XYSeries line = c.addSeries("y = x", new double[] {x[0], x[pts - 1]}, new double[] {x[0], x[pts - 1]});
        line.setMarker(SeriesMarkers.NONE);
        save(png, c);
    }

    private static void hist(Path png, CalibrationResult.LevelPlot p) {
        double[] s = p.residuals();
        RealDistribution d = p.fit().distribution();
        double lo = d.inverseCumulativeProbability(0.001);
        double hi = d.inverseCumulativeProbability(0.999);
        int bins = 60;
        double w = (hi - lo) / bins;
        double[] cnt = new double[bins];
        for (double v : s) {
            int b = (int) Math.floor((v - lo) / w);
            if (b >= 0 && b < bins) {
                cnt[b]++;
            }
        }
        double[] x = new double[bins];
        double[] dens = new double[bins];
        double[] fit = new double[bins];
        for (int b = 0; b < bins; b++) {
            x[b] = lo + (b + 0.5) * w;
            dens[b] = cnt[b] / (s.length * w);
            fit[b] = d.density(x[b]);
        }
        XYChart c = chart("Level " + p.level() + ": residual histogram and the fitted " + p.fit().family().label(),
                "residual (uS)", "density (1/uS)");
        XYSeries h = c.addSeries("data", x, dens);
        h.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
        h.setMarker(SeriesMarkers.NONE);
        XYSeries f = c.addSeries(String.format(Locale.ROOT, "%s, scale %.4g uS", p.fit().family().label(), p.fit().scale()),
                x, fit);
        f.setMarker(SeriesMarkers.NONE);
        save(png, c);
    }

    /** The level's Welch periodogram and its fit; {@code title} names the data ("Level ", "Spectrum data, level "). */
    private static void psd(Path png, CalibrationResult.LevelPlot p, String title) {
        double[] f = p.frequenciesHz();
        double[] fit = new double[f.length];
        double[] data = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            fit[i] = p.psdFit().at(f[i]);
            data[i] = Math.max(p.psd()[i], 1e-300);
        }
        XYChart c = chart(title + p.level() + ": Welch power spectrum of the residuals", "frequency (Hz)", "PSD (uS^2/Hz)");
        c.getStyler().setXAxisLogarithmic(true);
        c.getStyler().setYAxisLogarithmic(true);
        XYSeries d = c.addSeries("data", f, data);
        d.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        if (Double.isFinite(fit[0])) {
            XYSeries s = c.addSeries(String.format(Locale.ROOT, "w + A f^-alpha, alpha = %.3g", p.psdFit().slope()), f, fit);
            s.setMarker(SeriesMarkers.NONE);
        }
        save(png, c);
    }
}
