package org.bmsim.calib.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.bmsim.common.BadInputException;
import org.bmsim.common.Sha256;

/**
 * The measurement file: CSV in long form, one read per row, units in the header names
 * (docs/calibration.md).
 *
 * <pre>
 *   device,target_us,read_index,time_s,g_us[,temperature_c]
 *   d0001,4.9,0,20.0,5.07
 * </pre>
 *
 * <ul>
 *   <li>{@code device}: any identifier without commas;
 *   <li>{@code target_us} (the programmed target conductance in uS) or {@code target_level} (a level
 *       index, when the targets are not known in uS);
 *   <li>{@code read_index}: an integer &gt;= 0, distinct per device (rows may come in any order);
 *   <li>{@code time_s} (or {@code time_ms}): time since programming, finite and &gt; 0, strictly
 *       increasing with the read index;
 *   <li>{@code g_us}: the conductance read, finite and &gt;= 0 uS;
 *   <li>{@code temperature_c}: optional, reported only.
 * </ul>
 *
 * Blank lines and lines starting with {@code #} are skipped. Every error is one line naming the
 * file, the line and the column. Read in one streaming pass (the SHA-256 of the bytes is computed
 * on the way), about 2.4 s of CPU per million rows.
 */
public final class MeasurementCsv {
    /** Column names without unit. */
    public static final String DEVICE = "device";
    public static final String READ_INDEX = "read_index";
    /** Quantities with units: base name, accepted units, and the factor to the internal unit. */
    private static final Map<String, Map<String, Double>> UNITS = new LinkedHashMap<>();

    static {
        UNITS.put("target", Map.of("us", 1.0, "level", 1.0));
        UNITS.put("time", Map.of("s", 1.0, "ms", 1e-3));
        UNITS.put("g", Map.of("us", 1.0));
        UNITS.put("temperature", Map.of("c", 1.0));
    }

    private MeasurementCsv() {
    }

    /** Reads and validates a measurement file. */
    public static Measurements read(Path file) {
        if (Files.isDirectory(file)) {
            throw new BadInputException("expected a measurement file, found a directory: " + file);
        }
        MessageDigest md = Sha256.newDigest();
        try (InputStream raw = Files.newInputStream(file);
                DigestInputStream in = new DigestInputStream(raw, md);
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16)) {
            Measurements m = parse(r, file.toString());
            // drain anything after the last line (none, but keep the digest exact)
            while (r.read() >= 0) {
                // nothing
            }
            String sha = HexFormat.of().formatHex(md.digest());
            return new Measurements(m.source(), sha, m.deviceNames(), m.deviceLevel(), m.start(), m.timeS(), m.gUs(),
                    m.levelTargets(), m.targetIsConductance(), m.temperatureRangeC());
        } catch (NoSuchFileException e) {
            throw new BadInputException("measurement file not found: " + file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses CSV text (for tests and in-memory data); {@code source} names it in errors. */
    public static Measurements parse(String text, String source) {
        try {
            return parse(new BufferedReader(new java.io.StringReader(text)), source);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Measurements parse(BufferedReader r, String source) throws IOException {
        String line;
        int lineNo = 0;
        String[] header = null;
        while ((line = r.readLine()) != null) {
            lineNo++;
            String s = line.strip();
            if (s.isEmpty() || s.startsWith("#")) {
                continue;
            }
            header = s.split(",", -1);
            break;
        }
        if (header == null) {
            throw new BadInputException(source + ": empty file (no header line; expected "
                    + "device,target_us,read_index,time_s,g_us[,temperature_c])");
        }
        int cDevice = -1;
        int cTarget = -1;
        int cRead = -1;
        int cTime = -1;
        int cG = -1;
        int cTemp = -1;
        boolean targetUs = true;
        double timeFactor = 1;
        for (int c = 0; c < header.length; c++) {
            String h = header[c].strip().toLowerCase(Locale.ROOT);
            String where = source + ": line " + lineNo + ", column " + (c + 1) + " '" + header[c].strip() + "'";
            if (h.equals(DEVICE)) {
                cDevice = dup(cDevice, c, where);
                continue;
            }
            if (h.equals(READ_INDEX)) {
                cRead = dup(cRead, c, where);
                continue;
            }
            String base = null;
            String unit = null;
            for (String b : UNITS.keySet()) {
                if (h.equals(b)) {
                    throw new BadInputException(where + ": the header needs a unit (" + b + "_"
                            + String.join(" or " + b + "_", new TreeMap<>(UNITS.get(b)).keySet()) + ")");
                }
                if (h.startsWith(b + "_")) {
                    base = b;
                    unit = h.substring(b.length() + 1);
                    break;
                }
            }
            if (base == null) {
                throw new BadInputException(where + ": unknown column; known: device, target_us|target_level, read_index, "
                        + "time_s|time_ms, g_us, temperature_c");
            }
            Double factor = UNITS.get(base).get(unit);
            if (factor == null) {
                throw new BadInputException(where + ": unknown unit '" + unit + "' for " + base + "; known: "
                        + String.join(", ", new TreeMap<>(UNITS.get(base)).keySet()));
            }
            switch (base) {
                case "target" -> {
                    cTarget = dup(cTarget, c, where);
                    targetUs = unit.equals("us");
                }
                case "time" -> {
                    cTime = dup(cTime, c, where);
                    timeFactor = factor;
                }
                case "g" -> cG = dup(cG, c, where);
                default -> cTemp = dup(cTemp, c, where);
            }
        }
        String hdr = source + ": line " + lineNo + ": missing column ";
        if (cDevice < 0) {
            throw new BadInputException(hdr + "'device'");
        }
        if (cTarget < 0) {
            throw new BadInputException(hdr + "'target_us' (or 'target_level')");
        }
        if (cRead < 0) {
            throw new BadInputException(hdr + "'read_index'");
        }
        if (cTime < 0) {
            throw new BadInputException(hdr + "'time_s'");
        }
        if (cG < 0) {
            throw new BadInputException(hdr + "'g_us'");
        }
        String[] names = new String[header.length];
        for (int c = 0; c < header.length; c++) {
            names[c] = header[c].strip();
        }
        int cols = header.length;
        int cap = 1 << 16;
        int[] dev = new int[cap];
        int[] ridx = new int[cap];
        double[] t = new double[cap];
        double[] g = new double[cap];
        int n = 0;
        Map<String, Integer> ids = new HashMap<>();
        List<String> deviceNames = new ArrayList<>();
        double[] devTarget = new double[1024];
        int[] devLine = new int[1024];
        double tempLo = Double.POSITIVE_INFINITY;
        double tempHi = Double.NEGATIVE_INFINITY;
        int[] pos = new int[cols + 1];
        while ((line = r.readLine()) != null) {
            lineNo++;
            if (line.isEmpty() || line.charAt(0) == '#' || line.isBlank()) {
                continue;
            }
            int f = 0;
            pos[0] = -1;
            for (int i = 0; i < line.length() && f < cols; i++) {
                if (line.charAt(i) == ',') {
                    pos[++f] = i;
                }
            }
            if (f != cols - 1 || line.indexOf(',', pos[f] + 1) >= 0) {
                int got = line.split(",", -1).length;
                throw new BadInputException(source + ": line " + lineNo + ": " + got + " fields, the header has " + cols);
            }
            pos[cols] = line.length();
            String name = line.substring(pos[cDevice] + 1, pos[cDevice + 1]).strip();
            if (name.isEmpty()) {
                throw new BadInputException(source + ": line " + lineNo + ", column " + (cDevice + 1) + " 'device': empty");
            }
            double target = num(line, pos, cTarget, names, source, lineNo);
            if (targetUs) {
                if (!(target >= 0) || !Double.isFinite(target)) {
                    throw bad(source, lineNo, cTarget, names, "target conductance must be finite and >= 0 uS, got " + target);
                }
            } else if (!(target >= 0) || target != Math.rint(target) || target > Integer.MAX_VALUE) {
                throw bad(source, lineNo, cTarget, names, "level index must be an integer >= 0, got " + target);
            }
            double ri = num(line, pos, cRead, names, source, lineNo);
            if (!(ri >= 0) || ri != Math.rint(ri) || ri > Integer.MAX_VALUE) {
                throw bad(source, lineNo, cRead, names, "read index must be an integer >= 0, got " + ri);
            }
            double time = num(line, pos, cTime, names, source, lineNo) * timeFactor;
            if (!(time > 0) || !Double.isFinite(time)) {
                throw bad(source, lineNo, cTime, names, "time since programming must be finite and > 0, got " + time + " s");
            }
            double gv = num(line, pos, cG, names, source, lineNo);
            if (!(gv >= 0) || !Double.isFinite(gv)) {
                throw bad(source, lineNo, cG, names, "conductance must be finite and >= 0 uS, got " + gv);
            }
            if (cTemp >= 0) {
                double tc = num(line, pos, cTemp, names, source, lineNo);
                if (!Double.isFinite(tc) || tc < -273.15) {
                    throw bad(source, lineNo, cTemp, names, "temperature must be finite and >= -273.15 C, got " + tc);
                }
                tempLo = Math.min(tempLo, tc);
                tempHi = Math.max(tempHi, tc);
            }
            Integer id = ids.get(name);
            if (id == null) {
                id = deviceNames.size();
                ids.put(name, id);
                deviceNames.add(name);
                if (id == devTarget.length) {
                    devTarget = Arrays.copyOf(devTarget, id * 2);
                    devLine = Arrays.copyOf(devLine, id * 2);
                }
                devTarget[id] = target;
                devLine[id] = lineNo;
            } else if (devTarget[id] != target) {
                throw bad(source, lineNo, cTarget, names, "device '" + name + "' has target " + devTarget[id] + " on line "
                        + devLine[id] + " and " + target + " here (one programming per device)");
            }
            if (n == dev.length) {
                int c2 = n * 2;
                dev = Arrays.copyOf(dev, c2);
                ridx = Arrays.copyOf(ridx, c2);
                t = Arrays.copyOf(t, c2);
                g = Arrays.copyOf(g, c2);
            }
            dev[n] = id;
            ridx[n] = (int) ri;
            t[n] = time;
            g[n] = gv;
            n++;
        }
        if (n == 0) {
            throw new BadInputException(source + ": no data rows after the header");
        }
        int devices = deviceNames.size();
        // order rows by (device, read index); files written device by device are already in order
        long[] key = new long[n];
        boolean sorted = true;
        for (int i = 0; i < n; i++) {
            key[i] = ((long) dev[i] << 32) | ridx[i];
            if (i > 0 && key[i] < key[i - 1]) {
                sorted = false;
            }
        }
        int[] order = null;
        if (!sorted) {
            Integer[] o = new Integer[n];
            for (int i = 0; i < n; i++) {
                o[i] = i;
            }
            final long[] k = key;
            Arrays.sort(o, (a, b) -> Long.compare(k[a], k[b]));
            order = new int[n];
            for (int i = 0; i < n; i++) {
                order[i] = o[i];
            }
        }
        double[] ts = new double[n];
        double[] gs = new double[n];
        int[] start = new int[devices + 1];
        int prevDev = -1;
        int prevRead = -1;
        for (int i = 0; i < n; i++) {
            int j = order == null ? i : order[i];
            ts[i] = t[j];
            gs[i] = g[j];
            int d = dev[j];
            if (d == prevDev) {
                if (ridx[j] == prevRead) {
                    throw new BadInputException(source + ": device '" + deviceNames.get(d) + "' has read index " + ridx[j]
                            + " twice");
                }
                if (!(ts[i] > ts[i - 1])) {
                    throw new BadInputException(source + ": device '" + deviceNames.get(d) + "': time " + ts[i]
                            + " s of read " + ridx[j] + " is not after the previous read's " + ts[i - 1] + " s");
                }
            } else {
                for (int e = prevDev + 1; e <= d; e++) {
                    start[e] = i;
                }
            }
            prevDev = d;
            prevRead = ridx[j];
        }
        start[devices] = n;
        // levels: distinct targets in increasing order
        double[] distinct = Arrays.stream(Arrays.copyOf(devTarget, devices)).distinct().sorted().toArray();
        if (distinct.length < 2) {
            throw new BadInputException(source + ": only one level (target " + distinct[0] + (targetUs ? " uS" : "")
                    + "): the state dependence needs at least two programmed levels");
        }
        int[] level = new int[devices];
        for (int d = 0; d < devices; d++) {
            level[d] = Arrays.binarySearch(distinct, devTarget[d]);
        }
        return new Measurements(source, "", List.copyOf(deviceNames), level, start, ts, gs, distinct, targetUs,
                cTemp >= 0 ? new double[] {tempLo, tempHi} : null);
    }

    private static int dup(int seen, int c, String where) {
        if (seen >= 0) {
            throw new BadInputException(where + ": the same quantity appears twice (also column " + (seen + 1) + ")");
        }
        return c;
    }

    private static double num(String line, int[] pos, int c, String[] names, String source, int lineNo) {
        String s = line.substring(pos[c] + 1, pos[c + 1]).strip();
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw bad(source, lineNo, c, names, "not a number: '" + s + "'");
        }
    }

    private static BadInputException bad(String source, int lineNo, int c, String[] names, String what) {
        return new BadInputException(source + ": line " + lineNo + ", column " + (c + 1) + " '" + names[c] + "': " + what);
    }
}
