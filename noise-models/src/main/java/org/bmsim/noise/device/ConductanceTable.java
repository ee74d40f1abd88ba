package org.bmsim.noise.device;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.bmsim.common.BadInputException;

/**
 * A user-defined state-dependent parameter from a table of (conductance, value) rows, linearly
 * interpolated between rows. The valid range is [first conductance, last conductance]; a query
 * outside it is refused (no extrapolation).
 *
 * <p>Text format (CSV): a header row naming the columns, then one row per measured state. The
 * conductance column is {@code g_us}; the value column is named by the caller ({@code sigma_us}
 * for a noise sigma in microsiemens). Other columns are ignored; blank lines and lines starting
 * with {@code #} are skipped. Rules, each with a one-line error naming the file and line:
 * both columns present; at least two rows; every number finite (no NaN, no Infinity); conductances
 * &gt;= 0 and strictly increasing; values &gt;= 0.
 *
 * <pre>
 * # my device, 300 K, 1000 reads per state
 * g_us,sigma_us
 * 5,0.8
 * 10,1.1
 * 20,1.6
 * </pre>
 */
public final class ConductanceTable implements ConductanceFunction {
    /** Name of the conductance column. */
    public static final String CONDUCTANCE_COLUMN = "g_us";
    /** Name of the usual value column: a noise sigma (or a Laplace scale) in microsiemens. */
    public static final String SIGMA_COLUMN = "sigma_us";

    private final double[] g;
    private final double[] value;
    private final ConductanceRange range;

    private ConductanceTable(double[] g, double[] value, ConductanceRange range) {
        this.g = g;
        this.value = value;
        this.range = range;
    }

    /**
     * A table from arrays (copied). Same rules as the text form.
     *
     * @param label names the table in errors and in its range
     */
    public static ConductanceTable of(double[] gMicroSiemens, double[] values, String label) {
        if (gMicroSiemens.length != values.length) {
            throw new BadInputException(label + ": " + gMicroSiemens.length + " conductances but "
                    + values.length + " values");
        }
        if (gMicroSiemens.length < 2) {
            throw new BadInputException(label + ": a table needs at least 2 rows, got " + gMicroSiemens.length);
        }
        for (int i = 0; i < gMicroSiemens.length; i++) {
            checkRow(label + " row " + (i + 1), gMicroSiemens[i], values[i], i == 0 ? Double.NaN : gMicroSiemens[i - 1]);
        }
        double[] gc = gMicroSiemens.clone();
        return new ConductanceTable(gc, values.clone(),
                ConductanceRange.of(gc[0], gc[gc.length - 1], "table " + label));
    }

    /** Parses a table file (UTF-8); see the class comment for the format. */
    public static ConductanceTable read(Path file, String valueColumn) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BadInputException("cannot read noise table " + file + ": " + e.getMessage(), e);
        }
        return parse(text, file.toString(), valueColumn);
    }

    /**
     * Parses table text; see the class comment for the format.
     *
     * @param sourceName names the source in errors (a file name)
     * @param valueColumn the header of the value column, e.g. {@link #SIGMA_COLUMN}
     */
    public static ConductanceTable parse(String text, String sourceName, String valueColumn) {
        String[] lines = text.split("\\R", -1);
        int gCol = -1;
        int vCol = -1;
        int width = 0;
        List<double[]> rows = new ArrayList<>();
        for (int ln = 0; ln < lines.length; ln++) {
            String line = lines[ln].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = sourceName + " line " + (ln + 1);
            String[] cells = line.split(",", -1);
            if (gCol < 0) {
                width = cells.length;
                for (int c = 0; c < cells.length; c++) {
                    String h = cells[c].strip().toLowerCase(Locale.ROOT);
                    if (h.equals(CONDUCTANCE_COLUMN)) {
                        gCol = c;
                    } else if (h.equals(valueColumn.toLowerCase(Locale.ROOT))) {
                        vCol = c;
                    }
                }
                if (gCol < 0 || vCol < 0) {
                    throw new BadInputException(where + ": header must name columns '" + CONDUCTANCE_COLUMN
                            + "' and '" + valueColumn + "', missing '" + (gCol < 0 ? CONDUCTANCE_COLUMN : valueColumn)
                            + "' in: " + line);
                }
                continue;
            }
            if (cells.length != width) {
                throw new BadInputException(where + ": expected " + width + " comma-separated fields, got "
                        + cells.length);
            }
            double gv = number(cells[gCol], CONDUCTANCE_COLUMN, where);
            double vv = number(cells[vCol], valueColumn, where);
            checkRow(where, gv, vv, rows.isEmpty() ? Double.NaN : rows.get(rows.size() - 1)[0]);
            rows.add(new double[] {gv, vv});
        }
        if (gCol < 0) {
            throw new BadInputException(sourceName + ": empty noise table (no header row '"
                    + CONDUCTANCE_COLUMN + "," + valueColumn + "')");
        }
        if (rows.size() < 2) {
            throw new BadInputException(sourceName + ": a table needs at least 2 rows, got " + rows.size());
        }
        double[] g = new double[rows.size()];
        double[] v = new double[rows.size()];
        for (int i = 0; i < g.length; i++) {
            g[i] = rows.get(i)[0];
            v[i] = rows.get(i)[1];
        }
        return new ConductanceTable(g, v, ConductanceRange.of(g[0], g[g.length - 1], "table " + sourceName));
    }

    private static double number(String cell, String column, String where) {
        String s = cell.strip();
        double d;
        try {
            d = Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new BadInputException(where + ": column '" + column + "' is not a number: '" + s + "'");
        }
        if (!Double.isFinite(d)) {
            throw new BadInputException(where + ": column '" + column + "' must be a finite number, got " + s);
        }
        return d;
    }

    private static void checkRow(String where, double gv, double vv, double previousG) {
        if (!Double.isFinite(gv) || !Double.isFinite(vv)) {
            throw new BadInputException(where + ": conductance and value must be finite numbers, got "
                    + gv + ", " + vv);
        }
        if (gv < 0) {
            throw new BadInputException(where + ": conductance must be >= 0 uS, got " + gv);
        }
        if (vv < 0) {
            throw new BadInputException(where + ": value (sigma) must be >= 0, got " + vv);
        }
        if (!Double.isNaN(previousG) && !(gv > previousG)) {
            throw new BadInputException(where + ": conductances must increase strictly, got " + gv
                    + " uS after " + previousG + " uS");
        }
    }

    @Override
    public double at(double gMicroSiemens) {
        range.require(gMicroSiemens);
        int i = Arrays.binarySearch(g, gMicroSiemens);
        if (i >= 0) {
            return value[i];
        }
        int hi = -i - 1; // first row above g; 1 <= hi <= n-1 because g is inside the range
        int lo = hi - 1;
        double w = (gMicroSiemens - g[lo]) / (g[hi] - g[lo]);
        return value[lo] + w * (value[hi] - value[lo]);
    }

    @Override
    public ConductanceRange range() {
        return range;
    }

    /** Number of rows. */
    public int rows() {
        return g.length;
    }
}
