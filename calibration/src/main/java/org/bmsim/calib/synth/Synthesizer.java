package org.bmsim.calib.synth;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.bmsim.calib.data.Measurements;
import org.bmsim.common.AtomicFiles;
import org.bmsim.common.BadInputException;
import org.bmsim.noise.device.ConductanceFunction;
import org.bmsim.noise.device.ConductanceNoise;
import org.bmsim.noise.device.ConductanceRange;
import org.bmsim.noise.device.DevicePreset;
import org.bmsim.noise.device.FlickerNoise;
import org.bmsim.noise.device.GaussianReadNoise;
import org.bmsim.noise.device.LaplaceReadNoise;
import org.bmsim.noise.device.NoiseRandom;
import org.bmsim.noise.device.PolynomialCurve;
import org.bmsim.noise.device.PowerLawDrift;
import org.bmsim.noise.device.ProgrammingNoise;
import org.bmsim.noise.device.RandomTelegraphNoise;
import org.bmsim.noise.device.StuckDevices;
import org.bmsim.sim.nn.Parallel;

/**
 * Writes measurement data from known parameters with every noise process on, through the
 * project's own models (never a re-implementation): per device, once, {@link StuckDevices},
 * {@link ProgrammingNoise}, the drift exponent of {@link PowerLawDrift}; per read the drifted
 * conductance plus {@link GaussianReadNoise} or {@link LaplaceReadNoise}, {@link RandomTelegraphNoise}
 * and {@link FlickerNoise}. A stuck device is read at its stuck conductance with the memoryless
 * read noise only (no trap switches in a device that does not move); a device carries the RTN trap
 * only where its low state fits ({@link #hasTrap}). A read below 0 uS is recorded as 0 (an
 * instrument reports no negative conductance): that happens only to devices within a few read-noise
 * sd of 0 uS (programming clipped them to g_min = 0), which the fit counts as at the window's end.
 *
 * <p>Device d is at level d mod L and draws from {@code NoiseRandom.of(seed).split(d)}: the file
 * is the same at any thread count.
 */
public final class Synthesizer {
    /** Read duration of the 1/f band's upper edge, as in Joshi et al. 2020 (f_high = 1 / (2 x 250 ns)). */
    public static final double T_READ_S = 250e-9;

    private Synthesizer() {
    }

    /** The processes, levels and true parameters of a spec. */
    public record Plan(SynthesisSpec spec, ConductanceRange range, double[] targetsUs, ProgrammingNoise programming,
            PowerLawDrift drift, ConductanceNoise readNoise, RandomTelegraphNoise rtn, FlickerNoise flicker,
            StuckDevices stuck, Truth truth) {
    }

    /**
     * The true parameters, in the units the fit reports. Per level: the programming spread at the
     * target, the memoryless read-noise scale at the mean drifted conductance of the level's devices
     * that programming left inside the window (Laplace: b of
     * the read noise; Gaussian: the sigma of read plus 1/f noise a trace shows about its own trend,
     * {@link #withinTraceSigma}, as one read cannot tell the two apart), the mean and standard deviation of the drift exponent (of max(N(mu, sigma), 0)).
     */
    public record Truth(String readFamily, double[] targetsUs, double[] sigmaProgUs, double[] readScaleUs, double[] nuMean,
            double[] nuSd, double rtnTau0S, double rtnTau1S, double rtnAmplitudeUs, double stuckMin, double stuckMax,
            double flickerSlope, double gMinUs, double gMaxUs, boolean drift) {
    }

    /** Resolves the defaults of a spec into processes and levels. */
    public static Plan plan(SynthesisSpec s) {
        DevicePreset dev = s.device();
        ConductanceRange range = dev.range();
        double gMin = range.gMinMicroSiemens();
        double gMax = range.gMaxMicroSiemens();
        ProgrammingNoise prog = dev.programmingNoise();
        PowerLawDrift drift = dev.drift().orElse(null);
        PolynomialCurve readScale = PolynomialCurve.of(range, s.readScaleUs());
        boolean laplace = s.readFamily().equals("laplace");
        ConductanceNoise read = laplace ? LaplaceReadNoise.of(readScale) : GaussianReadNoise.of(readScale);
        double gMid = 0.5 * (gMin + gMax);
        FlickerNoise own = dev.flickerNoise(s.startTimeS(), s.readIntervalS(), s.flickerPerDecade()).orElse(null);
        FlickerNoise flicker;
        if (own != null && Double.isNaN(s.flickerQ())) {
            flicker = own;
        } else {
            double fLow = 1.0 / s.startTimeS();
            double fHigh = 1.0 / (2 * T_READ_S);
            double q = s.flickerQ();
            if (Double.isNaN(q)) {
                // default: the 1/f per-read sigma is 5% of the read noise's at mid-window
                q = 0.05 * read.stdDevMicroSiemens(gMid) / (gMid * Math.sqrt(Math.log(fHigh / fLow)));
            }
            flicker = FlickerNoise.of(ConductanceFunction.constant(q, range), fLow, fHigh, s.flickerPerDecade(),
                    s.readIntervalS());
        }
        double otherMax = 0;
        for (int i = 0; i <= 64; i++) {
            double g = gMin + (gMax - gMin) * i / 64;
            otherMax = Math.max(otherMax, Math.hypot(read.stdDevMicroSiemens(g), flicker.stdDevMicroSiemens(g, g)));
        }
        double amp = s.rtnAmplitudeUs();
        if (Double.isNaN(amp)) {
            // default: the step is 10 (gaussian) or 16 (laplace) times the largest other per-read sd, so that
            // two-level detection misreads fewer than 1e-5 of the reads (5 sd of a Gaussian, 11 b of a Laplace)
            amp = round2((laplace ? 16 : 10) * otherMax);
        }
        RandomTelegraphNoise rtn = RandomTelegraphNoise.of(s.rtnTau0S(), s.rtnTau1S(), amp, s.readIntervalS());
        // levels: the midpoints of [g_min, g_max] in equal steps (the whole window is measured, so the fitted
        // sigma_prog(G) interpolates where a machine maps its weights), or the designer's targets
        int levels = s.levels();
        double[] targets;
        if (s.targetsUs() != null) {
            targets = s.targetsUs().clone();
            if (targets[0] < gMin || targets[levels - 1] > gMax) {
                throw new BadInputException(String.format(Locale.ROOT, "synthesize: level targets must lie inside the "
                        + "device's window [%g, %g] uS, got %s", gMin, gMax, Arrays.toString(targets)));
            }
        } else {
            targets = new double[levels];
            for (int k = 0; k < levels; k++) {
                targets[k] = gMin + (k + 0.5) * (gMax - gMin) / levels;
            }
        }
        StuckDevices stuck = StuckDevices.of(s.stuckMin(), s.stuckMax(), range);
        // truth
        double[] sp = new double[levels];
        double[] rs = new double[levels];
        double[] nm = new double[levels];
        double[] nsd = new double[levels];
        for (int k = 0; k < levels; k++) {
            double t = targets[k];
            sp[k] = prog.stdDevMicroSiemens(t);
            double c = 1;
            if (drift != null) {
                double mu = drift.muNu().at(t);
                double sd = drift.sigmaNu().at(t);
                double[] m = rectifiedMoments(mu, sd);
                nm[k] = m[0];
                nsd[k] = m[1];
                double acc = 0;
                for (int r = 0; r < s.reads(); r++) {
                    acc += Math.pow((s.startTimeS() + r * s.readIntervalS()) / drift.t0Seconds(), -m[0]);
                }
                c = acc / s.reads();
            }
            // the conductance the level's healthy devices read at: the programmed Gaussian, clipped to the
            // window (its clipped part sits at the window ends, where the fit leaves devices out), drifted
            double g = range.clip(truncatedMean(t, sp[k], gMin, gMax) * c);
            rs[k] = laplace ? readScale.at(g)
                    : withinTraceSigma(s, read.stdDevMicroSiemens(g), flicker.stdDevMicroSiemens(t, g), flicker);
        }
        Truth truth = new Truth(s.readFamily(), targets, sp, rs, nm, nsd, s.rtnTau0S(), s.rtnTau1S(), amp, s.stuckMin(),
                s.stuckMax(), 1.0, gMin, gMax, drift != null);
        return new Plan(s, range, targets, prog, drift, read, rtn, flicker, stuck, truth);
    }

    /** Generates the reads in memory (device d at level d mod L). */
    public static Measurements generate(Plan p, int threads) {
        SynthesisSpec s = p.spec();
        int n = s.devices();
        int reads = s.reads();
        double[] t = new double[n * reads];
        double[] g = new double[n * reads];
        int[] level = new int[n];
        int[] start = new int[n + 1];
        List<String> names = new ArrayList<>(n);
        int width = Integer.toString(n - 1).length();
        for (int d = 0; d < n; d++) {
            level[d] = d % s.levels();
            start[d] = d * reads;
            names.add(String.format(Locale.ROOT, "d%0" + width + "d", d));
        }
        start[n] = n * reads;
        NoiseRandom root = NoiseRandom.of(s.seed());
        try (Parallel par = Parallel.of(threads)) {
            par.forEach(n, (d, w) -> device(p, root.split(d), p.targetsUs()[level[d]], d * reads, t, g));
        }
        return new Measurements("synthesized(" + s.device().name() + ", seed " + s.seed() + ")", "", List.copyOf(names), level,
                start, t, g, p.targetsUs().clone(), true, null);
    }

    private static void device(Plan p, NoiseRandom rng, double target, int at, double[] tOut, double[] gOut) {
        SynthesisSpec s = p.spec();
        double gs = p.stuck().apply(target, rng);
        boolean stuck = gs != target;
        double gProg = stuck ? gs : p.programming().sample(target, rng);
        double nu = !stuck && p.drift() != null ? p.drift().sampleNu(target, rng) : 0.0;
        float[] rtnState = new float[1];
        float[] flState = new float[p.flicker().stateSize()];
        boolean trap = !stuck && hasTrap(p, lowestConductance(p, gProg, nu));
        if (trap) {
            p.rtn().start(rtnState, 0, gProg, rng);
        }
        if (!stuck) {
            p.flicker().start(flState, 0, gProg, rng);
        }
        ConductanceRange range = p.range();
        for (int r = 0; r < s.reads(); r++) {
            double time = s.startTimeS() + r * s.readIntervalS();
            double gNow = !stuck && p.drift() != null ? p.drift().drifted(gProg, nu, time) : gProg;
            double gc = range.clip(gNow);
            double off = p.readNoise().sample(gc, rng) - gc;
            if (trap) {
                off += p.rtn().next(rtnState, 0, gNow, rng) - gNow;
            }
            if (!stuck) {
                off += p.flicker().next(flState, 0, gNow, rng) - gNow;
            }
            tOut[at + r] = time;
            gOut[at + r] = Math.max(gNow + off, 0.0);
        }
    }

    /** The lowest conductance a device programmed to gProg with drift exponent nu reaches over the reads (drift lowers it). */
    static double lowestConductance(Plan p, double gProg, double nu) {
        if (p.drift() == null) {
            return gProg;
        }
        SynthesisSpec s = p.spec();
        return Math.min(gProg, p.drift().drifted(gProg, nu, s.startTimeS() + (s.reads() - 1) * s.readIntervalS()));
    }

    /**
     * Whether a device whose conductance stays at or above {@code gLowest} over the reads (its
     * programmed conductance, or the drifted one at the last read) carries the RTN trap. The trap's low
     * state sits at g - a pi_1 (the step is zero-mean, {@link RandomTelegraphNoise}); a trap whose low
     * state would not be a conductance, with room for the other per-read noise, cannot exist in that
     * device (a trap cannot block more conductance than the device has). So a device carries it when
     * g_lowest - a pi_1 &gt;= 4 sd_other(g_lowest), with sd_other the memoryless read noise and 1/f noise
     * together; then its reads stay above 0 uS (checked at the programmed conductance only, a PCM device
     * read over 1,000 s drifted below it and its reads were cut at 0 uS, which shrank the step the fit sees). Near g_min = 0 this leaves the lowest-conductance
     * devices without RTN instead of recording clipped reads. The trap's parameters (tau_0, tau_1, a)
     * are the same for every device that has it.
     */
    static boolean hasTrap(Plan p, double gLowest) {
        double other = Math.hypot(p.readNoise().stdDevMicroSiemens(gLowest), p.flicker().stdDevMicroSiemens(gLowest, gLowest));
        return p.rtn().amplitudeMicroSiemens() > 0
                && gLowest - p.rtn().amplitudeMicroSiemens() * p.rtn().filledProbability() >= 4 * other;
    }

    /** Writes measurements as the CSV format (docs/calibration.md), with the plan in comment lines. */
    public static void writeCsv(Path out, Measurements m, Plan p) {
        AtomicFiles.write(out, os -> {
            Writer w = new BufferedWriter(new OutputStreamWriter(os, StandardCharsets.UTF_8), 1 << 16);
            for (String line : describe(p)) {
                w.write("# " + line + "\n");
            }
            w.write("device,target_us,read_index,time_s,g_us\n");
            StringBuilder sb = new StringBuilder(64);
            for (int d = 0; d < m.devices(); d++) {
                String name = m.deviceNames().get(d);
                String target = Double.toString(m.levelTargets()[m.deviceLevel()[d]]);
                for (int i = m.start()[d], r = 0; i < m.start()[d + 1]; i++, r++) {
                    sb.setLength(0);
                    sb.append(name).append(',').append(target).append(',').append(r).append(',')
                            .append((float) m.timeS()[i]).append(',').append((float) m.gUs()[i]).append('\n');
                    w.append(sb);
                }
            }
            w.flush();
        });
    }

    /** The generating parameters, one per line, for the file's comments and the CLI. */
    public static List<String> describe(Plan p) {
        SynthesisSpec s = p.spec();
        Truth tr = p.truth();
        List<String> l = new ArrayList<>();
        l.add("synthesized by bmsim calibrate synthesize (docs/calibration.md): device " + s.device().name() + " ("
                + s.device().citation() + ")");
        l.add(String.format(Locale.ROOT, "devices %d, reads per device %d, levels %d, read interval %g s, first read %g s, seed %d",
                s.devices(), s.reads(), s.levels(), s.readIntervalS(), s.startTimeS(), s.seed()));
        l.add("targets (uS): " + fmt(tr.targetsUs()));
        l.add("programming sigma at the targets (uS): " + fmt(tr.sigmaProgUs()));
        l.add("read noise: " + s.readFamily() + ", scale(G) = polynomial " + Arrays.toString(s.readScaleUs())
                + " uS; per-level scale (uS): " + fmt(tr.readScaleUs()));
        l.add(String.format(Locale.ROOT, "RTN: tau_0 %g s, tau_1 %g s, amplitude %g uS", tr.rtnTau0S(), tr.rtnTau1S(),
                tr.rtnAmplitudeUs()));
        l.add(String.format(Locale.ROOT, "1/f: band %g .. %g Hz, %d components/decade, per-read sigma at mid-window %g uS",
                p.flicker().fLowHz(), p.flicker().fHighHz(), s.flickerPerDecade(),
                p.flicker().stdDevMicroSiemens(0.5 * (tr.gMinUs() + tr.gMaxUs()), 0.5 * (tr.gMinUs() + tr.gMaxUs()))));
        l.add(tr.drift() ? "drift: nu mean per level " + fmt(tr.nuMean()) + ", sd " + fmt(tr.nuSd()) : "drift: none");
        l.add(String.format(Locale.ROOT, "stuck: %g at g_min, %g at g_max", tr.stuckMin(), tr.stuckMax()));
        return l;
    }

    private static String fmt(double[] v) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < v.length; i++) {
            b.append(i == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.5g", v[i]));
        }
        return b.toString();
    }

    /**
     * The read-noise sigma a trace of R reads shows about its own trend: the fit removes a quadratic
     * trend in ln t from every trace (docs/calibration.md), which also removes the 1/f power slower
     * than the trace, so the estimand is
     * <pre>
     *   sigma_within^2 = (tr(Gamma) - tr(H Gamma)) / (R - 3),   Gamma_ij = s_w^2 delta_ij + s_f^2 R_f(|i - j|)
     * </pre>
     * with H the hat matrix of the trend (columns 1, x, x^2, x = ln(t / t_first)) and R_f the 1/f
     * process's autocorrelation: the expectation of the fit's Gaussian variance estimate.
     */
    static double withinTraceSigma(SynthesisSpec s, double white, double flickerSd, FlickerNoise f) {
        int n = s.reads();
        double[][] x = new double[n][3];
        double xm = 0;
        double[] lx = new double[n];
        for (int r = 0; r < n; r++) {
            lx[r] = Math.log((s.startTimeS() + r * s.readIntervalS()) / s.startTimeS());
            xm += lx[r] / n;
        }
        for (int r = 0; r < n; r++) {
            double z = lx[r] - xm;
            x[r][0] = 1;
            x[r][1] = z;
            x[r][2] = z * z;
        }
        var xm1 = org.apache.commons.math3.linear.MatrixUtils.createRealMatrix(x);
        var xtxInv = new org.apache.commons.math3.linear.LUDecomposition(xm1.transpose().multiply(xm1)).getSolver().getInverse();
        var h = xm1.multiply(xtxInv).multiply(xm1.transpose());
        double[] rho = new double[n];
        for (int m = 0; m < n; m++) {
            rho[m] = f.autocorrelation(m);
        }
        double tr = n * (white * white + flickerSd * flickerSd);
        double trH = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double g = flickerSd * flickerSd * rho[Math.abs(i - j)] + (i == j ? white * white : 0);
                trH += h.getEntry(i, j) * g;
            }
        }
        return Math.sqrt((tr - trH) / (n - 3));
    }

    /** Mean of N(mu, sd^2) truncated to (lo, hi): mu + sd (phi(a) - phi(b)) / (Phi(b) - Phi(a)). */
    static double truncatedMean(double mu, double sd, double lo, double hi) {
        if (sd == 0) {
            return mu;
        }
        NormalDistribution z = new NormalDistribution(null, 0, 1);
        double a = (lo - mu) / sd;
        double b = (hi - mu) / sd;
        double mass = z.cumulativeProbability(b) - z.cumulativeProbability(a);
        return mass > 1e-12 ? mu + sd * (z.density(a) - z.density(b)) / mass : mu;
    }

    /** Mean and standard deviation of max(X, 0), X ~ N(mu, sd^2). */
    public static double[] rectifiedMoments(double mu, double sd) {
        if (sd == 0) {
            double m = Math.max(mu, 0);
            return new double[] {m, 0};
        }
        NormalDistribution z = new NormalDistribution(0, 1);
        double a = mu / sd;
        double cdf = z.cumulativeProbability(a);
        double pdf = z.density(a);
        double m1 = mu * cdf + sd * pdf;
        double m2 = (mu * mu + sd * sd) * cdf + mu * sd * pdf;
        return new double[] {m1, Math.sqrt(Math.max(m2 - m1 * m1, 0))};
    }

    private static double round2(double v) {
        if (v <= 0) {
            return 0;
        }
        double e = Math.pow(10, Math.floor(Math.log10(v)) - 1);
        return Math.ceil(v / e) * e;
    }
}
