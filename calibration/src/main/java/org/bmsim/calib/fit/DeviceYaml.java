package org.bmsim.calib.fit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bmsim.sim.machine.MachineDescription;
import org.bmsim.sim.machine.Machines;

/**
 * The calibration's output: a machine description that {@code bmsim replay --machine FILE} takes
 * directly. It is the base machine (default {@code rram-wan2022}) with its device block replaced by
 * {@code preset: custom} and a {@code device.custom} block holding the fitted window and
 * sigma_prog(G) polynomial, {@code noise_shape: gaussian} (the fitted shape of that spread).
 * Everything the machine does not use (read noise, drift, RTN, 1/f, stuck fractions, goodness
 * of fit) is kept as provenance in YAML comments at the top, with the input's SHA-256, the fit
 * method and every estimate's interval.
 */
public final class DeviceYaml {
    private DeviceYaml() {
    }

    /** The machine with the fitted device. */
    public static MachineDescription machine(CalibrationResult r, MachineDescription base) {
        MachineDescription.Device d = base.device();
        double[] c = r.programming().coefficients();
        List<Double> coef = new ArrayList<>();
        for (double v : c) {
            coef.add(v);
        }
        String src = "bmsim calibrate of " + r.data().source() + " (sha256 " + r.data().sha256() + ")";
        MachineDescription.CustomDevice custom = new MachineDescription.CustomDevice(src, r.windowUs()[0], r.windowUs()[1],
                coef);
        MachineDescription.Device nd = new MachineDescription.Device(MachineDescription.CUSTOM, machineShape(r),
                "none", d.inferenceTimeS(), d.pairReadSigmaUs(), d.tunableSigmaMaxUs(), d.realisableTolerance(), custom);
        return new MachineDescription(base.version(), "calibrated", "Calibrated device (" + r.data().source()
                + ") on the tiles and periphery of " + base.name(), base.tile(), nd, base.dac(), base.adc(), base.array(),
                base.digital(), base.schedule(), base.mapping());
    }

    /**
     * The machine's {@code noise_shape}: the shape of the spread that {@code sigma_us} describes. The
     * machine samples weights with the programming spread sigma_prog(G) (docs/machine.md section 2),
     * which the calibration fits as a (truncated) Gaussian, so the shape is {@code gaussian}; the
     * read-noise family (a different process, drawn around a device's own conductance) is provenance.
     */
    public static String machineShape(CalibrationResult r) {
        return "gaussian";
    }

    /** The better of gaussian and laplace for the read noise by total BIC (student-t has no machine form). */
    public static String readNoiseShape(CalibrationResult r) {
        if (r.family() != ReadNoiseFamily.STUDENT_T) {
            return r.family().label();
        }
        double g = 0;
        double l = 0;
        for (Map<ReadNoiseFamily, ReadNoiseFamily.Fit> f : r.familyFits()) {
            g += f.get(ReadNoiseFamily.GAUSSIAN).bic();
            l += f.get(ReadNoiseFamily.LAPLACE).bic();
        }
        return g <= l ? "gaussian" : "laplace";
    }

    /** The YAML text: provenance comments, then the machine; parsed back once to be sure it loads. */
    public static String yaml(CalibrationResult r, MachineDescription base) {
        MachineDescription m = machine(r, base);
        StringBuilder s = new StringBuilder();
        for (String line : provenance(r)) {
            s.append("# ").append(line).append('\n');
        }
        s.append(Machines.toYaml(m));
        Machines.parse(s.toString(), "calibrated machine");
        return s.toString();
    }

    /** The provenance block (comment lines). */
    public static List<String> provenance(CalibrationResult r) {
        List<String> l = new ArrayList<>();
        var d = r.data();
        l.add("bmsim machine description written by 'bmsim calibrate' (docs/calibration.md)");
        l.add("provenance:");
        l.add("  input: " + d.source());
        l.add("  input_sha256: " + d.sha256());
        l.add(String.format(Locale.ROOT, "  data: %d devices, %d levels, %d reads, read interval %.6g s", d.devices(),
                d.levels(), d.rows(), r.dtS()));
        l.add(String.format(Locale.ROOT, "  method: per-device trend + RTN 2-means, truncated-Gaussian ML of device means "
                + "(programming), ML read-noise families by BIC, log-log drift, aliased power law on the Welch PSD; %d bootstrap replicates "
                + "over devices, %.0f%% BCa intervals (curves: percentile), seed %d", r.options().bootstrap(), 100 * r.options().confidence(),
                r.options().seed()));
        if (r.spectrum() != null) {
            var sd = r.spectrum().data();
            l.add("  spectrum_input: " + sd.source() + " (flicker.slope and the spectrum.* estimates)");
            l.add("  spectrum_input_sha256: " + sd.sha256());
            l.add(String.format(Locale.ROOT, "  spectrum_data: %d devices, %d levels, %d reads, read interval %.6g s",
                    sd.devices(), sd.levels(), sd.rows(), r.spectrum().dtS()));
        }
        l.add(String.format(Locale.ROOT, "  window_us: [%.6g, %.6g]", r.windowUs()[0], r.windowUs()[1]));
        l.add("  sigma_prog_us(G): degree " + r.programming().degree() + " by BIC, coefficients "
                + Arrays.toString(r.programming().coefficients()));
        l.add("  read_noise_family: " + r.family().label() + " (per read, around a device's own conductance; the machine's "
                + "noise_shape is the programming spread's: gaussian)");
        for (String w : r.warnings()) {
            l.add("  warning: " + w);
        }
        l.add("  estimates (name: value [lo, hi] unit):");
        for (CalibrationResult.Estimate e : all(r)) {
            l.add(String.format(Locale.ROOT, "    %s: %.6g [%.6g, %.6g] %s", e.name(), e.value(), e.lo(), e.hi(), e.unit()));
        }
        l.add("  goodness of fit per level (" + r.family().label() + "): KS D, AD A^2, W1 uS");
        for (int k = 0; k < r.goodnessOfFit().size(); k++) {
            GoodnessOfFit g = r.goodnessOfFit().get(k);
            l.add(String.format(Locale.ROOT, "    level%d: KS %.4g (p %.3g), AD %.4g, W1 %.4g, n %d", k, g.ks(), g.ksP(), g.ad(),
                    g.w1(), g.n()));
        }
        return l;
    }

    /** Every estimate, the curves' coefficients and the spectrum data's included. */
    public static List<CalibrationResult.Estimate> all(CalibrationResult r) {
        List<CalibrationResult.Estimate> a = new ArrayList<>(r.estimates());
        a.addAll(r.programming().coefficientIntervals());
        a.addAll(r.programming().atLevels());
        a.addAll(r.readScale().coefficientIntervals());
        if (r.spectrum() != null) {
            a.addAll(r.spectrum().estimates());
        }
        return a;
    }
}
