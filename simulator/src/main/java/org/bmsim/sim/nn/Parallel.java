package org.bmsim.sim.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.bmsim.common.BadInputException;

/**
 * A fixed set of worker threads that run numbered tasks. Results are reproducible across thread
 * counts by construction of the callers: a task's output depends only on its number (its data,
 * its random stream, its output slot), never on which worker ran it or when; a worker index is
 * passed only so that a task can borrow that worker's scratch memory.
 */
public final class Parallel implements AutoCloseable {
    /** Body of a task. */
    @FunctionalInterface
    public interface Task {
        void run(int task, int worker);
    }

    private final int threads;
    private final ExecutorService pool;

    private Parallel(int threads) {
        this.threads = threads;
        this.pool = threads == 1 ? null : Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "bmsim-worker");
            t.setDaemon(true);
            return t;
        });
    }

    /** A pool of {@code threads} workers (1 runs every task on the calling thread). */
    public static Parallel of(int threads) {
        return new Parallel(checkThreads(threads));
    }

    /** Returns {@code threads} if it is a valid thread count (1..1024), else throws bad input. */
    public static int checkThreads(int threads) {
        if (threads < 1 || threads > 1024) {
            throw new BadInputException("threads must be 1..1024, got " + threads);
        }
        return threads;
    }

    /** The number of available processors, the default thread count. */
    public static int defaultThreads() {
        return Runtime.getRuntime().availableProcessors();
    }

    public int threads() {
        return threads;
    }

    /** Runs tasks 0..count-1 and returns when all are done; a task's exception is rethrown. */
    public void forEach(int count, Task body) {
        if (pool == null || count <= 1) {
            for (int i = 0; i < count; i++) {
                body.run(i, 0);
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> fs = new ArrayList<>();
        int workers = Math.min(threads, count);
        for (int w = 0; w < workers; w++) {
            int worker = w;
            fs.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    body.run(i, worker);
                }
            }));
        }
        RuntimeException first = null;
        for (Future<?> f : fs) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (first == null) {
                    first = e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** Runs {@code body(from, to)} over [0, n) split into fixed blocks of {@code block} (independent of threads). */
    public void forRanges(int n, int block, RangeTask body) {
        int blocks = (n + block - 1) / block;
        forEach(blocks, (b, w) -> body.run(b * block, Math.min(n, (b + 1) * block)));
    }

    /** Body of a range task. */
    @FunctionalInterface
    public interface RangeTask {
        void run(int from, int to);
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
