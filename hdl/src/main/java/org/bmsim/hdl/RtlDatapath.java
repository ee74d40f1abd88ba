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
 * layer can run on either. Not thread-safe (one driver thread per instance). Every call checks that
 * the instance is open and that the arrays are long enough before entering native code, so a closed
 * or misused instance throws instead of crashing the JVM.
 */
public final class RtlDatapath implements Datapath {
    private final DatapathConfig cfg;
    private long handle;
    private long cycle;

    private RtlDatapath(DatapathConfig cfg, long handle) {
        this.cfg = cfg;
        this.handle = handle;
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
                    + " (it was built for " + RtlLibrary.models().size() + " configurations; see docs/rtl.md)");
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

    private long h() {
        if (handle == 0) {
            throw new IllegalStateException("the RTL datapath " + cfg.id() + " is closed");
        }
        return handle;
    }

    @Override
    public void reset() {
        RtlNative.reset(h());
        cycle = 0;
    }

    @Override
    public void run(Stimulus in, Trace out) {
        long h = h();
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
    public long cycle() {
        return cycle;
    }

    /**
     * Starts writing a VCD waveform of every later cycle to {@code file} (Verilator --trace; 5 time
     * units per clock phase). Replaces an open trace.
     */
    public void traceTo(Path file) {
        if (!RtlNative.traceOpen(h(), file.toAbsolutePath().toString())) {
            throw new BadInputException("cannot write the waveform " + file);
        }
    }

    /** Flushes and closes the waveform, if one is open. */
    public void traceClose() {
        RtlNative.traceClose(h());
    }

    @Override
    public void close() {
        if (handle != 0) {
            RtlNative.destroy(handle);
            handle = 0;
        }
    }
}
