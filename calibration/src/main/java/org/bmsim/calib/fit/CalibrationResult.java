package org.bmsim.calib.fit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bmsim.calib.data.Measurements;

/**
 * Everything a calibration found: the estimates with their bootstrap intervals, the read-noise
 * family comparison, the polynomials in G, goodness of fit and plot data per level.
 *
 * @param family the read-noise family with the smallest total selection BIC over the levels
 * @param familyFits per level, each family's fit with one scale for the level (scale, df, log-likelihood, AIC, BIC)
 * @param familySelection per level, each family's fit with a scale per device, whose BIC summed over the
 *     levels selects the family ({@link ReadNoiseFamily#selectionFit})
 * @param estimates every parameter: name, unit, estimate, interval
 * @param programming sigma_prog(G): the polynomial (the machine's {@code sigma_us}) and its intervals
 * @param readScale the read-noise scale against the level's conductance
 * @param dtS the mean read interval
 * @param windowUs the conductance window [g_min, g_max] used
 * @param rtnMeanUs a pi_1: the stationary RTN offset restored into the device means
 * @param warnings what the data cannot support, one sentence each (e.g. traces too short for the RTN dwell times)
 * @param spectrum the 1/f fit of a second, fast-read measurement ({@code calibrate --spectrum-data}), whose pooled
 *     slope is then {@code flicker.slope}; null without one
 */
public record CalibrationResult(Measurements data, Calibrator.Options options, ReadNoiseFamily family,
        List<Map<ReadNoiseFamily, ReadNoiseFamily.Fit>> familyFits,
        List<Map<ReadNoiseFamily, ReadNoiseFamily.Selection>> familySelection, List<Estimate> estimates, Curve programming,
        Curve readScale, List<GoodnessOfFit> goodnessOfFit, List<LevelPlot> plots, double dtS, double[] windowUs,
        double rtnMeanUs, List<String> warnings, Spectrum spectrum) {

    /**
     * The 1/f fit of a second measurement read fast (a noise-spectrum series beside a slow retention
     * series: one protocol cannot hold both, docs/calibration.md section 7).
     *
     * @param data the spectrum measurement
     * @param dtS its mean read interval
     * @param estimates per level of that data {@code spectrum.levelK.flicker_slope}, {@code .flicker_amplitude},
     *     {@code .white_psd}, {@code .noise_conductance} (the pooled slope is {@code flicker.slope})
     * @param plots its levels' periodograms with their fits
     */
    public record Spectrum(Measurements data, double dtS, List<Estimate> estimates, List<LevelPlot> plots) {
    }

    /** One parameter with its bootstrap interval [lo, hi] (BCa for parameters, percentile for curve values). */
    public record Estimate(String name, String unit, double value, double lo, double hi) {
        public boolean covers(double truth) {
            return lo <= truth && truth <= hi;
        }
    }

    /**
     * A polynomial in G (uS, ascending powers) fitted to per-level values, weighted by their
     * bootstrap variances; degree chosen by BIC = chi^2 + (d + 1) ln L among the degrees that
     * stay positive over the window (for the programming spread).
     *
     * @param bicTable rows {degree, chi^2, BIC, positive (1/0)}
     * @param x the level conductances
     * @param y the per-level values fitted
     */
    public record Curve(String name, int degree, double[] coefficients, List<Estimate> coefficientIntervals,
            List<Estimate> atLevels, List<double[]> bicTable, double[] x, double[] y) {
    }

    /** Plot data of one level: residuals and their fitted density, periodogram and its fit. */
    public record LevelPlot(int level, double[] residuals, ReadNoiseFamily.Fit fit, double[] frequenciesHz, double[] psd,
            Spectra.PowerLaw psdFit) {
    }

    /** Names of the per-level estimates a spectrum calibration contributes. */
    private static final List<String> SPECTRUM_FIELDS = List.of("flicker_slope", "flicker_amplitude", "white_psd",
            "noise_conductance");

    /**
     * This result with {@code flicker.slope} from {@code s}, the calibration of a second, fast series
     * ({@link Calibrator#calibrate(Measurements, Measurements, Calibrator.Options)}), s's levels'
     * spectra attached, and a warning when s does not resolve the slope.
     */
    public CalibrationResult withSpectrum(CalibrationResult s) {
        List<Estimate> est = new ArrayList<>();
        Estimate slope = s.get("flicker.slope");
        for (Estimate e : estimates) {
            est.add(e.name().equals("flicker.slope") ? slope : e);
        }
        List<Estimate> spec = new ArrayList<>();
        for (Estimate e : s.estimates()) {
            int dot = e.name().indexOf('.');
            if (e.name().startsWith("level") && SPECTRUM_FIELDS.contains(e.name().substring(dot + 1))) {
                spec.add(new Estimate("spectrum." + e.name(), e.unit(), e.value(), e.lo(), e.hi()));
            }
        }
        List<String> warn = new ArrayList<>(warnings);
        if (!Double.isFinite(slope.value())) {
            warn.add(CalibrationWarnings.unresolvedSpectrum(s.data().source()));
        }
        return new CalibrationResult(data, options, family, familyFits, familySelection, est, programming, readScale,
                goodnessOfFit, plots, dtS, windowUs, rtnMeanUs, List.copyOf(warn),
                new Spectrum(s.data(), s.dtS(), List.copyOf(spec), s.plots()));
    }

    /** The estimate called {@code name}. */
    public Estimate get(String name) {
        for (Estimate e : estimates) {
            if (e.name().equals(name)) {
                return e;
            }
        }
        for (Estimate e : programming.coefficientIntervals()) {
            if (e.name().equals(name)) {
                return e;
            }
        }
        for (Estimate e : programming.atLevels()) {
            if (e.name().equals(name)) {
                return e;
            }
        }
        throw new IllegalArgumentException("no estimate " + name);
    }
}
