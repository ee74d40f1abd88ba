package org.bmsim.sim.nn;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.bmsim.common.BadInputException;

/**
 * A fixed set of worker threads that run numbered tasks. Results are reproducible across thread
 * counts by construction of the callers: a task's output depends only on its number (its data,
 * its random stream, its output slot), never on which worker ran it or when; a worker index is
 * passed only so that a task can borrow that worker's scratch memory.
 *
 * <p>The calling thread is worker 0 and takes tasks too; the other {@code threads - 1} workers wait
 * for a call by spinning for {@link #SPIN_NANOS}, then parking. Handing a call to a parked thread
 * costs tens of microseconds on a virtual machine, as much as a whole tile read of one input vector,
 * so back-to-back calls (a tile read per image, a GEMM per layer) find the workers awake. A call
 * made from inside a task of the same pool runs its tasks on the calling thread, with that task's
 * worker index.
 */
public final class Parallel implements AutoCloseable {
    /** How long an idle worker spins before it parks. */
    public static final long SPIN_NANOS = 100_000;

    /** Body of a task. */
    @FunctionalInterface
    public interface Task {
        void run(int task, int worker);
    }

    /** One call of {@link #forEach}: its tasks, the next one to take, the workers still in it. */
    private static final class Job {
        final int count;
        final Task body;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger active;
        volatile Throwable error;

        Job(int count, Task body, int helpers) {
            this.count = count;
            this.body = body;
            this.active = new AtomicInteger(helpers);
        }

        void work(int worker) {
            try {
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    body.run(i, worker);
                }
            } catch (Throwable t) {
                if (error == null) {
                    error = t;
                }
                next.set(count); // the others stop taking tasks
            }
        }
    }

    private final int threads;
    private final Thread[] helpers;
    private volatile Thread caller;
    private volatile Job job;
    private volatile long epoch;
    private volatile boolean closed;
    private final AtomicInteger busy = new AtomicInteger();
    /** The worker index of the thread running a task of this pool (-1 elsewhere). */
    private final ThreadLocal<int[]> current = ThreadLocal.withInitial(() -> new int[] {-1});

    private Parallel(int threads) {
        this.threads = threads;
        this.helpers = new Thread[threads - 1];
        for (int w = 1; w < threads; w++) {
            int worker = w;
            Thread t = new Thread(() -> helperLoop(worker), "bmsim-worker-" + w);
            t.setDaemon(true);
            helpers[w - 1] = t;
            t.start();
        }
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

    private void helperLoop(int worker) {
        current.get()[0] = worker;
        long seen = 0;
        while (!closed) {
            long t0 = System.nanoTime();
            while (epoch == seen && !closed) {
                if (System.nanoTime() - t0 < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
            if (closed) {
                return;
            }
            seen = epoch;
            Job j = job;
            if (j != null) {
                j.work(worker);
                if (j.active.decrementAndGet() == 0) {
                    LockSupport.unpark(caller);
                }
            }
        }
    }

    /** Runs tasks 0..count-1 and returns when all are done; a task's exception is rethrown. */
    public void forEach(int count, Task body) {
        if (helpers.length == 0 || count <= 1 || !busy.compareAndSet(0, 1)) {
            // one thread, one task, or a call from inside a running call: here, in order, with the
            // calling task's worker index (its scratch is free: that task is waiting for this call)
            int w = Math.max(0, current.get()[0]);
            for (int i = 0; i < count; i++) {
                body.run(i, w);
            }
            return;
        }
        int[] me = current.get();
        int before = me[0];
        me[0] = 0;
        try {
            Job j = new Job(count, body, helpers.length);
            caller = Thread.currentThread();
            job = j;
            epoch = epoch + 1;
            for (Thread h : helpers) {
                LockSupport.unpark(h);
            }
            j.work(0);
            long t0 = System.nanoTime();
            while (j.active.get() > 0) {
                if (System.nanoTime() - t0 < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.parkNanos(this, 1_000_000);
                }
            }
            job = null;
            Throwable e = j.error;
            if (e instanceof RuntimeException re) {
                throw re;
            }
            if (e instanceof Error er) {
                throw er;
            }
            if (e != null) {
                throw new IllegalStateException(e);
            }
        } finally {
            me[0] = before;
            busy.set(0);
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
        closed = true;
        for (Thread h : helpers) {
            LockSupport.unpark(h);
        }
    }
}
