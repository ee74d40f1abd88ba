package org.bmsim.hdl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class VerilatorToolchainTest {
    @Test
    void parsesDebianVersionLine() {
        VerilatorToolchain.Version v = VerilatorToolchain.parse("Verilator 5.006 2023-01-22 rev (Debian 5.006-3)\n")
                .orElseThrow();
        assertEquals(5, v.major());
        assertEquals(6, v.minor());
        assertTrue(v.supported());
        assertEquals("Verilator 5.006 2023-01-22 rev (Debian 5.006-3)", v.line());
    }

    @Test
    void oldOrGarbageVersionsAreRecognised() {
        assertFalse(VerilatorToolchain.parse("Verilator 4.038 2020-07-11 rev v4.036-114-g0cd4a57ad").orElseThrow()
                .supported());
        assertTrue(VerilatorToolchain.parse("command not found").isEmpty());
        assertTrue(VerilatorToolchain.parse("Verilator 5.006 x").orElseThrow()
                .compareTo(VerilatorToolchain.parse("Verilator 4.228 x").orElseThrow()) > 0);
    }
}
