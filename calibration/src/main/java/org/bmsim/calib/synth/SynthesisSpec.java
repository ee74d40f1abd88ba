package org.bmsim.calib.synth;

import java.util.Arrays;
import java.util.Locale;
import org.bmsim.common.BadInputException;
import org.bmsim.noise.device.DevicePreset;

/**
 * What {@link Synthesizer} generates: a device law (a preset or a machine file's custom device) and
 * the parameters of the processes its source leaves out, with the measurement protocol. Every
 * default is a project default chosen so that each process is identifiable from the data (not a
 * published value); docs/calibration.md lists them.
 *
 * @param device the device law: window, programming spread sigma(G), drift and 1/f when it has them
 * @param devices devices in the file, &gt;= 2 x levels
 * @param reads reads per device, &gt;= 16
 * @param levels programmed target levels, 2 .. 64: the midpoints of [g_min, g_max] in equal steps, unless
 *     {@code targetsUs} gives them
 * @param readIntervalS time between two reads of a device, seconds
 * @param startTimeS time since programming of the first read, seconds (&gt;= the drift's t0)
 * @param readFamily {@code gaussian} or {@code laplace}: the memoryless per-read noise
 * @param readScaleUs its scale (sigma or Laplace b) as a polynomial in G (uS, ascending powers)
 * @param rtnTau0S RTN mean dwell time in the low state
 * @param rtnTau1S RTN mean dwell time in the high state
 * @param rtnAmplitudeUs RTN step in uS; NaN = the default rule (10 x (gaussian) or 16 x (laplace) the largest other
 *     per-read sd over the window)
 * @param flickerQ relative 1/f amplitude q for a device without its own 1/f law; NaN = the default
 * @param flickerPerDecade OU components per decade of the 1/f process
 * @param stuckMin probability of a device stuck at g_min
 * @param stuckMax probability of a device stuck at g_max
 * @param seed seed of the generator (one split per device)
 * @param targetsUs the level targets in uS, strictly increasing, {@code levels} of them, inside the device's window
 *     (checked by {@link Synthesizer#plan}); null = the default placement
 */
public record SynthesisSpec(DevicePreset device, int devices, int reads, int levels, double readIntervalS,
        double startTimeS, String readFamily, double[] readScaleUs, double rtnTau0S, double rtnTau1S,
        double rtnAmplitudeUs, double flickerQ, int flickerPerDecade, double stuckMin, double stuckMax, long seed,
        double[] targetsUs) {

    /** Default levels. */
    public static final int LEVELS = 8;
    /** Default read interval of a device without drift: 0.1 s, so that the 1/f band above 0.3 Hz resolves. */
    public static final double READ_INTERVAL_S = 0.1;
    /**
     * Default read interval of a device that drifts: 10 s, so that 100 reads span 20 .. 1,010 s
     * (ln(t) over 3.9, against 0.4 for 10 s of reads) and a device's drift exponent is measured well
     * enough to separate the exponent's spread from the slope's noise (at 0.1 s the PCM preset's
     * sigma_nu came out 2 .. 4.5 times too large: the 1/f noise in a 10 s trace swamps it).
     */
    public static final double DRIFT_READ_INTERVAL_S = 10.0;
    /** Latest read a protocol may have, seconds after programming (about 30 years). */
    public static final double LAST_READ_MAX_S = 1e9;
    /** Default first read: 20 s after programming (t0 of Joshi et al.'s drift). */
    public static final double START_TIME_S = 20.0;
    /** Default RTN dwell times in read intervals: 5 reads low, 10 reads high (0.5 s and 1 s at 0.1 s). */
    public static final double RTN_TAU0_READS = 5;
    public static final double RTN_TAU1_READS = 10;
    public static final int FLICKER_PER_DECADE = 4;
    public static final double STUCK = 0.01;
    /** Default read-noise scale of devices without published read noise: b(G) = 0.02 + 0.005 G uS. */
    public static final double[] READ_SCALE_US = {0.02, 0.005};
    /** Default white read noise of a device whose read noise is its 1/f law (PCM): sigma = 0.1 uS. */
    public static final double[] WHITE_READ_SIGMA_US = {0.1};

    public SynthesisSpec {
        if (device == null) {
            throw new NullPointerException("device");
        }
        if (levels < 2 || levels > 64) {
            throw new BadInputException("synthesize: levels must be in [2, 64], got " + levels);
        }
        if (devices < 2 * levels) {
            throw new BadInputException("synthesize: need at least 2 devices per level (" + 2 * levels + "), got " + devices);
        }
        if (reads < 16) {
            throw new BadInputException("synthesize: need at least 16 reads per device, got " + reads);
        }
        if ((long) devices * reads > 200_000_000L) {
            throw new BadInputException("synthesize: " + (long) devices * reads + " reads is more than 2e8");
        }
        if (targetsUs != null) {
            targetsUs = targetsUs.clone();
            if (targetsUs.length != levels) {
                throw new BadInputException("synthesize: " + targetsUs.length + " level targets for " + levels + " levels");
            }
            for (int k = 0; k < targetsUs.length; k++) {
                if (!Double.isFinite(targetsUs[k]) || (k > 0 && !(targetsUs[k] > targetsUs[k - 1]))) {
                    throw new BadInputException("synthesize: level targets must be finite and strictly increasing (uS), got "
                            + Arrays.toString(targetsUs));
                }
            }
        }
        positive("read interval (s)", readIntervalS);
        positive("start time (s)", startTimeS);
        // the file holds times as text a reader takes back; beyond this a time is no measurement (and 1e300 s
        // reads wrote "Infinity", which the reader refuses)
        if (startTimeS + (reads - 1.0) * readIntervalS > LAST_READ_MAX_S) {
            throw new BadInputException(String.format(Locale.ROOT,
                    "synthesize: the last read at %g s is later than %g s (about 30 years) after programming",
                    startTimeS + (reads - 1.0) * readIntervalS, LAST_READ_MAX_S));
        }
        positive("RTN tau_0 (s)", rtnTau0S);
        positive("RTN tau_1 (s)", rtnTau1S);
        if (!readFamily.equals("gaussian") && !readFamily.equals("laplace")) {
            throw new BadInputException("synthesize: read noise family must be gaussian or laplace, got '" + readFamily + "'");
        }
        readScaleUs = readScaleUs.clone();
        if (readScaleUs.length == 0 || Arrays.stream(readScaleUs).anyMatch(c -> !Double.isFinite(c))) {
            throw new BadInputException("synthesize: read-noise scale coefficients must be finite, got "
                    + Arrays.toString(readScaleUs));
        }
        if (!Double.isNaN(rtnAmplitudeUs) && !(rtnAmplitudeUs >= 0 && Double.isFinite(rtnAmplitudeUs))) {
            throw new BadInputException("synthesize: RTN amplitude must be finite and >= 0 uS, got " + rtnAmplitudeUs);
        }
        if (!Double.isNaN(flickerQ) && !(flickerQ >= 0 && Double.isFinite(flickerQ))) {
            throw new BadInputException("synthesize: 1/f amplitude q must be finite and >= 0, got " + flickerQ);
        }
        if (flickerPerDecade < 1 || flickerPerDecade > 16) {
            throw new BadInputException("synthesize: 1/f components per decade must be in [1, 16], got " + flickerPerDecade);
        }
        if (!(stuckMin >= 0 && stuckMax >= 0 && stuckMin + stuckMax <= 0.5)) {
            throw new BadInputException(String.format(Locale.ROOT,
                    "synthesize: stuck fractions must be >= 0 with sum <= 0.5, got %g and %g", stuckMin, stuckMax));
        }
        if (device.drift().isPresent() && startTimeS < device.drift().get().t0Seconds()) {
            throw new BadInputException("synthesize: the first read at " + startTimeS + " s is before the drift's t0 = "
                    + device.drift().get().t0Seconds() + " s");
        }
    }

    /**
     * The defaults for a device: 8 levels, reads every 0.1 s (10 s for a device that drifts) from 20 s,
     * RTN dwell times of 5 and 10 reads (0.5 s / 1 s; 50 s / 100 s) with a step of 10 x (gaussian) or 16 x (laplace) the largest other per-read sd, 1% stuck at each end; read noise Gaussian 0.1 uS
     * (white, beside the device's own 1/f law) when the device has a 1/f law, else Laplace
     * b(G) = 0.02 + 0.005 G uS (the shape Lin et al. 2023 fit to memristor reads) with a weak 1/f
     * (its per-read sigma 5% of the read noise's at mid-window).
     */
    public static SynthesisSpec defaults(DevicePreset device, int devices, int reads, long seed) {
        return defaults(device, devices, reads, seed, defaultReadInterval(device));
    }

    /** The default read interval of a device: {@link #DRIFT_READ_INTERVAL_S} if it drifts, else {@link #READ_INTERVAL_S}. */
    public static double defaultReadInterval(DevicePreset device) {
        return device.drift().isPresent() ? DRIFT_READ_INTERVAL_S : READ_INTERVAL_S;
    }

    /** The defaults with reads every {@code readIntervalS}; the RTN dwell times are 5 and 10 of them. */
    public static SynthesisSpec defaults(DevicePreset device, int devices, int reads, long seed, double readIntervalS) {
        return defaults(device, devices, reads, seed, readIntervalS, LEVELS);
    }

    /**
     * The defaults with reads every {@code readIntervalS} at {@code levels} levels (the devices are
     * checked against this count, not the default 8: 4 devices at 2 levels are a valid file).
     */
    public static SynthesisSpec defaults(DevicePreset device, int devices, int reads, long seed, double readIntervalS,
            int levels) {
        positive("read interval (s)", readIntervalS);
        boolean ownFlicker = device.flickerNoise(START_TIME_S, readIntervalS, 1).isPresent();
        return new SynthesisSpec(device, devices, reads, levels, readIntervalS, START_TIME_S,
                ownFlicker ? "gaussian" : "laplace", ownFlicker ? WHITE_READ_SIGMA_US : READ_SCALE_US,
                RTN_TAU0_READS * readIntervalS, RTN_TAU1_READS * readIntervalS,
                Double.NaN, Double.NaN, FLICKER_PER_DECADE, STUCK, STUCK, seed, null);
    }

    public SynthesisSpec withReadNoise(String family, double[] scaleUs) {
        return new SynthesisSpec(device, devices, reads, levels, readIntervalS, startTimeS, family, scaleUs, rtnTau0S, rtnTau1S,
                rtnAmplitudeUs, flickerQ, flickerPerDecade, stuckMin, stuckMax, seed, targetsUs);
    }

    public SynthesisSpec withRtn(double tau0S, double tau1S, double amplitudeUs) {
        return new SynthesisSpec(device, devices, reads, levels, readIntervalS, startTimeS, readFamily, readScaleUs, tau0S, tau1S,
                amplitudeUs, flickerQ, flickerPerDecade, stuckMin, stuckMax, seed, targetsUs);
    }

    public SynthesisSpec withStuck(double pMin, double pMax) {
        return new SynthesisSpec(device, devices, reads, levels, readIntervalS, startTimeS, readFamily, readScaleUs, rtnTau0S,
                rtnTau1S, rtnAmplitudeUs, flickerQ, flickerPerDecade, pMin, pMax, seed, targetsUs);
    }

    /** The protocol, with {@code levels} levels at the default placement. */
    public SynthesisSpec withProtocol(int levels, double readIntervalS, double startTimeS) {
        return new SynthesisSpec(device, devices, reads, levels, readIntervalS, startTimeS, readFamily, readScaleUs, rtnTau0S,
                rtnTau1S, rtnAmplitudeUs, flickerQ, flickerPerDecade, stuckMin, stuckMax, seed, null);
    }

    /** The levels at the given targets (uS, strictly increasing, inside the window). */
    public SynthesisSpec withTargets(double[] targets) {
        return new SynthesisSpec(device, devices, reads, targets.length, readIntervalS, startTimeS, readFamily, readScaleUs,
                rtnTau0S, rtnTau1S, rtnAmplitudeUs, flickerQ, flickerPerDecade, stuckMin, stuckMax, seed, targets);
    }

    public SynthesisSpec withFlickerQ(double q) {
        return new SynthesisSpec(device, devices, reads, levels, readIntervalS, startTimeS, readFamily, readScaleUs, rtnTau0S,
                rtnTau1S, rtnAmplitudeUs, q, flickerPerDecade, stuckMin, stuckMax, seed, targetsUs);
    }

    public SynthesisSpec withSeed(long s) {
        return new SynthesisSpec(device, devices, reads, levels, readIntervalS, startTimeS, readFamily, readScaleUs, rtnTau0S,
                rtnTau1S, rtnAmplitudeUs, flickerQ, flickerPerDecade, stuckMin, stuckMax, s, targetsUs);
    }

    public SynthesisSpec withSize(int nDevices, int nReads) {
        return new SynthesisSpec(device, nDevices, nReads, levels, readIntervalS, startTimeS, readFamily, readScaleUs, rtnTau0S,
                rtnTau1S, rtnAmplitudeUs, flickerQ, flickerPerDecade, stuckMin, stuckMax, seed, targetsUs);
    }

    private static void positive(String what, double v) {
        if (!(v > 0) || !Double.isFinite(v)) {
            throw new BadInputException("synthesize: " + what + " must be finite and > 0, got " + v);
        }
    }
}
