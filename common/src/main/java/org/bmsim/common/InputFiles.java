package org.bmsim.common;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Reading a user's input file, with the project's errors: a missing file, a directory, something
 * that is not a regular file (a FIFO or a device would block or never end), a file too large for
 * one array, an unreadable file or a symbolic-link loop is bad input (one line, exit code 2); any
 * other I/O failure is unchecked.
 */
public final class InputFiles {
    /** Largest file read at once (the largest Java array, less the VM's header words). */
    public static final long MAX_BYTES = Integer.MAX_VALUE - 8;

    private InputFiles() {
    }

    /** The whole content of {@code file}. */
    public static byte[] readAllBytes(Path file) {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new BadInputException("file not found: " + file);
        } catch (AccessDeniedException e) {
            throw new BadInputException("permission denied: " + file);
        } catch (FileSystemException e) {
            throw new BadInputException("cannot open " + file + ": " + reason(e));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (a.isDirectory()) {
            throw new BadInputException("expected a file, found a directory: " + file);
        }
        if (!a.isRegularFile()) {
            throw new BadInputException("not a regular file (a pipe, socket or device): " + file);
        }
        if (a.size() > MAX_BYTES) {
            throw new BadInputException(file + ": " + a.size() + " bytes is larger than the " + MAX_BYTES
                    + " bytes bmsim reads at once");
        }
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new BadInputException("file not found: " + file);
        } catch (AccessDeniedException e) {
            throw new BadInputException("permission denied: " + file);
        } catch (OutOfMemoryError e) {
            throw new BadInputException(file + ": " + a.size() + " bytes do not fit in memory (raise -Xmx through "
                    + "BMSIM_JAVA_OPTS)");
        } catch (FileSystemException e) {
            throw new BadInputException("cannot read " + file + ": " + reason(e));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static String reason(FileSystemException e) {
        String r = e.getReason();
        return r == null ? e.getClass().getSimpleName() : r.replace('\n', ' ');
    }
}
