package org.bmsim.hdl;

import java.nio.file.Path;
import org.bmsim.common.BadInputException;
import org.bmsim.sim.datapath.Datapath;
import org.bmsim.sim.datapath.DatapathConfig;
import org.bmsim.sim.datapath.Stimulus;
import org.bmsim.sim.datapath.Trace;

/**
 * The Verilated RTL of one datapath configuration behind the {@link Datapath} interface, through
 * JNI: the same ports, cycles and results as {@link org.bmsim.sim.datapath.GoldenDatapath}, so a
 * layer can run on either.
 *
 * <p>Misuse never reaches native code (where it would crash the JVM): every call checks, in Java and
 * under the instance's lock, that it comes from the thread that opened the instance (a Verilated
 * model is driven by one thread; open one instance per thread), that the instance is open, and that
 * the arrays match the configuration. A second {@link #close()}, a call after close, a call from
 * another thread, or a configuration the library was not built with is an exception with a
 * one-line message (docs/reliability.md).
 */
public final class RtlDatapath implements Datapath {
    private final DatapathConfig cfg;
    /** The thread that opened the instance, the only one allowed to drive it. */
    private final Thread owner;
    private long handle;
    private long cycle;

    private RtlDatapath(DatapathConfig cfg, long handle) {
        this.cfg = cfg;
        this.handle = handle;
        this.owner = Thread.currentThread();
    }

    /**
     * Opens the RTL model of {@code cfg}. Throws {@link BadInputException} when the library is
     * unavailable or was not built with this configuration (regenerate with the configuration's id;
     * docs/rtl.md).
     */
    public static RtlDatapath open(DatapathConfig cfg) {
        RtlLibrary.load().ifPresent(reason -> {
            throw new BadInputException(reason);
        });
        if (!RtlLibrary.models().contains(cfg.id())) {
            throw new BadInputException("the RTL library has no model for configuration " + cfg.id()
                    + " (it was built for " + RtlLibrary.models().size() + " configurations; rebuild hdl with "
                    + "-Dbmsim.rtl.configs=" + cfg.id() + ", docs/rtl.md)");
        }
        long h = RtlNative.create(cfg.id());
        if (h == 0) {
            throw new IllegalStateException("the RTL library refused to create " + cfg.id());
        }
        return new RtlDatapath(cfg, h);
    }

    @Override
    public DatapathConfig config() {
        return cfg;
    }

    /** The native handle, after the owner and open checks; call with the lock held. */
    private long h(String op) {
        Thread t = Thread.currentThread();
        if (t != owner) {
            throw new IllegalStateException("the RTL datapath " + cfg.id() + " was opened by thread '" + owner.getName()
                    + "' and cannot be used from thread '" + t.getName() + "' (" + op
                    + "; a Verilated model has one driver thread: open one RtlDatapath per thread)");
        }
        if (handle == 0) {
            throw new IllegalStateException("the RTL datapath " + cfg.id() + " is closed (" + op + " after close())");
        }
        return handle;
    }

    @Override
    public synchronized void reset() {
        RtlNative.reset(h("reset"));
        cycle = 0;
    }

    @Override
    public synchronized void run(Stimulus in, Trace out) {
        long h = h("run");
        int n = in.n();
        int lanes = cfg.lanes();
        if (in.lanes() != lanes || out.lanes() != lanes || out.n() < n) {
            throw new IllegalArgumentException("stimulus/trace shape does not match " + lanes + " lanes");
        }
        // the records' constructors guarantee the array lengths for n cycles
        RtlNative.run(h, n, in.ctrl(), in.seed(), in.mu(), in.sigma(), in.x(), out.flags(), out.w(), out.acc(),
                out.eps(), out.word());
        cycle += n;
    }

    @Override
    public synchronized long cycle() {
        return cycle;
    }

    /**
     * Starts writing a VCD waveform of every later cycle to {@code file} (Verilator --trace; 5 time
     * units per clock phase). Replaces an open trace.
     */
    public synchronized void traceTo(Path file) {
        if (!RtlNative.traceOpen(h("traceTo"), file.toAbsolutePath().toString())) {
            throw new BadInputException("cannot write the waveform " + file);
        }
    }

    /** Flushes and closes the waveform, if one is open. */
    public synchronized void traceClose() {
        RtlNative.traceClose(h("traceClose"));
    }

    /** True while the instance is open. */
    public synchronized boolean isOpen() {
        return handle != 0;
    }

    /**
     * Frees the native model. A second close is a misuse (the native model is freed once) and throws
     * {@link IllegalStateException}, as does a close from a thread other than the owner.
     */
    @Override
    public synchronized void close() {
        long h = h("close");
        handle = 0;
        RtlNative.destroy(h);
    }
}
