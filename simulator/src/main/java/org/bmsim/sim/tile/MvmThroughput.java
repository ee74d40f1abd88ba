package org.bmsim.sim.tile;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.bmsim.common.BadInputException;
import org.bmsim.sim.nn.Parallel;

/**
 * The wall-clock measurement behind {@code bmsim bench mvm}: the {@link MvmWorkload} read again
 * and again for a time budget after a warm-up of a fifth of it. MAC/s counts rows x cols x B
 * multiply-accumulates per read. The JMH benchmark of the same workload is {@code bench/MvmBench}.
 */
public final class MvmThroughput {
    private MvmThroughput() {
    }

    /** The measured result. */
    public record Result(int rows, int cols, int batch, String mode, int threads, long calls, double seconds,
            double macsPerSecond) {
        public Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rows", rows);
            m.put("cols", cols);
            m.put("batch", batch);
            m.put("mode", mode);
            m.put("threads", threads);
            m.put("calls", calls);
            m.put("seconds", seconds);
            m.put("macs_per_second", macsPerSecond);
            m.put("kernel", MvmWorkload.Mode.parse(mode).kernel());
            return m;
        }

        public String summary() {
            return String.format(Locale.ROOT, "%dx%d batch %d %s on %d threads: %.3g MAC/s (%d calls in %.2f s)", rows,
                    cols, batch, mode, threads, macsPerSecond, calls, seconds);
        }
    }

    public static Result run(int rows, int cols, int batch, String mode, double seconds, int threads) {
        MvmWorkload.Mode m = MvmWorkload.Mode.parse(mode);
        if (!(seconds > 0) || seconds > 3600) {
            throw new BadInputException("--seconds must be in (0, 3600], got " + seconds);
        }
        MvmWorkload w = MvmWorkload.of(rows, cols, batch, 1);
        try (Parallel par = Parallel.of(threads)) {
            long warmEnd = System.nanoTime() + (long) (seconds * 0.2e9);
            for (int k = 0; k < 3 || System.nanoTime() < warmEnd; k++) {
                w.read(m, k, par);
            }
            long calls = 0;
            long t0 = System.nanoTime();
            long end = t0 + (long) (seconds * 1e9);
            long now;
            do {
                w.read(m, 1000 + calls, par);
                calls++;
                now = System.nanoTime();
            } while (now < end);
            double s = (now - t0) / 1e9;
            return new Result(rows, cols, batch, mode, threads, calls, s, (double) w.macsPerRead() * calls / s);
        }
    }
}
