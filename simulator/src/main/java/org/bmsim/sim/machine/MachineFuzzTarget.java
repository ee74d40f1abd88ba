package org.bmsim.sim.machine;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.bmsim.common.fuzz.FuzzTarget;

/** Machine descriptions ({@link Machines#parse}) as a fuzz target, seeded with the shipped presets. */
public final class MachineFuzzTarget {
    private MachineFuzzTarget() {
    }

    /** The target: the file's bytes as UTF-8 YAML, as {@link Machines#load} reads a user's file. */
    public static final FuzzTarget TARGET = FuzzTarget.of("machine-yaml",
            b -> Machines.parse(new String(b, StandardCharsets.UTF_8), "fuzz"), MachineFuzzTarget.class,
            "org/bmsim/fuzz/machine-yaml", List.of("version: 1\n", "tile:\n", "  rows: ", "&a ", "*a", "!!binary ", "!!float ",
                    "- ", "[", "]", "{", "}", ": ", "\n  ", "---\n", "...\n", "~", "null", ".nan", ".inf", "-.inf", "0x7fffffff",
                    "1e999", "cell: digital-jq", "cell: differential-pair", "sampling: per-read", "sampler: clt12",
                    "lanes: 0", "mu_bits: 31", "unknown_key: 1", "mapping:\n  search: true\n", "scaling: [row-column]",
                    "row_gain_min: ", "replicas: [", "'", "\"", "\\u0000", "<<: *a"));
}
