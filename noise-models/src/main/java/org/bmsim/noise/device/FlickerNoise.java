package org.bmsim.noise.device;

import org.bmsim.common.BadInputException;

/**
 * 1/f (flicker) read noise as a time process: a sum of independent Ornstein-Uhlenbeck processes
 * with log-spaced corner frequencies, whose Lorentzian spectra add up to a 1/f spectrum between
 * {@code fLowHz} and {@code fHighHz} (the superposition argument of McWhorter 1957; see e.g. van
 * der Ziel, "Unified presentation of 1/f noise in electron devices", Proc. IEEE 76(3), 1988).
 *
 * <pre>
 *   target one-sided spectrum:  S(f) = (q g)^2 / f   for fLow &lt;= f &lt;= fHigh
 *   total variance:             sigma^2 = (q g)^2 ln(fHigh / fLow)
 *
 *   K = ceil(log10(fHigh/fLow) * componentsPerDecade) components, r = (fHigh/fLow)^(1/K)
 *   component k (0 .. K-1): corner f_k = fLow r^(k + 1/2), weight w_k = ln(r)   (sum w_k = ln(fHigh/fLow))
 *   unit-variance OU state, exact update over one read interval dt:
 *     x_k &lt;- rho_k x_k + sqrt(1 - rho_k^2) z,   rho_k = exp(-2 pi f_k dt)
 *
 *   read:   g_read = g + |g| q(g_prog) sum_k sqrt(w_k) x_k
 *   autocorrelation at lag m reads: R(m) = sum_k w_k rho_k^m / sum_k w_k
 * </pre>
 *
 * {@code q} is the relative amplitude per unit log-bandwidth, a function of the programmed
 * conductance, fixed at {@link #start}; the offset scales with the current conductance g (so it
 * follows drift). Components that decorrelate completely within one read (rho_k &lt; 1e-9) are merged
 * into one white Gaussian term of weight sum w_k, which is exact to that tolerance and saves
 * draws. Cost per read: one Gaussian per remaining component plus one; state per device:
 * {@link #stateSize()} floats (q, then the OU states).
 *
 * <p>For PCM, {@link JoshiPcm2020#flickerNoise} sets q = Q_s(g_r), fLow = 1/(t + t_read), fHigh =
 * 1/(2 t_read), so that the marginal sigma equals the accumulated 1/f read noise of Joshi et al.
 * (2020) at inference time t, while successive reads stay correlated as 1/f noise is. Left out:
 * the slow non-stationarity of real 1/f noise (fLow is frozen at the inference time, a good
 * approximation while a run lasts much less than t).
 */
public final class FlickerNoise implements CorrelatedNoise {
    /** Components with rho below this are treated as white (fully decorrelated each read). */
    static final double WHITE_RHO = 1e-9;

    private final ConductanceFunction relativeAmplitude;
    private final double fLowHz;
    private final double fHighHz;
    private final double readIntervalSeconds;
    private final int components;
    private final double[] rho;
    private final double[] innovation;
    private final double[] sqrtWeight;
    private final double sqrtWhiteWeight;
    private final double totalWeight;
    private final double[] allRho;
    private final double[] allWeight;

    private FlickerNoise(ConductanceFunction q, double fLow, double fHigh, int perDecade, double dt) {
        this.relativeAmplitude = q;
        this.fLowHz = fLow;
        this.fHighHz = fHigh;
        this.readIntervalSeconds = dt;
        int k = (int) Math.max(1, Math.ceil(Math.log10(fHigh / fLow) * perDecade - 1e-9));
        this.components = k;
        double lnRatio = Math.log(fHigh / fLow);
        double w = lnRatio / k;
        this.totalWeight = lnRatio;
        this.allRho = new double[k];
        this.allWeight = new double[k];
        int kept = 0;
        double white = 0;
        for (int i = 0; i < k; i++) {
            double fc = fLow * Math.exp(lnRatio * (i + 0.5) / k);
            allRho[i] = Math.exp(-2 * Math.PI * fc * dt);
            allWeight[i] = w;
            if (allRho[i] < WHITE_RHO) {
                white += w;
            } else {
                kept++;
            }
        }
        this.rho = new double[kept];
        this.innovation = new double[kept];
        this.sqrtWeight = new double[kept];
        int j = 0;
        for (int i = 0; i < k; i++) {
            if (allRho[i] >= WHITE_RHO) {
                rho[j] = allRho[i];
                innovation[j] = Math.sqrt(-Math.expm1(2 * Math.log(allRho[i])));
                sqrtWeight[j] = Math.sqrt(w);
                j++;
            }
        }
        this.sqrtWhiteWeight = Math.sqrt(white);
    }

    /**
     * @param relativeAmplitude q(g_prog), dimensionless, &gt;= 0 (zero switches the noise off)
     * @param fLowHz lower band edge, &gt; 0
     * @param fHighHz upper band edge, &gt; fLowHz
     * @param componentsPerDecade OU components per decade of bandwidth, 1 .. 16
     * @param readIntervalSeconds time between successive reads of a device, &gt; 0
     */
    public static FlickerNoise of(ConductanceFunction relativeAmplitude, double fLowHz, double fHighHz,
            int componentsPerDecade, double readIntervalSeconds) {
        if (relativeAmplitude == null) {
            throw new NullPointerException("relativeAmplitude");
        }
        if (!(fLowHz > 0) || !Double.isFinite(fLowHz)) {
            throw new BadInputException("1/f noise: f_low must be finite and > 0 Hz, got " + fLowHz);
        }
        if (!(fHighHz > fLowHz) || !Double.isFinite(fHighHz)) {
            throw new BadInputException("1/f noise: f_high must be finite and above f_low = " + fLowHz
                    + " Hz, got " + fHighHz);
        }
        if (componentsPerDecade < 1 || componentsPerDecade > 16) {
            throw new BadInputException("1/f noise: components per decade must be 1 .. 16, got "
                    + componentsPerDecade);
        }
        if (!(readIntervalSeconds > 0) || !Double.isFinite(readIntervalSeconds)) {
            throw new BadInputException("1/f noise: read interval must be finite and > 0 s, got "
                    + readIntervalSeconds);
        }
        return new FlickerNoise(relativeAmplitude, fLowHz, fHighHz, componentsPerDecade, readIntervalSeconds);
    }

    @Override
    public int stateSize() {
        return 1 + rho.length;
    }

    @Override
    public double readIntervalSeconds() {
        return readIntervalSeconds;
    }

    @Override
    public void start(float[] state, int device, double gProgrammedMicroSiemens, NoiseRandom rng) {
        int base = device * stateSize();
        double q = relativeAmplitude.at(gProgrammedMicroSiemens);
        if (!(q >= 0)) {
            throw new BadInputException("1/f noise: relative amplitude must be >= 0, got " + q + " at "
                    + gProgrammedMicroSiemens + " uS");
        }
        state[base] = (float) q;
        for (int k = 0; k < rho.length; k++) {
            state[base + 1 + k] = (float) rng.gaussian();
        }
    }

    @Override
    public double next(float[] state, int device, double gMicroSiemens, NoiseRandom rng) {
        int base = device * (1 + rho.length);
        double sum = 0;
        for (int k = 0; k < rho.length; k++) {
            int at = base + 1 + k;
            double x = rho[k] * state[at] + innovation[k] * rng.gaussian();
            state[at] = (float) x;
            sum += sqrtWeight[k] * x;
        }
        if (sqrtWhiteWeight > 0) {
            sum += sqrtWhiteWeight * rng.gaussian();
        }
        return gMicroSiemens + Math.abs(gMicroSiemens) * state[base] * sum;
    }

    /** |g| q(g_prog) sqrt(ln(fHigh/fLow)). */
    @Override
    public double stdDevMicroSiemens(double gProgrammedMicroSiemens, double gMicroSiemens) {
        return Math.abs(gMicroSiemens) * relativeAmplitude.at(gProgrammedMicroSiemens) * Math.sqrt(totalWeight);
    }

    @Override
    public double autocorrelation(int lag) {
        if (lag == 0) {
            return 1.0;
        }
        int m = Math.abs(lag);
        double s = 0;
        for (int k = 0; k < components; k++) {
            s += allWeight[k] * Math.pow(allRho[k], m);
        }
        return s / totalWeight;
    }

    /** Number of OU components K (including the ones merged into the white term). */
    public int components() {
        return components;
    }

    /** Components carried in the state (not merged into the white term). */
    public int correlatedComponents() {
        return rho.length;
    }

    public double fLowHz() {
        return fLowHz;
    }

    public double fHighHz() {
        return fHighHz;
    }
}
