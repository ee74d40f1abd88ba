package org.bmsim.common.fuzz;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.bmsim.common.BadInputException;

/**
 * A seeded mutation fuzzer of the parsers a user's file reaches, and the oracle that judges each
 * execution (docs/reliability.md). An execution is a bug when the parser
 * <ul>
 *   <li>throws anything but {@link BadInputException} (an internal error: exit code 1 in the CLI),
 *       an {@link OutOfMemoryError} or a {@link StackOverflowError} included;</li>
 *   <li>throws {@link BadInputException} with a message that is empty, longer than
 *       {@link #MAX_MESSAGE} characters or not one line;</li>
 *   <li>uses more than {@link #TIMEOUT_MS} of CPU time, or is blocked for {@link #BLOCKED_MS}
 *       (a hang; CPU time, so that a busy machine does not turn slow runs into hangs);</li>
 *   <li>allocates more than {@link #ALLOCATION_FACTOR} times the file's size plus
 *       {@link #ALLOCATION_SLACK} bytes: memory sized by an untrusted length field instead of by
 *       the data that is there.</li>
 * </ul>
 * Each input runs on a worker thread whose allocated bytes are read from the JVM
 * ({@code com.sun.management.ThreadMXBean}) before and after, under a timeout. A hung worker is
 * abandoned and replaced. Guidance without instrumentation: an input whose outcome (accepted, or
 * the error message with its numbers blanked) has not been seen yet joins the working corpus, so
 * the search keeps inputs that reached a new check of the parser.
 */
public final class Fuzzer {
    /** Most CPU time of one input, in milliseconds. */
    public static final long TIMEOUT_MS = 1000;
    /** A run that uses no CPU for this long is blocked (reading a pipe, waiting on a lock): a hang. */
    public static final long BLOCKED_MS = 5000;
    static final long POLL_MS = 50;
    private static final java.lang.management.ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** Longest one-line message. */
    public static final int MAX_MESSAGE = 600;
    /** Allowed allocation per byte of input (decoding F16 to float doubles it; text parsers make tokens). */
    public static final long ALLOCATION_FACTOR = 64;
    /** Allowed allocation independent of the input (parser buffers, exception objects). */
    public static final long ALLOCATION_SLACK = 8L << 20;
    /** Longest warm-up (every seed once) before the judged runs. */
    static final long WARM_UP_MS = 10_000;
    /** Working corpus bound. */
    static final int MAX_CORPUS = 4096;

    private final FuzzTarget target;
    private ExecutorService worker;

    private Fuzzer(FuzzTarget target, List<byte[]> warmUp) {
        this.target = target;
        this.worker = newWorker();
        // warm-up, unjudged: the first run of a parser loads and initialises its classes (an input
        // that hangs is judged, as a hang, when it runs under the oracle)
        Future<?> warm = worker.submit(() -> {
            for (byte[] b : warmUp) {
                try {
                    target.parser().parse(b);
                } catch (Throwable ignored) {
                    // judged later
                }
            }
        });
        try {
            warm.get(WARM_UP_MS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            warm.cancel(true);
            worker.shutdownNow();
            worker = newWorker();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** What one execution did. */
    public record Outcome(Kind kind, String detail) {
        /** True when the oracle calls it a bug. */
        public boolean bug() {
            return kind != Kind.ACCEPTED && kind != Kind.REJECTED;
        }
    }

    /** Outcomes of an execution. */
    public enum Kind {
        /** Parsed without error. */
        ACCEPTED,
        /** A one-line BadInputException. */
        REJECTED,
        /** Another exception or error. */
        CRASH,
        /** A BadInputException whose message is not one short line. */
        BAD_MESSAGE,
        /** Ran past the timeout. */
        HANG,
        /** Allocated more than the bound. */
        ALLOCATION
    }

    /** A bug: the input and what happened. */
    public record Finding(Outcome outcome, byte[] input) {
    }

    /** Totals of a run. */
    public record Report(String target, long executions, long accepted, long rejected, int corpus, double seconds,
            List<Finding> findings) {
        public double executionsPerSecond() {
            return seconds > 0 ? executions / seconds : 0;
        }
    }

    private static ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "bmsim-fuzz-worker");
            t.setDaemon(true);
            return t;
        });
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    /** Runs one input of {@code target} under the oracle (a fresh worker thread). */
    public static Outcome check(FuzzTarget target, byte[] input) {
        Fuzzer f = new Fuzzer(target, List.of(input));
        try {
            return f.execute(input);
        } finally {
            f.worker.shutdownNow();
        }
    }

    private Outcome execute(byte[] input) {
        Outcome o = attempt(input);
        // a hang is confirmed by a second run on a fresh thread: one slow run can be a pause of a
        // shared machine, a parser that loops does it again
        return o.kind() == Kind.HANG ? attempt(input) : o;
    }

    private Outcome attempt(byte[] input) {
        long[] cpuStart = {-1, -1}; // thread id, its CPU time at the start of this input
        Future<Outcome> fut = worker.submit(() -> {
            long id = Thread.currentThread().getId();
            synchronized (cpuStart) {
                cpuStart[0] = id;
                cpuStart[1] = THREADS.getThreadCpuTime(id);
            }
            Outcome first = judged(input);
            // over the bound: run again, as the first run of a parser also pays for loading and
            // initialising its classes on this thread; a parser's own allocations repeat
            return first.kind() == Kind.ALLOCATION ? judged(input) : first;
        });
        long wallStart = System.nanoTime();
        try {
            while (true) {
                try {
                    return fut.get(POLL_MS, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    long cpuMs;
                    synchronized (cpuStart) {
                        cpuMs = cpuStart[0] < 0 ? 0 : (THREADS.getThreadCpuTime(cpuStart[0]) - cpuStart[1]) / 1_000_000;
                    }
                    long wallMs = (System.nanoTime() - wallStart) / 1_000_000;
                    // CPU time, so that a machine shared with other work does not make slow runs
                    // look like hangs; wall time for a parser blocked without using the CPU
                    if (cpuMs > TIMEOUT_MS || wallMs > BLOCKED_MS) {
                        fut.cancel(true);
                        worker.shutdownNow(); // abandon the hung thread (a daemon) and go on with a new one
                        worker = newWorker();
                        return new Outcome(Kind.HANG, cpuMs > TIMEOUT_MS ? "more than " + TIMEOUT_MS
                                + " ms of CPU time" : "blocked: no result after " + wallMs + " ms");
                    }
                }
            }
        } catch (ExecutionException e) {
            return new Outcome(Kind.CRASH, "harness: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** One run of the parser on the worker thread, judged by the oracle. */
    private Outcome judged(byte[] input) {
        long before = allocatedBytes();
        Outcome o;
        try {
            target.parser().parse(input);
            o = new Outcome(Kind.ACCEPTED, "accepted");
        } catch (BadInputException e) {
            String m = e.getMessage();
            if (m == null || m.isBlank() || m.length() > MAX_MESSAGE || m.indexOf('\n') >= 0 || m.indexOf('\r') >= 0) {
                o = new Outcome(Kind.BAD_MESSAGE, "message not one short line: "
                        + (m == null ? "null" : m.length() + " chars: " + abbreviate(m)));
            } else {
                o = new Outcome(Kind.REJECTED, m);
            }
        } catch (Throwable t) { // every other throwable is the bug being looked for
            StackTraceElement at = t.getStackTrace().length > 0 ? t.getStackTrace()[0] : null;
            o = new Outcome(Kind.CRASH, t.getClass().getName() + ": " + abbreviate(String.valueOf(t.getMessage()))
                    + (at == null ? "" : " at " + at));
        }
        long used = allocatedBytes() - before;
        long bound = ALLOCATION_FACTOR * input.length + ALLOCATION_SLACK;
        if (used > bound && !o.bug()) {
            o = new Outcome(Kind.ALLOCATION, "allocated " + used + " bytes for a " + input.length
                    + "-byte file (bound " + bound + ")");
        }
        return o;
    }

    private static String abbreviate(String s) {
        String one = s.replace("\n", "\\n").replace("\r", "\\r");
        return one.length() <= 160 ? one : one.substring(0, 160) + "...";
    }

    /** The outcome with the numbers blanked: inputs that differ only in a value give the same signature. */
    static String signature(Outcome o) {
        String d = o.detail().replaceAll("[0-9]+", "#");
        return o.kind() + ":" + (d.length() > 120 ? d.substring(0, 120) : d);
    }

    /**
     * Every seed, then mutations of the seeds and of the inputs that gave a new outcome, until
     * {@code executions} inputs have run or {@code seconds} have passed (whichever is given:
     * pass {@code Long.MAX_VALUE} or {@code Double.POSITIVE_INFINITY} for the other).
     *
     * @param progress receives a line about every 10 seconds (may be null)
     */
    public static Report run(FuzzTarget target, long seed, long executions, double seconds, Consumer<String> progress) {
        Fuzzer f = new Fuzzer(target, target.seeds().stream().map(FuzzTarget.Seed::bytes).toList());
        try {
            return f.loop(seed, executions, seconds, progress);
        } finally {
            f.worker.shutdownNow();
        }
    }

    private Report loop(long seed, long maxExecutions, double maxSeconds, Consumer<String> progress) {
        long t0 = System.nanoTime();
        long deadline = Double.isInfinite(maxSeconds) ? Long.MAX_VALUE : t0 + (long) (maxSeconds * 1e9);
        SplittableRandom rng = new SplittableRandom(seed);
        Mutator mutator = new Mutator(rng, target.dictionary());
        List<byte[]> corpus = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Map<String, Finding> findings = new LinkedHashMap<>();
        long n = 0;
        long accepted = 0;
        long rejected = 0;
        long nextLog = t0 + 10_000_000_000L;
        List<FuzzTarget.Seed> seeds = target.seeds();
        for (FuzzTarget.Seed s : seeds) {
            corpus.add(s.bytes());
        }
        int i = 0;
        while (n < maxExecutions && System.nanoTime() < deadline) {
            byte[] input;
            if (i < seeds.size()) {
                input = seeds.get(i++).bytes();
            } else {
                byte[] base = corpus.get(rng.nextInt(corpus.size()));
                input = mutator.mutate(base, corpus.get(rng.nextInt(corpus.size())));
            }
            Outcome o = execute(input);
            n++;
            if (o.kind() == Kind.ACCEPTED) {
                accepted++;
            } else if (o.kind() == Kind.REJECTED) {
                rejected++;
            }
            String sig = signature(o);
            if (o.bug()) {
                findings.putIfAbsent(sig, new Finding(o, input));
            } else if (seen.add(sig) && corpus.size() < MAX_CORPUS) {
                corpus.add(input);
            }
            if (progress != null && System.nanoTime() > nextLog) {
                nextLog = System.nanoTime() + 10_000_000_000L;
                progress.accept(String.format(java.util.Locale.ROOT, "%s: %,d executions, %,.0f/s, corpus %d, bugs %d",
                        target.name(), n, n / ((System.nanoTime() - t0) / 1e9), corpus.size(), findings.size()));
            }
        }
        return new Report(target.name(), n, accepted, rejected, corpus.size(), (System.nanoTime() - t0) / 1e9,
                List.copyOf(findings.values()));
    }
}
