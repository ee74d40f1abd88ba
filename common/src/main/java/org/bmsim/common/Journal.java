package org.bmsim.common;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * An append-only journal of one record per line (sweeps' {@code results.jsonl}, the machines
 * table's {@code rows.jsonl}): a record counts once its newline is on disk, so a process killed in
 * the middle of a write leaves at most one torn last line, which reading drops.
 */
public final class Journal {
    private Journal() {
    }

    /**
     * The complete lines of {@code file} (line i of the list is line i + 1 of the file, blank lines
     * included), or none when it does not exist. With {@code repair} a torn last line (no newline) is
     * also cut from the file, so that the next append starts on a fresh line.
     */
    public static List<String> completeLines(Path file, boolean repair) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        byte[] bytes = Files.readAllBytes(file);
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] != '\n') {
            end--;
        }
        if (end < bytes.length && repair) {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                ch.truncate(end);
                ch.force(true);
            }
        }
        if (end == 0) {
            return List.of();
        }
        return List.of(new String(bytes, 0, end - 1, StandardCharsets.UTF_8).split("\n", -1));
    }
}
