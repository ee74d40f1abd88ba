package org.bmsim.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal's complete lines and the repair of a torn last line. */
class JournalTest {
    @TempDir
    Path dir;

    @Test
    void aTornLastLineIsDroppedAndCutOnlyWithRepair() throws Exception {
        Path f = dir.resolve("j.jsonl");
        assertEquals(List.of(), Journal.completeLines(f, true));
        Files.writeString(f, "{\"a\":1}\n\n{\"b\":2}\n{\"c\":", StandardCharsets.UTF_8);
        assertEquals(List.of("{\"a\":1}", "", "{\"b\":2}"), Journal.completeLines(f, false));
        assertEquals(22, Files.size(f), "not cut without repair");
        assertEquals(List.of("{\"a\":1}", "", "{\"b\":2}"), Journal.completeLines(f, true));
        assertEquals("{\"a\":1}\n\n{\"b\":2}\n", Files.readString(f, StandardCharsets.UTF_8));
        Files.writeString(f, "torn", StandardCharsets.UTF_8);
        assertEquals(List.of(), Journal.completeLines(f, true));
        assertEquals(0, Files.size(f));
    }
}
