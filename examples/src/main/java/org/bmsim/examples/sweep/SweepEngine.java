package org.bmsim.examples.sweep;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The local sweep engine: the points of a sweep (or of one shard) in parallel on local threads,
 * each finished point appended durably to the output folder ({@link SweepOutput}); points already
 * in the folder are skipped, so the same command after a crash (even {@code kill -9}) finishes the
 * sweep without losing or repeating a point. Each point's seed is a function of the point alone
 * ({@link SweepSpec#point}), so results do not depend on the thread count or the order of completion.
 */
public final class SweepEngine {
    private SweepEngine() {
    }

    /** What a run did. */
    public record Summary(int pointsInShard, int alreadyDone, int ran, double wallSeconds, double pointSecondsSum,
            Map<String, Object> caches) {
        /** Wall time per point run in this session. */
        public double wallSecondsPerPoint() {
            return ran == 0 ? 0 : wallSeconds / ran;
        }
    }

    /**
     * Runs every point of {@code shard} not yet in {@code out}. {@code threads} points run at once,
     * one replay thread each (more when fewer points than threads remain); {@code progressBar} shows a
     * bar with ETA on {@code log}, otherwise a log line per point.
     */
    public static Summary run(SweepSpec spec, String specText, SweepContext ctx, Path out, int threads, Shard shard,
            boolean progressBar, PrintStream log) {
        long total = spec.size();
        Map<String, Object> session = new LinkedHashMap<>();
        session.put("engine", "local");
        session.put("threads", threads);
        session.put("started", java.time.Instant.now().toString());
        long t0 = System.nanoTime();
        try (SweepOutput o = SweepOutput.open(out, spec, specText, shard, session)) {
            // Indices only: a point (with its values) is built again when it runs.
            List<Integer> todo = new ArrayList<>();
            int inShard = 0;
            for (int i = 0; i < total; i++) {
                if (!shard.contains(i)) {
                    continue;
                }
                inShard++;
                if (!o.isDone(spec.point(i).key())) {
                    todo.add(i);
                }
            }
            int already = inShard - todo.size();
            log.printf(Locale.ROOT, "sweep %s: %d points%s, %d already done, %d to run on %d thread%s -> %s%n", spec.name(),
                    inShard, shard.n() == 1 ? "" : " in shard " + shard.id() + " of " + total, already, todo.size(),
                    threads, threads == 1 ? "" : "s", out);
            int inner = Math.max(1, threads / Math.max(1, Math.min(threads, todo.size())));
            double pointSeconds = 0;
            ProgressBar bar = progressBar && !todo.isEmpty() ? new ProgressBarBuilder().setTaskName("sweep")
                    .setInitialMax(inShard).setStyle(ProgressBarStyle.ASCII).setConsumer(new ConsoleProgressBarConsumer(log))
                    .setUpdateIntervalMillis(500).showSpeed().build() : null;
            if (bar != null) {
                bar.stepTo(already);
            }
            ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, todo.size())), r -> {
                Thread t = new Thread(r, "sweep-point");
                t.setDaemon(true);
                return t;
            });
            try {
                ExecutorCompletionService<SweepRecord> cs = new ExecutorCompletionService<>(pool);
                for (int index : todo) {
                    cs.submit(() -> {
                        SweepRecord r = ctx.run(spec, spec.point(index), inner).record();
                        o.append(r);
                        return r;
                    });
                }
                for (int n = 1; n <= todo.size(); n++) {
                    Future<SweepRecord> f = cs.take();
                    SweepRecord r;
                    try {
                        r = f.get();
                    } catch (ExecutionException e) {
                        pool.shutdownNow();
                        if (e.getCause() instanceof RuntimeException re) {
                            throw re;
                        }
                        throw new IllegalStateException(e.getCause());
                    }
                    pointSeconds += r.seconds();
                    if (bar != null) {
                        bar.step();
                    } else {
                        double el = (System.nanoTime() - t0) / 1e9;
                        double eta = el / n * (todo.size() - n);
                        log.printf(Locale.ROOT, "[%d/%d] %s: accuracy %s, uncertainty error %s %%, %s pJ/inference "
                                + "(%.1f s); elapsed %s, ETA %s%n", already + n, inShard, r.key(), fmt(r.metrics().get("accuracy")),
                                fmt(r.metrics().get("uncertainty_error_vs_model_mean_pct")),
                                fmt(r.metrics().get("energy_pj_per_inference")), r.seconds(), dur(el), dur(eta));
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } finally {
                pool.shutdownNow();
                if (bar != null) {
                    bar.close();
                }
            }
            double wall = (System.nanoTime() - t0) / 1e9;
            Summary s = new Summary(inShard, already, todo.size(), wall, pointSeconds, ctx.cacheStats());
            Map<String, Object> sum = new LinkedHashMap<>();
            sum.put("points_in_shard", inShard);
            sum.put("already_done_at_start", already);
            sum.put("ran_this_session", todo.size());
            sum.put("wall_seconds_this_session", wall);
            sum.put("wall_seconds_per_point", s.wallSecondsPerPoint());
            sum.put("point_seconds_sum", pointSeconds);
            sum.put("threads", threads);
            sum.put("caches", ctx.cacheStats());
            o.complete(sum);
            return s;
        }
    }

    static String fmt(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.4g", v);
    }

    static String dur(double seconds) {
        Duration d = Duration.ofMillis((long) (seconds * 1000));
        return d.toHours() > 0 ? String.format(Locale.ROOT, "%dh%02dm", d.toHours(), d.toMinutesPart())
                : String.format(Locale.ROOT, "%dm%02ds", d.toMinutes(), d.toSecondsPart());
    }
}
