package org.bmsim.calib.synth;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import org.apache.commons.math3.distribution.BinomialDistribution;
import org.bmsim.calib.data.Measurements;
import org.bmsim.calib.fit.CalibrationResult;
import org.bmsim.calib.fit.Calibrator;

/**
 * Parameter recovery: synthesize data from known parameters, calibrate it, and count in how many
 * seeded repetitions each true value lies inside its interval and the true read-noise family is
 * selected. Repetition i synthesizes with seed {@code seed + i} and bootstraps with seed
 * {@code seed + i}; every repetition is reproducible on its own and at any thread count.
 *
 * <p>The parameters checked (docs/calibration.md): per level the programming spread, the read-noise
 * scale, the drift exponent's mean and sd; the sigma_prog(G) polynomial at each level; the RTN
 * dwell times and step; the stuck fractions; the 1/f slope where the device has a 1/f law of its own
 * (from the spectrum series when there is one).
 */
public final class Recovery {
    private Recovery() {
    }

    /**
     * Coverage of one parameter: hits out of repetitions, the mean estimate and truth, the estimates' sd
     * over the repetitions and the intervals' mean width. Width against spread tells a missing interval's
     * cause: a 95% interval of an unbiased estimate is about 3.92 sd wide; narrower means the bootstrap
     * underestimates the spread, a bias of more than about 0.5 sd shows as a shifted mean.
     */
    public record Coverage(String name, double truth, int hits, int repetitions, double meanEstimate, double sdEstimate,
            double meanWidth) {
        /** (mean estimate - truth) / sd of the estimates. */
        public double biasInSd() {
            return sdEstimate > 0 ? (meanEstimate - truth) / sdEstimate : Double.NaN;
        }

        /** Mean interval width / (2 z_{0.975} sd of the estimates): 1 for intervals as wide as the spread asks. */
        public double widthOverSpread() {
            return sdEstimate > 0 ? meanWidth / (2 * 1.959964 * sdEstimate) : Double.NaN;
        }
    }

    /** The study's result. */
    public record Result(String device, int devices, int reads, int spectrumDevices, int spectrumReads, int repetitions,
            int familyHits, List<Coverage> coverage, double seconds) {
        /** Reads per repetition, both series. */
        public long readsTotal() {
            return (long) devices * reads + (long) spectrumDevices * spectrumReads;
        }

        public Map<String, Object> toMap(double confidence) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("device", device);
            m.put("devices", devices);
            m.put("reads_per_device", reads);
            if (spectrumDevices > 0) {
                m.put("spectrum_devices", spectrumDevices);
                m.put("spectrum_reads_per_device", spectrumReads);
            }
            m.put("reads_total", readsTotal());
            m.put("repetitions", repetitions);
            m.put("family_selected_correctly", familyHits);
            int worst = repetitions;
            List<Map<String, Object>> cs = new ArrayList<>();
            for (Coverage c : coverage) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("name", c.name());
                e.put("truth", c.truth());
                e.put("mean_estimate", c.meanEstimate());
                e.put("inside", c.hits());
                e.put("sd_estimate", c.sdEstimate());
                e.put("bias_in_sd", c.biasInSd());
                e.put("width_over_spread", c.widthOverSpread());
                cs.add(e);
                worst = Math.min(worst, c.hits());
            }
            m.put("fewest_inside", worst);
            BinomialDistribution b = new BinomialDistribution(null, repetitions, confidence);
            int bound = (int) Math.floor(0.9 * repetitions);
            double pBelow = b.cumulativeProbability(bound - 1);
            m.put("binomial_p_below_90pct_if_true_coverage_" + confidence, pBelow);
            // with many parameters some fall below 90% by chance even at exact coverage: the count to expect
            long hitsAll = 0;
            int below = 0;
            for (Coverage c : coverage) {
                hitsAll += c.hits();
                below += c.hits() < bound ? 1 : 0;
            }
            m.put("pooled_coverage", coverage.isEmpty() ? Double.NaN : (double) hitsAll / ((long) coverage.size() * repetitions));
            m.put("parameters_below_90pct", below);
            m.put("parameters_below_90pct_expected_if_exact", coverage.size() * pBelow);
            m.put("parameters", cs);
            m.put("seconds", seconds);
            return m;
        }
    }

    /** Runs {@code repetitions} synthesize-calibrate rounds. */
    public static Result run(SynthesisSpec spec, int repetitions, Calibrator.Options opt, IntConsumer progress) {
        return run(spec, null, repetitions, opt, progress);
    }

    /**
     * Seed offset of the spectrum series: repetition i synthesizes it with seed {@code seed + i +}
     * this, so that its devices' streams are not the retention series' (a device's stream is split
     * from the seed by its index).
     */
    public static final long SPECTRUM_SEED_OFFSET = 1L << 32;

    /**
     * Runs {@code repetitions} synthesize-calibrate rounds; with {@code spectrumSpec} (same device, a fast
     * protocol) every round also synthesizes that series and calibrates the two together
     * ({@link Calibrator#calibrate(Measurements, Measurements, Calibrator.Options)}), so that
     * {@code flicker.slope} comes from it.
     */
    public static Result run(SynthesisSpec spec, SynthesisSpec spectrumSpec, int repetitions, Calibrator.Options opt,
            IntConsumer progress) {
        if (spectrumSpec != null && spectrumSpec.device() != spec.device()) {
            throw new IllegalArgumentException("the spectrum series must be of the same device");
        }
        long t0 = System.nanoTime();
        Map<String, int[]> hits = new LinkedHashMap<>();
        Map<String, double[]> sums = new LinkedHashMap<>();
        Map<String, double[]> squares = new LinkedHashMap<>();
        Map<String, double[]> widths = new LinkedHashMap<>();
        Map<String, Double> truths = new LinkedHashMap<>();
        int fam = 0;
        for (int i = 0; i < repetitions; i++) {
            SynthesisSpec s = spec.withSeed(spec.seed() + i);
            Synthesizer.Plan p = Synthesizer.plan(s);
            Measurements m = Synthesizer.generate(p, opt.threads());
            Synthesizer.Truth t = p.truth();
            Calibrator.Options o = new Calibrator.Options(opt.bootstrap(), opt.confidence(), spec.seed() + i, opt.threads(),
                    opt.maxDegree(), new double[] {t.gMinUs(), t.gMaxUs()});
            Measurements sm = spectrumSpec == null ? null
                    : Synthesizer.generate(Synthesizer.plan(spectrumSpec.withSeed(spectrumSpec.seed() + i + SPECTRUM_SEED_OFFSET)),
                            opt.threads());
            CalibrationResult r = Calibrator.calibrate(m, sm, o);
            if (r.family().label().equals(t.readFamily())) {
                fam++;
            }
            Map<String, Double> check = new LinkedHashMap<>();
            for (int k = 0; k < t.targetsUs().length; k++) {
                check.put("level" + k + ".sigma_prog", t.sigmaProgUs()[k]);
                check.put("sigma_prog(level" + k + ")", t.sigmaProgUs()[k]);
                check.put("level" + k + ".read_scale", t.readScaleUs()[k]);
                check.put("level" + k + ".nu_mean", t.nuMean()[k]);
                check.put("level" + k + ".nu_sd", t.nuSd()[k]);
            }
            check.put("rtn.tau0", t.rtnTau0S());
            check.put("rtn.tau1", t.rtnTau1S());
            check.put("rtn.amplitude", t.rtnAmplitudeUs());
            check.put("stuck.p_min", t.stuckMin());
            check.put("stuck.p_max", t.stuckMax());
            if (s.device().flickerNoise(s.startTimeS(), s.readIntervalS(), 1).isPresent()) {
                check.put("flicker.slope", t.flickerSlope());
            }
            for (Map.Entry<String, Double> e : check.entrySet()) {
                CalibrationResult.Estimate est = r.get(e.getKey());
                hits.computeIfAbsent(e.getKey(), k -> new int[1])[0] += est.covers(e.getValue()) ? 1 : 0;
                sums.computeIfAbsent(e.getKey(), k -> new double[1])[0] += est.value();
                squares.computeIfAbsent(e.getKey(), k -> new double[1])[0] += est.value() * est.value();
                widths.computeIfAbsent(e.getKey(), k -> new double[1])[0] += est.hi() - est.lo();
                truths.put(e.getKey(), e.getValue());
            }
            if (progress != null) {
                progress.accept(i + 1);
            }
        }
        List<Coverage> cov = new ArrayList<>();
        for (String k : hits.keySet()) {
            double mean = sums.get(k)[0] / repetitions;
            double var = repetitions > 1 ? (squares.get(k)[0] - repetitions * mean * mean) / (repetitions - 1) : 0;
            cov.add(new Coverage(k, truths.get(k), hits.get(k)[0], repetitions, mean, Math.sqrt(Math.max(var, 0)),
                    widths.get(k)[0] / repetitions));
        }
        return new Result(spec.device().name(), spec.devices(), spec.reads(), spectrumSpec == null ? 0 : spectrumSpec.devices(),
                spectrumSpec == null ? 0 : spectrumSpec.reads(), repetitions, fam, cov, (System.nanoTime() - t0) / 1e9);
    }
}
