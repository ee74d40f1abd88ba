package org.bmsim.hdl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the Verilator the RTL co-simulation is built with and reads its version. bmsim is tested
 * with Debian 12's {@code verilator} 5.006; older 4.x releases lack features the build relies on.
 */
public final class VerilatorToolchain {
    private static final Pattern VERSION = Pattern.compile("Verilator (\\d+)\\.(\\d+)");

    /** Oldest major.minor the build supports. */
    public static final int MIN_MAJOR = 5;

    private VerilatorToolchain() {
    }

    /** A parsed {@code verilator --version} line. */
    public record Version(int major, int minor, String line) implements Comparable<Version> {
        @Override
        public int compareTo(Version o) {
            return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
        }

        public boolean supported() {
            return major >= MIN_MAJOR;
        }
    }

    /** Parses the first line printed by {@code verilator --version}. */
    public static Optional<Version> parse(String output) {
        Matcher m = VERSION.matcher(output);
        if (!m.find()) {
            return Optional.empty();
        }
        String line = output.lines().findFirst().orElse("").trim();
        return Optional.of(new Version(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), line));
    }

    /** The {@code verilator} executable on PATH, if any. */
    public static Optional<Path> locate() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String d : path.split(java.io.File.pathSeparator)) {
            Path p = Path.of(d.isEmpty() ? "." : d, "verilator");
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Runs {@code verilator --version}; empty when Verilator is missing or does not answer. */
    public static Optional<Version> installed() {
        Optional<Path> exe = locate();
        if (exe.isEmpty()) {
            return Optional.empty();
        }
        try {
            Process p = new ProcessBuilder(exe.get().toString(), "--version").redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return Optional.empty();
            }
            return parse(new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
