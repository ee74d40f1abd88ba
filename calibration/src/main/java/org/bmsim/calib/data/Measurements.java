package org.bmsim.calib.data;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A designer's read traces, grouped by device: device {@code d} was programmed once to target level
 * {@code level(d)} and read {@code reads(d)} times; its reads occupy rows
 * {@code [start(d), start(d + 1))} of the flat arrays, in read order (increasing read index).
 * Conductances in microsiemens, times in seconds. Immutable after construction (arrays are not
 * copied for speed; callers must not write to them).
 *
 * @param source where the data came from (a file name)
 * @param sha256 SHA-256 of the input file (hex), or "" for in-memory data
 * @param deviceNames device identifiers as they appear in the file
 * @param deviceLevel the level index of each device (0 .. levels-1, in increasing target order)
 * @param start row offset of each device, length devices + 1
 * @param timeS read times in seconds
 * @param gUs conductances read, in microsiemens
 * @param levelTargets the target of each level: a conductance in uS ({@code targetIsConductance}) or
 *     the level index the file gave
 * @param targetIsConductance whether the file gave targets in uS ({@code target_us}) or as level
 *     indices ({@code target_level})
 * @param temperatureRangeC [min, max] of {@code temperature_c}, or null when the column is absent
 */
public record Measurements(String source, String sha256, List<String> deviceNames, int[] deviceLevel, int[] start,
        double[] timeS, double[] gUs, double[] levelTargets, boolean targetIsConductance, double[] temperatureRangeC) {

    public int devices() {
        return deviceLevel.length;
    }

    public int levels() {
        return levelTargets.length;
    }

    public int rows() {
        return gUs.length;
    }

    public int reads(int device) {
        return start[device + 1] - start[device];
    }

    /** Devices per level. */
    public int[] devicesPerLevel() {
        int[] n = new int[levels()];
        for (int l : deviceLevel) {
            n[l]++;
        }
        return n;
    }

    /** Reads per level. */
    public long[] readsPerLevel() {
        long[] n = new long[levels()];
        for (int d = 0; d < devices(); d++) {
            n[deviceLevel[d]] += reads(d);
        }
        return n;
    }

    /** [first, last] read time over the file, in seconds. */
    public double[] timeSpanS() {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double t : timeS) {
            lo = Math.min(lo, t);
            hi = Math.max(hi, t);
        }
        return new double[] {lo, hi};
    }

    /** What the reader found, in a few lines (devices, levels, reads per level, time span). */
    public String summary() {
        StringBuilder s = new StringBuilder();
        double[] span = timeSpanS();
        s.append(String.format(Locale.ROOT, "%s: %d reads of %d devices at %d levels, time %.6g .. %.6g s%n", source, rows(),
                devices(), levels(), span[0], span[1]));
        int[] dev = devicesPerLevel();
        long[] rd = readsPerLevel();
        for (int k = 0; k < levels(); k++) {
            s.append(String.format(Locale.ROOT, "  level %d: target %s, %d devices, %d reads%n", k,
                    targetIsConductance ? String.format(Locale.ROOT, "%.6g uS", levelTargets[k])
                            : "index " + (long) levelTargets[k], dev[k], rd[k]));
        }
        if (temperatureRangeC != null) {
            s.append(String.format(Locale.ROOT, "  temperature %.4g .. %.4g C%n", temperatureRangeC[0], temperatureRangeC[1]));
        }
        return s.toString();
    }

    @Override
    public String toString() {
        return "Measurements[" + source + ", " + devices() + " devices, " + levels() + " levels, " + rows() + " reads, targets "
                + Arrays.toString(levelTargets) + "]";
    }
}
