package org.bmsim.common;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reading a user's input file, with the project's errors: a missing file or a directory is bad
 * input (one line, exit code 2); any other I/O failure is unchecked.
 */
public final class InputFiles {
    private InputFiles() {
    }

    /** The whole content of {@code file}. */
    public static byte[] readAllBytes(Path file) {
        if (Files.isDirectory(file)) {
            throw new BadInputException("expected a file, found a directory: " + file);
        }
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new BadInputException("file not found: " + file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
