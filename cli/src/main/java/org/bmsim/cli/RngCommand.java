package org.bmsim.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.bmsim.common.BadInputException;
import org.bmsim.noise.rng.GaussianSampler;
import org.bmsim.noise.rng.SamplerStats;
import org.bmsim.noise.rng.Taus88;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code bmsim rng}: the bit-exact sampler's raw stream, for checking it outside bmsim. */
@Command(name = "rng", mixinStandardHelpOptions = true,
        description = {"Print one lane of the bit-exact Gaussian sampler: one signed eps integer per line "
            + "(Q3.12, value = eps / 4096), or with --raw the taus88 words in hex, or with --stats the "
            + "statistical acceptance of the stream (mean, variance, KS, chi-square, tails).",
            "Lane L of seed S is seeded with SplitMix64(S ^ L). ICDF uses one word per sample, CLT12 six."})
public final class RngCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--mode", paramLabel = "icdf|clt12", defaultValue = "icdf",
            description = "Sampler: icdf (accurate) or clt12 (short tails) (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
            description = "Global 64-bit seed (decimal, or hex with 0x) (default: ${DEFAULT-VALUE}).")
    String seed;

    @Option(names = "--lane", paramLabel = "L", defaultValue = "0", description = "Lane index (default: ${DEFAULT-VALUE}).")
    int lane;

    @Option(names = "--count", paramLabel = "N", defaultValue = "8",
            description = "Samples (or words with --raw) to print (default: ${DEFAULT-VALUE}).")
    long count;

    @Option(names = "--raw", description = "Print the taus88 words (8 hex digits) instead of eps.")
    boolean raw;

    @Option(names = "--stats", description = "Print the acceptance statistics of N samples instead of the samples.")
    boolean stats;

    @Override
    public Integer call() {
        GaussianSampler.Mode m = GaussianSampler.Mode.parse(mode);
        long s = parseSeed(seed);
        if (lane < 0) {
            throw new BadInputException("--lane must be >= 0, got " + lane);
        }
        if (count < 0) {
            throw new BadInputException("--count must be >= 0, got " + count);
        }
        if (raw && stats) {
            throw new BadInputException("--raw and --stats exclude each other");
        }
        PrintWriter out = spec.commandLine().getOut();
        Taus88 t = Taus88.lane(s, lane);
        if (stats) {
            if (count < 500 || count > 100_000_000) {
                throw new BadInputException("--stats needs --count in 500..100000000, got " + count);
            }
            int[] eps = new int[(int) count];
            for (int i = 0; i < eps.length; i++) {
                eps[i] = m.sampler().next(t);
            }
            SamplerStats st = SamplerStats.of(eps);
            out.print(st.report(m.id() + " sampler, seed " + s + ", lane " + lane));
            if (m == GaussianSampler.Mode.CLT12 && !st.ksOk()) {
                out.println("  note: CLT12's KS failure is its known Irwin-Hall tail weakness (sampler spec, section 4),"
                        + " not a bug; use icdf for accurate tails.");
            }
            out.flush();
            return 0;
        }
        StringBuilder sb = new StringBuilder(1 << 16);
        for (long i = 0; i < count; i++) {
            if (raw) {
                String h = Integer.toHexString(t.nextInt());
                sb.append("00000000", h.length(), 8).append(h).append('\n');
            } else {
                sb.append(m.sampler().next(t)).append('\n');
            }
            if (sb.length() > 60_000) {
                out.print(sb);
                sb.setLength(0);
            }
        }
        out.print(sb);
        out.flush();
        return 0;
    }

    static long parseSeed(String s) {
        try {
            String t = s.strip();
            if (t.startsWith("0x") || t.startsWith("0X")) {
                return Long.parseUnsignedLong(t.substring(2), 16);
            }
            return Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw new BadInputException("not a 64-bit seed: '" + s + "'");
        }
    }
}
