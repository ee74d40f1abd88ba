package org.bmsim.examples.sweep;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.bmsim.common.fuzz.FuzzTarget;

/**
 * Sweep files ({@link SweepSpec#parse}) as a fuzz target (docs/reliability.md), seeded with the
 * example sweep and small grid, zip and list files. The file's bytes are read as UTF-8 YAML from a
 * folder of its own, as {@code bmsim sweep FILE} reads a user's file; a valid file's first points are also
 * resolved (each axis value applied to the machine and quantization), up to a bound.
 */
public final class SweepFuzzTarget {
    /** Points expanded per accepted input: enough to reach every axis kind, small enough for the oracle. */
    static final int POINTS_CHECKED = 64;

    private SweepFuzzTarget() {
    }

    public static final FuzzTarget TARGET = FuzzTarget.of("sweep-yaml", b -> {
        SweepSpec s = SweepSpec.parse(new String(b, StandardCharsets.UTF_8), "fuzz", Path.of("fuzz-sweep-dir"));
        int n = (int) Math.min(s.size(), POINTS_CHECKED);
        for (int i = 0; i < n; i++) {
            s.resolve(s.point(i).values());
        }
    }, SweepFuzzTarget.class, "org/bmsim/fuzz/sweep-yaml", List.of("version: 1\n", "axes:\n", "  - ", "zip: ", "list: ",
            "{", "}", "[", "]", ": ", ", ", "adc.bits", "tile.rows", "noise_scale", "bits", "samples", "seeds", "seeding: per-point",
            "data: random-images", "machine: ", "model: ", "strategy: jq", "&a ", "*a", "~", ".nan", ".inf", "-1", "0",
            "1e308", "9223372036854775807", "unknown_key: 1", "'", "\"", "\n"));
}
