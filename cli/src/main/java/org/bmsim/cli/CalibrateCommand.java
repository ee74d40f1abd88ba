package org.bmsim.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.bmsim.calib.data.MeasurementCsv;
import org.bmsim.calib.data.Measurements;
import org.bmsim.calib.fit.CalibrationResult;
import org.bmsim.calib.fit.Calibrator;
import org.bmsim.calib.fit.DeviceYaml;
import org.bmsim.calib.synth.SynthesisSpec;
import org.bmsim.calib.synth.Synthesizer;
import org.bmsim.common.AtomicFiles;
import org.bmsim.common.BadInputException;
import org.bmsim.noise.device.DevicePreset;
import org.bmsim.noise.device.DevicePresets;
import org.bmsim.sim.machine.MachineDescription;
import org.bmsim.sim.machine.Machines;
import org.bmsim.sim.nn.Parallel;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bmsim calibrate}: measured device data to a machine description (docs/calibration.md). */
@Command(name = "calibrate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Fit the noise models to measured read traces (a measurement CSV, docs/calibration.md): programming "
            + "spread sigma_prog(G) with its polynomial degree by BIC, read-noise family (gaussian, laplace, student-t) by "
            + "BIC and its scale per level, drift exponent per level, random telegraph noise, 1/f slope, stuck fractions, "
            + "each with a bootstrap confidence interval. Writes a machine YAML that 'bmsim replay --machine FILE' takes "
            + "(device.preset: custom), with the fit's provenance in comments; --report DIR adds estimates.json, "
            + "report.md and per-level PNG plots (QQ, histogram with the fitted density, power spectrum with its fit).",
            "Subcommands: synthesize (measurement CSV from known parameters), recovery (parameter recovery study), check "
            + "(a replay on the fitted machine against the reference device, with the Monte Carlo floor)."},
        subcommands = {CalibrateCommand.Synthesize.class, RecoveryCommand.class, CalibrationCheckCommand.class})
public final class CalibrateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "FILE", description = "Measurement CSV (device,target_us,read_index,time_s,g_us).")
    Path data;

    @Option(names = "--spectrum-data", paramLabel = "FILE",
            description = "A second measurement CSV read fast (e.g. every 0.1 s, 1,000+ reads per device) for the 1/f "
                    + "slope, which a slow retention series cannot resolve; flicker.slope and the spectrum.* estimates "
                    + "come from it, everything else from --data.")
    Path spectrumData;

    @Option(names = "--out", paramLabel = "FILE", description = "Machine YAML to write.")
    Path out;

    @Option(names = "--report", paramLabel = "DIR", description = "Also write estimates.json, report.md and plots here.")
    Path report;

    @Option(names = "--model", paramLabel = "FILE",
            description = "A model (.safetensors): the fraction of its weights the fitted device cannot realise.")
    Path model;

    @Option(names = "--base-machine", defaultValue = "rram-wan2022", paramLabel = "NAME|FILE",
            description = "Machine whose tiles and periphery the fitted device goes into (default: ${DEFAULT-VALUE}; "
                    + "needs analog cells).")
    String baseMachine;

    @Option(names = "--window", paramLabel = "G_MIN,G_MAX", split = ",",
            description = "Conductance window in uS (default: the lowest and highest device mean in the data).")
    double[] window;

    @Option(names = "--bootstrap", defaultValue = "1000", paramLabel = "B",
            description = "Bootstrap replicates (default: ${DEFAULT-VALUE}).")
    int bootstrap;

    @Option(names = "--confidence", defaultValue = "0.95", description = "Interval level (default: ${DEFAULT-VALUE}).")
    double confidence;

    @Option(names = "--max-degree", defaultValue = "3", description = "Largest polynomial degree (default: ${DEFAULT-VALUE}).")
    int maxDegree;

    @Option(names = "--seed", defaultValue = "1", description = "Bootstrap seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--threads", paramLabel = "T", description = "Worker threads (default: the number of processors).")
    Integer threads;

    @Override
    public Integer call() {
        if (data == null || out == null) {
            throw new BadInputException("calibrate needs --data FILE and --out FILE (or a subcommand: synthesize, recovery)");
        }
        PrintWriter o = spec.commandLine().getOut();
        int t = threads == null ? Parallel.defaultThreads() : Parallel.checkThreads(threads);
        MachineDescription base = Machines.load(baseMachine);
        if (!base.tile().cellType().analog()) {
            throw new BadInputException("--base-machine " + baseMachine + " has digital cells; a device needs analog cells");
        }
        if (window != null && window.length != 2) {
            throw new BadInputException("--window needs two numbers G_MIN,G_MAX, got " + window.length);
        }
        Calibrator.Options opts = new Calibrator.Options(bootstrap, confidence, seed, t, maxDegree, window);
        long t0 = System.nanoTime();
        Measurements m = MeasurementCsv.read(data);
        o.print(m.summary());
        Measurements sm = null;
        if (spectrumData != null) {
            sm = MeasurementCsv.read(spectrumData);
            o.print(sm.summary());
        }
        CalibrationResult r = Calibrator.calibrate(m, sm, opts);
        PrintWriter err = spec.commandLine().getErr();
        for (String w : r.warnings()) {
            err.println("bmsim: warning: " + w);
        }
        err.flush();
        String yaml = DeviceYaml.yaml(r, base);
        CalibrationReport.Realisable view = model == null ? null
                : CalibrationReport.modelView(DeviceYaml.machine(r, base), model, seed);
        if (report != null) {
            CalibrationReport.write(report, r, base, view);
        }
        AtomicFiles.writeString(out, yaml);
        o.printf(Locale.ROOT, "read noise: %s; sigma_prog(G) = %s uS (degree %d)%n", r.family().label(),
                Arrays.toString(r.programming().coefficients()), r.programming().degree());
        if (view != null) {
            o.printf(Locale.ROOT, "model %s: %d of %d weights (%.4g%%) outside what the device realises%n", model,
                    view.unrealisable(), view.weights(), 100.0 * view.unrealisable() / Math.max(view.weights(), 1));
        }
        o.printf(Locale.ROOT, "wrote %s%s (%.1f s)%n", out, report == null ? "" : " and " + report,
                (System.nanoTime() - t0) / 1e9);
        o.flush();
        return 0;
    }

    /** Resolves {@code --preset NAME | --machine FILE} to a device law. */
    static DevicePreset device(String preset, String machine) {
        if (preset != null) {
            return DevicePresets.get(preset);
        }
        MachineDescription md = Machines.load(machine);
        DevicePreset p = md.device().devicePreset();
        if (p == null) {
            throw new BadInputException("machine " + machine + " has no device (device.preset: none)");
        }
        return p;
    }

    /** Exactly one of --preset and --machine. */
    static final class DeviceChoice {
        @Option(names = "--preset", required = true, paramLabel = "NAME",
                description = "Device preset: pcm-joshi2020, rram-wan2022, rram-milo2021.")
        String preset;

        @Option(names = "--machine", required = true, paramLabel = "FILE|NAME",
                description = "A machine whose device (a preset or device.custom) to use.")
        String machine;
    }

    /** Options of the synthetic data shared by synthesize and recovery. */
    static final class SynthOptions {
        @Option(names = "--levels", defaultValue = "8", paramLabel = "N|G1,G2,...",
                description = "Programmed levels: a count N (at the midpoints of the device's window in N equal steps) or "
                        + "the targets in uS, strictly increasing, inside the window (default: ${DEFAULT-VALUE}).")
        String levels;

        @Option(names = "--read-interval", paramLabel = "S",
                description = "Seconds between reads (default: 10 for a device that drifts, else 0.1).")
        Double readIntervalS;

        @Option(names = "--start-time", defaultValue = "20", paramLabel = "S",
                description = "Seconds from programming to the first read (default: ${DEFAULT-VALUE}).")
        double startTimeS;

        @Option(names = "--read-noise", paramLabel = "gaussian|laplace",
                description = "Per-read noise family (default: gaussian for a device with its own 1/f law, else laplace).")
        String readFamily;

        @Option(names = "--read-scale", paramLabel = "C0,C1,...", split = ",",
                description = "Read-noise scale (sigma or Laplace b) as a polynomial in G, uS (default: 0.1 with a 1/f law, "
                        + "else 0.02,0.005).")
        double[] readScale;

        @Option(names = "--rtn", paramLabel = "TAU0,TAU1,AMP", split = ",",
                description = "RTN dwell times (s) and step (uS) (default: 5 and 10 read intervals and 10 (gaussian) or 16 "
                        + "(laplace) x the largest other per-read sd).")
        double[] rtn;

        @Option(names = "--flicker-q", paramLabel = "Q",
                description = "Relative 1/f amplitude q for a device without a 1/f law (default: 5%% of the read noise).")
        Double flickerQ;

        @Option(names = "--stuck", paramLabel = "P_MIN,P_MAX", split = ",",
                description = "Stuck fractions at g_min and g_max (default: 0.01,0.01).")
        double[] stuck;

        SynthesisSpec spec(DevicePreset dev, int devices, int reads, long seed) {
            double[] targets = targets(levels);
            double interval = readIntervalS != null ? readIntervalS : SynthesisSpec.defaultReadInterval(dev);
            int count = targets == null ? Integer.parseInt(levels.strip()) : targets.length;
            SynthesisSpec s = SynthesisSpec.defaults(dev, devices, reads, seed, interval, count).withProtocol(count, interval,
                    startTimeS);
            if (targets != null) {
                s = s.withTargets(targets);
            }
            if (readFamily != null || readScale != null) {
                s = s.withReadNoise(readFamily == null ? s.readFamily() : readFamily,
                        readScale == null ? s.readScaleUs() : readScale);
            }
            if (rtn != null) {
                if (rtn.length != 3) {
                    throw new BadInputException("--rtn needs TAU0,TAU1,AMP, got " + rtn.length + " numbers");
                }
                s = s.withRtn(rtn[0], rtn[1], rtn[2]);
            }
            if (flickerQ != null) {
                s = s.withFlickerQ(flickerQ);
            }
            if (stuck != null) {
                if (stuck.length != 2) {
                    throw new BadInputException("--stuck needs P_MIN,P_MAX, got " + stuck.length + " numbers");
                }
                s = s.withStuck(stuck[0], stuck[1]);
            }
            return s;
        }
    }

    /** {@code --levels}: null for a count (checked to be an integer), else the targets in uS. */
    static double[] targets(String levels) {
        String v = levels.strip();
        if (!v.contains(",")) {
            try {
                Integer.parseInt(v);
                return null;
            } catch (NumberFormatException e) {
                throw new BadInputException("--levels: expected a count N or targets G1,G2,... in uS, got '"
                        + BadInputException.excerpt(v) + "'");
            }
        }
        String[] parts = v.split(",", -1);
        double[] t = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                t[i] = Double.parseDouble(parts[i].strip());
            } catch (NumberFormatException e) {
                throw new BadInputException("--levels: not a number: '" + BadInputException.excerpt(parts[i].strip()) + "'");
            }
        }
        return t;
    }

    /** {@code bmsim calibrate synthesize}. */
    @Command(name = "synthesize", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Write a measurement CSV from known parameters with every noise process on (the project's "
                    + "StuckDevices, ProgrammingNoise, PowerLawDrift, read noise, RandomTelegraphNoise, FlickerNoise); "
                    + "processes the device's source leaves out take the documented defaults (docs/calibration.md). The "
                    + "true parameters are written as comment lines at the top of the file.")
    static final class Synthesize implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @ArgGroup(exclusive = true, multiplicity = "1")
        DeviceChoice device;

        @Option(names = "--devices", required = true, paramLabel = "N", description = "Devices.")
        int devices;

        @Option(names = "--reads", required = true, paramLabel = "R", description = "Reads per device.")
        int reads;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "CSV to write.")
        Path out;

        @Option(names = "--seed", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--threads", paramLabel = "T", description = "Worker threads (default: the number of processors).")
        Integer threads;

        @picocli.CommandLine.Mixin
        SynthOptions synth = new SynthOptions();

        @Override
        public Integer call() {
            int t = threads == null ? Parallel.defaultThreads() : Parallel.checkThreads(threads);
            SynthesisSpec s = synth.spec(device(device.preset, device.machine), devices, reads, seed);
            Synthesizer.Plan p = Synthesizer.plan(s);
            Measurements m = Synthesizer.generate(p, t);
            Synthesizer.writeCsv(out, m, p);
            PrintWriter o = spec.commandLine().getOut();
            for (String line : Synthesizer.describe(p)) {
                o.println(line);
            }
            o.printf(Locale.ROOT, "wrote %s (%d reads)%n", out, m.rows());
            o.flush();
            return 0;
        }
    }
}
