package org.bmsim.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Sha256Test {
    @TempDir
    Path dir;

    @Test
    void knownDigests() {
        // FIPS 180-2 test vectors.
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Sha256.of(new byte[0]));
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                Sha256.of("abc".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void fileDigestEqualsByteDigestAndVerifyRejectsMismatch() throws Exception {
        Path f = dir.resolve("x.bin");
        byte[] data = new byte[200_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31 + 7);
        }
        Files.write(f, data);
        assertEquals(Sha256.of(data), Sha256.of(f));
        Sha256.verify(f, Sha256.of(data));
        BadInputException e = assertThrows(BadInputException.class, () -> Sha256.verify(f, "00"));
        assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
        assertThrows(BadInputException.class, () -> Sha256.of(dir.resolve("missing")));
    }
}
