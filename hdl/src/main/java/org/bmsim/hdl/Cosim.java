package org.bmsim.hdl;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.bmsim.common.BadInputException;
import org.bmsim.sim.datapath.Datapath;
import org.bmsim.sim.datapath.DatapathConfig;
import org.bmsim.sim.datapath.GoldenDatapath;
import org.bmsim.sim.datapath.Stimulus;
import org.bmsim.sim.datapath.Trace;

/**
 * Lockstep co-simulation of the Verilated RTL against the Java golden model (docs/rtl.md).
 *
 * <p>Per configuration: both models are reset; cycle 0 loads the run's seed (so the sampler streams
 * depend on it); then random stimulus is applied in batches of {@link #BATCH} cycles, identical for
 * both: in_valid and out_ready drawn per cycle with probabilities that are themselves redrawn per
 * batch from {1.0, 0.9, 0.6, 0.3} (full throughput stretches and heavy stalls on both sides), random
 * codes over their full ranges, a new accumulation with probability 1/8, and a reseed (seed_load with a
 * random seed) with probability 1/65536 per cycle. Every cycle compares in_ready and out_valid;
 * cycles with out_valid compare w, acc, eps and word on every lane. A configuration stops at the end
 * of the batch where its first mismatch occurred (later cycles would only repeat the divergence).
 */
public final class Cosim {
    public static final int BATCH = 4096;
    private static final double[] PROBABILITIES = {1.0, 0.9, 0.6, 0.3};

    private Cosim() {
    }

    /** What the caller asks for. {@code vcd} may be null. */
    public record Options(List<DatapathConfig> configs, long cyclesPerConfig, long seed, Path vcd, int threads) {
        public Options {
            if (threads < 1 || threads > 64) {
                throw new BadInputException("--threads must be in 1..64, got " + threads);
            }
            if (configs.isEmpty()) {
                throw new BadInputException("no configuration to co-simulate");
            }
            if (cyclesPerConfig < 1) {
                throw new BadInputException("--cycles must be >= 1, got " + cyclesPerConfig);
            }
        }
    }

    /** One configuration's outcome. {@code mismatches} counts cycles with any differing output. */
    public record ConfigResult(String config, int lanes, long cycles, long mismatches, long beatsIn, long beatsOut,
            double seconds, double goldenSeconds, double rtlSeconds) {
    }

    /** The first mismatch: where, and what went in and came out. */
    public record Mismatch(String config, long cycle, String port, int lane, long expected, long actual,
            Map<String, Object> inputs, Map<String, Object> expectedOutputs, Map<String, Object> actualOutputs,
            Map<String, Object> sourceBeat) {
        /** The JSON form (snake_case keys, like the rest of the report). */
        public Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("config", config);
            m.put("cycle", cycle);
            m.put("port", port);
            m.put("lane", lane);
            m.put("expected", expected);
            m.put("actual", actual);
            m.put("inputs", inputs);
            m.put("expected_outputs", expectedOutputs);
            m.put("actual_outputs", actualOutputs);
            m.put("source_beat", sourceBeat);
            return m;
        }
    }

    /** The whole run; {@code firstMismatch} is null when there was none. */
    public record Report(long seed, int latencyCycles, List<ConfigResult> configs, long cycles, long laneCycles,
            long mismatches, double seconds, Mismatch firstMismatch, String vcd) {
        public double cyclesPerSecond() {
            return cycles / seconds;
        }

        public double laneCyclesPerSecond() {
            return laneCycles / seconds;
        }

        /** The JSON document {@code bmsim cosim --json} writes. */
        public Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("mismatches", mismatches);
            m.put("cycles", cycles);
            m.put("configs", configs.size());
            m.put("cycles_per_second", Math.round(cyclesPerSecond()));
            m.put("lane_cycles", laneCycles);
            m.put("lane_cycles_per_second", Math.round(laneCyclesPerSecond()));
            m.put("wall_seconds", Math.round(seconds * 1000) / 1000.0);
            m.put("seed", seed);
            m.put("latency_cycles", latencyCycles);
            m.put("first_mismatch", firstMismatch == null ? null : firstMismatch.json());
            m.put("vcd", vcd);
            List<Map<String, Object>> per = new ArrayList<>();
            for (ConfigResult r : configs) {
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("config", r.config());
                c.put("lanes", r.lanes());
                c.put("cycles", r.cycles());
                c.put("mismatches", r.mismatches());
                c.put("beats_in", r.beatsIn());
                c.put("beats_out", r.beatsOut());
                c.put("cycles_per_second", Math.round(r.cycles() / r.seconds()));
                c.put("golden_seconds", Math.round(r.goldenSeconds() * 1000) / 1000.0);
                c.put("rtl_seconds", Math.round(r.rtlSeconds() * 1000) / 1000.0);
                per.add(c);
            }
            m.put("per_config", per);
            return m;
        }
    }

    /** Runs the co-simulation; progress lines go to {@code log}. */
    public static Report run(Options o, Consumer<String> log) {
        return run(o, log, GoldenDatapath::new);
    }

    /**
     * As {@link #run(Options, Consumer)} with another reference model per configuration: the tests
     * use it to show that a wrong model is caught.
     */
    static Report run(Options o, Consumer<String> log,
            java.util.function.Function<DatapathConfig, GoldenDatapath> reference) {
        RtlLibrary.load().ifPresent(reason -> {
            throw new BadInputException(reason);
        });
        for (DatapathConfig c : o.configs()) {
            if (!RtlLibrary.models().contains(c.id())) {
                throw new BadInputException("the RTL library has no model for configuration " + c.id());
            }
        }
        long t0 = System.nanoTime();
        int nc = o.configs().size();
        // configurations are independent: run them on a few threads, report in order
        List<java.util.concurrent.Future<Run>> futures = new ArrayList<>();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(
                Math.min(o.threads(), nc));
        try {
            for (int i = 0; i < nc; i++) {
                final int idx = i;
                futures.add(pool.submit(() -> {
                    DatapathConfig cfg = o.configs().get(idx);
                    Run r = runConfig(cfg, o.cyclesPerConfig(), o.seed(), idx, null, -1, reference);
                    log.accept(String.format(java.util.Locale.ROOT,
                            "cosim %-34s %,d cycles, %d mismatches, %.0f cycles/s (golden %.1f s, rtl %.1f s)",
                            cfg.id(), r.result.cycles(), r.result.mismatches(), r.result.cycles() / r.result.seconds(),
                            r.result.goldenSeconds(), r.result.rtlSeconds()));
                    return r;
                }));
            }
        } finally {
            pool.shutdown();
        }
        List<ConfigResult> results = new ArrayList<>();
        Mismatch first = null;
        int firstIndex = -1;
        long cycles = 0;
        long laneCycles = 0;
        long mismatches = 0;
        for (int i = 0; i < nc; i++) {
            Run r = join(futures.get(i));
            results.add(r.result);
            cycles += r.result.cycles();
            laneCycles += r.result.cycles() * r.result.lanes();
            mismatches += r.result.mismatches();
            if (first == null && r.first != null) {
                first = r.first;
                firstIndex = i;
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        String vcd = null;
        if (o.vcd() != null) {
            // deterministic stimulus: rerun one configuration with the waveform on, around the first
            // mismatch, or over its first cycles when there was none
            int idx = first != null ? firstIndex : 0;
            long upTo = first != null ? first.cycle() + 1 : Math.min(o.cyclesPerConfig(), 2L * BATCH);
            runConfig(o.configs().get(idx), upTo, o.seed(), idx, o.vcd(), first != null ? first.cycle() : 0, reference);
            vcd = o.vcd().toString();
        }
        return new Report(o.seed(), Datapath.LATENCY_CYCLES, results, cycles, laneCycles, mismatches, seconds, first,
                vcd);
    }

    private record Run(ConfigResult result, Mismatch first) {
    }

    private static Run join(java.util.concurrent.Future<Run> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * One configuration. With {@code vcd}, the RTL is traced from the batch holding cycle
     * {@code traceAround - 2 BATCH} on (batch granularity) and the run stops after {@code cycles}.
     */
    private static Run runConfig(DatapathConfig cfg, long cycles, long seed, int index, Path vcd, long traceAround,
            java.util.function.Function<DatapathConfig, GoldenDatapath> reference) {
        int lanes = cfg.lanes();
        SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index);
        Stimulus in = Stimulus.allocate(BATCH, lanes);
        Trace exp = Trace.allocate(BATCH, lanes);
        Trace act = Trace.allocate(BATCH, lanes);
        long[] src = new long[BATCH];
        // inputs of the last two batches, to show the beat behind a wrong output
        Stimulus prevIn = Stimulus.allocate(BATCH, lanes);
        long mismatches = 0;
        Mismatch first = null;
        long beatsIn = 0;
        long beatsOut = 0;
        long t0 = System.nanoTime();
        long goldenNs = 0;
        long rtlNs = 0;
        long done = 0;
        boolean tracing = false;
        try (GoldenDatapath golden = reference.apply(cfg); RtlDatapath rtl = RtlDatapath.open(cfg)) {
            golden.reset();
            rtl.reset();
            while (done < cycles && first == null) {
                int n = (int) Math.min(BATCH, cycles - done);
                Stimulus batch = n == BATCH ? in : new Stimulus(n, lanes, in.ctrl(), in.seed(), in.mu(), in.sigma(),
                        in.x());
                double pValid = PROBABILITIES[rnd.nextInt(PROBABILITIES.length)];
                double pReady = PROBABILITIES[rnd.nextInt(PROBABILITIES.length)];
                batch.randomize(cfg, rnd, pValid, pReady);
                for (int c = 0; c < n; c++) {
                    if ((done == 0 && c == 0) || rnd.nextInt(65536) == 0) {
                        batch.ctrl()[c] |= Stimulus.SEED_LOAD;
                        batch.seed()[c] = done == 0 && c == 0 ? seed : rnd.nextLong();
                    }
                }
                if (vcd != null && !tracing && done + n > traceAround - 2L * BATCH) {
                    rtl.traceTo(vcd);
                    tracing = true;
                }
                long g0 = System.nanoTime();
                golden.run(batch, exp, src);
                long g1 = System.nanoTime();
                rtl.run(batch, act);
                goldenNs += g1 - g0;
                rtlNs += System.nanoTime() - g1;
                int[] ef = exp.flags();
                int[] af = act.flags();
                int[] ctrl = batch.ctrl();
                for (int c = 0; c < n; c++) {
                    int f = ef[c];
                    if ((ctrl[c] & Stimulus.IN_VALID) != 0 && (f & Trace.IN_READY) != 0) {
                        beatsIn++;
                    }
                    boolean bad = f != af[c];
                    if ((f & Trace.OUT_VALID) != 0) {
                        if ((ctrl[c] & Stimulus.OUT_READY) != 0) {
                            beatsOut++;
                        }
                        int base = c * lanes;
                        for (int l = 0; l < lanes && !bad; l++) {
                            int i = base + l;
                            bad = exp.w()[i] != act.w()[i] || exp.acc()[i] != act.acc()[i]
                                    || exp.eps()[i] != act.eps()[i] || exp.word()[i] != act.word()[i];
                        }
                    }
                    if (bad) {
                        mismatches++;
                        if (first == null) {
                            first = describe(cfg, done, c, batch, prevIn, exp, act, src[c]);
                        }
                    }
                }
                // keep this batch's inputs for the next one's reports
                System.arraycopy(batch.ctrl(), 0, prevIn.ctrl(), 0, n);
                System.arraycopy(batch.seed(), 0, prevIn.seed(), 0, n);
                System.arraycopy(batch.mu(), 0, prevIn.mu(), 0, n * lanes);
                System.arraycopy(batch.sigma(), 0, prevIn.sigma(), 0, n * lanes);
                System.arraycopy(batch.x(), 0, prevIn.x(), 0, n * lanes);
                done += n;
            }
            if (tracing) {
                rtl.traceClose();
            }
        }
        double s = (System.nanoTime() - t0) / 1e9;
        return new Run(new ConfigResult(cfg.id(), lanes, done, mismatches, beatsIn, beatsOut, s, goldenNs / 1e9,
                rtlNs / 1e9), first);
    }

    private static Mismatch describe(DatapathConfig cfg, long batchStart, int c, Stimulus in, Stimulus prevIn,
            Trace exp, Trace act, long srcCycle) {
        long cycle = batchStart + c;
        String port = null;
        int lane = -1;
        long e = 0;
        long a = 0;
        if ((exp.flags()[c] & Trace.IN_READY) != (act.flags()[c] & Trace.IN_READY)) {
            port = "in_ready";
            e = exp.flags()[c] & 1;
            a = act.flags()[c] & 1;
        } else if ((exp.flags()[c] & Trace.OUT_VALID) != (act.flags()[c] & Trace.OUT_VALID)) {
            port = "out_valid";
            e = (exp.flags()[c] >> 1) & 1;
            a = (act.flags()[c] >> 1) & 1;
        } else {
            int base = c * cfg.lanes();
            String[] names = {"w", "acc", "eps", "word"};
            int[][] ex = {exp.w(), exp.acc(), exp.eps(), exp.word()};
            int[][] ac = {act.w(), act.acc(), act.eps(), act.word()};
            outer:
            for (int l = 0; l < cfg.lanes(); l++) {
                for (int k = 0; k < names.length; k++) {
                    if (ex[k][base + l] != ac[k][base + l]) {
                        port = names[k];
                        lane = l;
                        e = ex[k][base + l];
                        a = ac[k][base + l];
                        break outer;
                    }
                }
            }
        }
        Map<String, Object> source = null;
        if (srcCycle >= 0) {
            long rel = srcCycle - batchStart;
            if (rel >= 0) {
                source = inputs(in, (int) rel, cfg.lanes(), srcCycle);
            } else if (rel >= -BATCH) {
                source = inputs(prevIn, (int) (rel + BATCH), cfg.lanes(), srcCycle);
            }
        }
        return new Mismatch(cfg.id(), cycle, port, lane, e, a, inputs(in, c, cfg.lanes(), cycle),
                outputs(exp, c, cfg.lanes()), outputs(act, c, cfg.lanes()), source);
    }

    private static Map<String, Object> inputs(Stimulus in, int c, int lanes, long cycle) {
        Map<String, Object> m = new LinkedHashMap<>();
        int k = in.ctrl()[c];
        m.put("cycle", cycle);
        m.put("in_valid", (k & Stimulus.IN_VALID) != 0);
        m.put("in_first", (k & Stimulus.IN_FIRST) != 0);
        m.put("out_ready", (k & Stimulus.OUT_READY) != 0);
        m.put("seed_load", (k & Stimulus.SEED_LOAD) != 0);
        m.put("mu", slice(in.mu(), c, lanes));
        m.put("sigma", slice(in.sigma(), c, lanes));
        m.put("x", slice(in.x(), c, lanes));
        return m;
    }

    private static Map<String, Object> outputs(Trace t, int c, int lanes) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("in_ready", t.inReady(c));
        m.put("out_valid", t.outValid(c));
        m.put("w", slice(t.w(), c, lanes));
        m.put("acc", slice(t.acc(), c, lanes));
        m.put("eps", slice(t.eps(), c, lanes));
        int[] words = slice(t.word(), c, lanes);
        List<String> hex = new ArrayList<>();
        for (int w : words) {
            hex.add(String.format("%08x", w));
        }
        m.put("word", hex);
        return m;
    }

    private static int[] slice(int[] a, int c, int lanes) {
        int[] r = new int[lanes];
        System.arraycopy(a, c * lanes, r, 0, lanes);
        return r;
    }
}
