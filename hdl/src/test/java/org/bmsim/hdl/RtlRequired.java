package org.bmsim.hdl;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Assumptions;

/**
 * The rule of every RTL test, called from {@code @BeforeEach} so that skipped tests show up as
 * skipped: without the native library (no Verilator at build time) a developer's build skips them,
 * and with {@code -Dbmsim.rtl.required=true} (CI, bin/test) they fail.
 */
final class RtlRequired {
    private RtlRequired() {
    }

    static void assume() {
        RtlLibrary.load().ifPresent(reason -> {
            if (Boolean.getBoolean("bmsim.rtl.required")) {
                fail("RTL required (-Dbmsim.rtl.required=true) but unavailable: " + reason);
            }
            Assumptions.abort("RTL unavailable, skipped: " + reason);
        });
    }

    /** Verilator itself (for the lint test), same rule. */
    static void assumeVerilator() {
        if (VerilatorToolchain.installed().isEmpty()) {
            if (Boolean.getBoolean("bmsim.rtl.required")) {
                fail("RTL required (-Dbmsim.rtl.required=true) but verilator is not installed (run bin/setup-tools)");
            }
            Assumptions.abort("verilator not installed (run bin/setup-tools), skipped");
        }
    }
}
