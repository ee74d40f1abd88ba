package org.bmsim.calib.fit;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** What a calibration's data cannot support, in words (docs/calibration.md section 4, warnings). */
final class CalibrationWarnings {
    private CalibrationWarnings() {
    }

    /** Share of RTN trap devices with no transition in their trace at or above which the calibration warns. */
    static final double SILENT_TRAPS_WARN = 0.01;

    /**
     * What the data cannot support, in words. A trap device whose trace holds no transition cannot be
     * told from a device without RTN: its mean sits up to one step off its programmed conductance
     * (Wan, 8,000 devices x 25 reads, 3.4% of the traps silent: level 0's spread 15.3 uS for a true
     * 1.57; 0.4% at 50 reads: 1.51 uS). tau0S, tau1S and stepUs are the fitted RTN dwell times and step,
     * spanS a device's mean trace span, meanReads the reads per device.
     */
    static List<String> of(double tau0S, double tau1S, double stepUs, double spanS, double meanReads) {
        List<String> w = new ArrayList<>();
        double silent = silentTrapShare(tau0S, tau1S, spanS);
        if (silent >= SILENT_TRAPS_WARN) {
            w.add(String.format(Locale.ROOT, "%.2g%% of the RTN trap devices show no transition in a trace of %.4g s "
                    + "(tau_0 %.3g s, tau_1 %.3g s): they cannot be told from devices without RTN and sit up to one step "
                    + "(%.3g uS) off, which biases the spreads; read each device for at least %.3g s (5 x the longer dwell time)",
                    100 * silent, spanS, tau0S, tau1S, stepUs, 5 * Math.max(tau0S, tau1S)));
        }
        if (meanReads < FAMILY_READS) {
            String reads = meanReads == Math.rint(meanReads) ? Long.toString((long) meanReads)
                    : String.format(Locale.ROOT, "%.4g", meanReads);
            w.add(String.format(Locale.ROOT, "%s reads per device: the trend fit's leverage (about 3 / R per read) mixes a "
                    + "Gaussian into the residuals, so the read-noise family selection is not reliable below %d reads "
                    + "(measured: student-t chosen for a Laplace device at 50 reads, Laplace at 100)", reads, FAMILY_READS));
        }
        return List.copyOf(w);
    }

    /** Reads per device from which the read-noise family selection was measured reliable (docs/calibration.md section 10). */
    static final int FAMILY_READS = 100;

    /**
     * The share of a two-state Markov trap's traces of length T without a transition: started in its
     * stationary distribution (pi_0 = tau_0 / (tau_0 + tau_1)), it stays in state i for T with
     * probability exp(-T / tau_i). 0 without RTN (tau NaN).
     */
    static double silentTrapShare(double tau0, double tau1, double spanS) {
        if (!(tau0 > 0 && tau1 > 0)) {
            return 0;
        }
        double pi0 = tau0 / (tau0 + tau1);
        return pi0 * Math.exp(-spanS / tau0) + (1 - pi0) * Math.exp(-spanS / tau1);
    }

    /** The warning for spectrum data (calibrate --spectrum-data) that do not resolve the 1/f slope either. */
    static String unresolvedSpectrum(String source) {
        return String.format(Locale.ROOT, "the spectrum data %s do not resolve the 1/f slope (at their lowest fitted "
                + "frequency the power law is below %.3g x the white and folded floor): read each device longer, or "
                + "faster, or start later after programming (docs/calibration.md section 7)", source, Spectra.RESOLVED_RATIO);
    }
}
