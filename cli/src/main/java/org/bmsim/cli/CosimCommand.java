package org.bmsim.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.bmsim.common.AtomicFiles;
import org.bmsim.common.BadInputException;
import org.bmsim.hdl.Cosim;
import org.bmsim.hdl.RtlLibrary;
import org.bmsim.sim.datapath.DatapathConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** {@code bmsim cosim}: the Verilated RTL against the Java golden model, cycle by cycle. */
@Command(name = "cosim", mixinStandardHelpOptions = true,
        description = {"Co-simulate the quantized sampling datapath: drive the Verilated RTL and the Java golden "
            + "model in lockstep with random inputs and random valid/ready stalls, and compare every output "
            + "bit of every cycle (docs/rtl.md).",
            "--configs default is one configuration (8 lanes, 4-bit weights, ICDF, half-octave sigma); grid is "
            + "40 (weight bits 2,3,4,6,8 x icdf,clt12 x octave,half x 1,8 lanes); or give configuration ids, "
            + "comma-separated, e.g. l8_mu4_s4_x4_w4_a20_icdf_half."})
public final class CosimCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--configs", paramLabel = "default|grid|IDS", defaultValue = "default",
            description = "Configurations (default: ${DEFAULT-VALUE}).")
    String configs;

    @Option(names = "--cycles", paramLabel = "N", defaultValue = "1000000",
            description = "Clock cycles per configuration (default: ${DEFAULT-VALUE}).")
    long cycles;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
            description = "Seed of the stimulus and of the sampler lanes (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--threads", paramLabel = "T", defaultValue = "2",
            description = "Configurations co-simulated in parallel (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--json", paramLabel = "OUT.json", description = "Write the report as JSON (atomically).")
    Path json;

    @Option(names = "--vcd", paramLabel = "FILE",
            description = "Write a VCD waveform of the RTL: around the first mismatch, or the first 8192 cycles of the "
                + "first configuration when there is none.")
    Path vcd;

    static List<DatapathConfig> parseConfigs(String s) {
        String t = s.strip().toLowerCase(Locale.ROOT);
        if (t.equals("default")) {
            return List.of(DatapathConfig.defaults());
        }
        if (t.equals("grid")) {
            return DatapathConfig.grid();
        }
        return java.util.Arrays.stream(s.split(",")).map(String::strip).filter(x -> !x.isEmpty())
                .map(DatapathConfig::parseId).toList();
    }

    @Override
    public Integer call() {
        if (cycles < 1) {
            throw new BadInputException("--cycles must be >= 1, got " + cycles);
        }
        List<DatapathConfig> cs = parseConfigs(configs);
        RtlLibrary.load().ifPresent(reason -> {
            throw new BadInputException("RTL co-simulation unavailable: " + reason);
        });
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Cosim.Report r = Cosim.run(new Cosim.Options(cs, cycles, seed, vcd, threads), line -> {
            synchronized (err) {
                err.println(line);
                err.flush();
            }
        });
        out.printf(Locale.ROOT, "configs %d, cycles %,d, lane-cycles %,d, mismatches %d%n", r.configs().size(),
                r.cycles(), r.laneCycles(), r.mismatches());
        out.printf(Locale.ROOT, "%.1f s, %,.0f cycles/s, %,.0f lane-cycles/s, latency %d cycles%n", r.seconds(),
                r.cyclesPerSecond(), r.laneCyclesPerSecond(), r.latencyCycles());
        if (r.firstMismatch() != null) {
            Cosim.Mismatch m = r.firstMismatch();
            out.printf(Locale.ROOT, "first mismatch: %s cycle %d port %s lane %d expected %d actual %d%n", m.config(),
                    m.cycle(), m.port(), m.lane(), m.expected(), m.actual());
        }
        if (r.vcd() != null) {
            out.println("waveform: " + r.vcd());
        }
        if (json != null) {
            JsonMapper mapper = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
            AtomicFiles.writeString(json, mapper.writeValueAsString(r.json()) + "\n");
        }
        out.flush();
        return r.mismatches() == 0 ? 0 : 1;
    }
}
