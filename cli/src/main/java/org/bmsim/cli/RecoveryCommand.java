package org.bmsim.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bmsim.calib.fit.Calibrator;
import org.bmsim.calib.synth.Recovery;
import org.bmsim.calib.synth.SynthesisSpec;
import org.bmsim.common.AtomicFiles;
import org.bmsim.common.BadInputException;
import org.bmsim.sim.nn.Parallel;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.json.JsonMapper;

/** {@code bmsim calibrate recovery}: the parameter-recovery study of docs/calibration.md. */
@Command(name = "recovery", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Synthesize data from a device's known parameters, calibrate it, and count per parameter in how "
                + "many seeded repetitions the true value lies inside its interval, and how often the true read-noise "
                + "family is selected. Repetition i uses seed SEED + i.")
final class RecoveryCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    CalibrateCommand.DeviceChoice device;

    @Option(names = "--repetitions", defaultValue = "100", description = "Repetitions (default: ${DEFAULT-VALUE}).")
    int repetitions;

    @Option(names = "--devices", defaultValue = "1000", description = "Devices per repetition (default: ${DEFAULT-VALUE}).")
    int devices;

    @Option(names = "--reads", defaultValue = "100", description = "Reads per device (default: ${DEFAULT-VALUE}).")
    int reads;

    @Option(names = "--bootstrap", defaultValue = "1000", description = "Bootstrap replicates (default: ${DEFAULT-VALUE}).")
    int bootstrap;

    @Option(names = "--seed", defaultValue = "1", description = "First seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", required = true, paramLabel = "OUT.json", description = "JSON to write.")
    Path json;

    @Option(names = "--threads", paramLabel = "T", description = "Worker threads (default: the number of processors).")
    Integer threads;

    @picocli.CommandLine.Mixin
    CalibrateCommand.SynthOptions synth = new CalibrateCommand.SynthOptions();

    @Option(names = "--spectrum-devices", paramLabel = "N",
            description = "Also synthesize a fast spectrum series of N devices of the same device (its RTN, read noise and "
                    + "stuck fractions) and calibrate the two together (calibrate --spectrum-data): flicker.slope comes "
                    + "from it (default: none).")
    Integer spectrumDevices;

    @Option(names = "--spectrum-reads", defaultValue = "1024", paramLabel = "R",
            description = "Reads per device of the spectrum series (default: ${DEFAULT-VALUE}).")
    int spectrumReads;

    @Option(names = "--spectrum-levels", defaultValue = "4", paramLabel = "N",
            description = "Levels of the spectrum series (default: ${DEFAULT-VALUE}).")
    int spectrumLevels;

    @Option(names = "--spectrum-read-interval", defaultValue = "0.1", paramLabel = "S",
            description = "Seconds between reads of the spectrum series (default: ${DEFAULT-VALUE}).")
    double spectrumIntervalS;

    @Option(names = "--spectrum-start-time", defaultValue = "500", paramLabel = "S",
            description = "Seconds from programming to the spectrum series' first read (default: ${DEFAULT-VALUE}: the 1/f "
                    + "band of a drifting device starts at 1 / t_first).")
    double spectrumStartS;

    @Override
    public Integer call() {
        int t = threads == null ? Parallel.defaultThreads() : Parallel.checkThreads(threads);
        if (repetitions < 1) {
            throw new BadInputException("repetitions must be >= 1, got " + repetitions);
        }
        SynthesisSpec s = synth.spec(CalibrateCommand.device(device.preset, device.machine), devices, reads, seed);
        Calibrator.Options o = new Calibrator.Options(bootstrap, 0.95, seed, t, 3, null);
        PrintWriter err = spec.commandLine().getErr();
        SynthesisSpec fast = null;
        if (spectrumDevices != null) {
            try {
                fast = s.withProtocol(spectrumLevels, spectrumIntervalS, spectrumStartS).withSize(spectrumDevices, spectrumReads);
            } catch (BadInputException e) {
                throw new BadInputException("the spectrum series (--spectrum-*): " + e.getMessage());
            }
        }
        Recovery.Result r = Recovery.run(s, fast, repetitions, o, i -> {
            if (i % 10 == 0 || i == repetitions) {
                err.printf("recovery: %d/%d%n", i, repetitions);
                err.flush();
            }
        });
        Map<String, Object> m = r.toMap(0.95);
        AtomicFiles.writeString(json, JsonMapper.builder().build().writerWithDefaultPrettyPrinter().writeValueAsString(m));
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "%s: %d repetitions of %d devices x %d reads%s; family right in %d%n", r.device(),
                r.repetitions(), r.devices(), r.reads(), fast == null ? ""
                        : String.format(Locale.ROOT, " and a spectrum series of %d x %d (%d reads in all)", r.spectrumDevices(),
                                r.spectrumReads(), r.readsTotal()), r.familyHits());
        for (Recovery.Coverage c : r.coverage()) {
            out.printf(Locale.ROOT, "  %-28s truth %-12.5g mean estimate %-12.5g inside %3d/%d  bias %+6.2f sd  width/spread %5.2f%n",
                    c.name(), c.truth(), c.meanEstimate(), c.hits(), c.repetitions(), c.biasInSd(), c.widthOverSpread());
        }
        out.printf(Locale.ROOT, "pooled coverage %.4f; below 90%%: %s parameters (%.2f expected at exact 95%% coverage)%n",
                m.get("pooled_coverage"), m.get("parameters_below_90pct"), m.get("parameters_below_90pct_expected_if_exact"));
        out.printf(Locale.ROOT, "fewest inside: %s; %.1f s; wrote %s%n", m.get("fewest_inside"), r.seconds(), json);
        out.flush();
        return 0;
    }

}
