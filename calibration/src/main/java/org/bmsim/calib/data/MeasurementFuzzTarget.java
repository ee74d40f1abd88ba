package org.bmsim.calib.data;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.bmsim.common.fuzz.FuzzTarget;

/**
 * The measurement CSV ({@link MeasurementCsv#parse}) as a fuzz target (docs/reliability.md),
 * seeded with small files in both target forms (conductance in uS, level index with times in ms
 * and temperatures). The file's bytes are read as UTF-8 text, as {@code bmsim calibrate --data} does.
 */
public final class MeasurementFuzzTarget {
    private MeasurementFuzzTarget() {
    }

    public static final FuzzTarget TARGET = FuzzTarget.of("measurement-csv",
            b -> MeasurementCsv.parse(new String(b, StandardCharsets.UTF_8), "fuzz"), MeasurementFuzzTarget.class,
            "org/bmsim/fuzz/measurement-csv", List.of("device,target_us,read_index,time_s,g_us\n", "temperature_c",
                    "target_level", "time_ms", "g_ms", ",", "\n", "\r\n", "#", "\"", "NaN", "Infinity", "-0", "1e308",
                    "-1", "9223372036854775807", "0x10", " "));
}
