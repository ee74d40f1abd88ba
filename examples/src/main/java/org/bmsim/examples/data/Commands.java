package org.bmsim.examples.data;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bmsim.common.BadInputException;

/** Runs the ordinary package clients (npm, apt-get, dpkg) that fetch the data sets. */
final class Commands {
    private Commands() {
    }

    /** What a finished command printed. */
    record Result(int exitCode, String output) {
        String lastLine() {
            String[] lines = output.strip().split("\n");
            return lines.length == 0 ? "" : lines[lines.length - 1].strip();
        }
    }

    static boolean onPath(String exe) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String d : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d.isEmpty() ? "." : d, exe))) {
                return true;
            }
        }
        return false;
    }

    /** Runs {@code cmd} in {@code dir}; output (stdout and stderr merged) is captured. */
    static Result run(Path dir, List<String> cmd, long timeoutMinutes) {
        if (!onPath(cmd.get(0))) {
            throw new BadInputException(cmd.get(0) + " is not on PATH (needed for: " + String.join(" ", cmd) + ")");
        }
        try {
            Path log = Files.createTempFile("bmsim-cmd", ".log");
            try {
                ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                        .redirectOutput(log.toFile());
                pb.environment().put("npm_config_update_notifier", "false");
                pb.environment().put("npm_config_fund", "false");
                pb.environment().put("npm_config_audit", "false");
                pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
                Process p = pb.start();
                if (!p.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
                    p.destroyForcibly();
                    throw new BadInputException(String.join(" ", cmd) + " did not finish within " + timeoutMinutes
                            + " minutes");
                }
                return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(log);
            }
        } catch (IOException e) {
            throw new BadInputException("cannot run " + cmd.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BadInputException("interrupted while running " + cmd.get(0));
        }
    }

    /** Whether this process runs as root (apt-get update and install need it). */
    static boolean isRoot() {
        try {
            Result r = run(Path.of("."), List.of("id", "-u"), 1);
            return r.exitCode() == 0 && r.output().strip().equals("0");
        } catch (BadInputException e) {
            return false;
        }
    }
}
