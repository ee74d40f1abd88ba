package org.bmsim.common.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.bmsim.common.InputFiles;

/**
 * {@link InputFiles#readAllBytes} as a fuzz target. The first byte of an input chooses what the path
 * names, in a fresh scratch directory: a regular file holding the rest of the input, a directory, a
 * missing file, a dangling symbolic link, a symbolic-link loop, a link to a file, or a named pipe
 * (a FIFO, which a naive reader waits on forever). A path with a NUL byte cannot be made by a user's
 * shell, so it is not produced.
 */
public final class InputFilesTarget {
    private InputFilesTarget() {
    }

    /** The target. */
    public static final FuzzTarget TARGET = FuzzTarget.of("input-files", InputFilesTarget::read, InputFilesTarget.class,
            "org/bmsim/fuzz/input-files", List.of("\u0000", "\u0001", "\u0002", "\u0003", "\u0004", "\u0005", "\u0006"));

    static void read(byte[] input) throws IOException {
        Path dir = Files.createTempDirectory("bmsim-fuzz-");
        try {
            Path p = dir.resolve("input");
            int kind = input.length == 0 ? 0 : (input[0] & 0xFF) % 7;
            byte[] content = input.length == 0 ? input : java.util.Arrays.copyOfRange(input, 1, input.length);
            switch (kind) {
                case 0:
                    Files.write(p, content);
                    break;
                case 1:
                    Files.createDirectory(p);
                    break;
                case 2:
                    break; // missing
                case 3:
                    Files.createSymbolicLink(p, dir.resolve("nowhere"));
                    break;
                case 4:
                    Files.createSymbolicLink(p, dir.resolve("loop"));
                    Files.createSymbolicLink(dir.resolve("loop"), p);
                    break;
                case 5:
                    Files.write(dir.resolve("target"), content);
                    Files.createSymbolicLink(p, dir.resolve("target"));
                    break;
                default:
                    fifo(p);
            }
            InputFiles.readAllBytes(p);
        } finally {
            delete(dir);
        }
    }

    private static void fifo(Path p) throws IOException {
        try {
            Process mk = new ProcessBuilder("mkfifo", p.toString()).redirectErrorStream(true).start();
            mk.getInputStream().readAllBytes();
            if (mk.waitFor() != 0) {
                Files.write(p, new byte[0]); // no mkfifo here: an empty file stands in
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
