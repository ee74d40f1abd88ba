package org.bmsim.examples.sweep;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bmsim.common.BadInputException;
import org.bmsim.common.Sha256;
import org.bmsim.examples.replay.ReplayRun;
import org.bmsim.noise.rng.SplitMix64;
import org.bmsim.sim.machine.MachineDescription;
import org.bmsim.sim.machine.Machines;
import org.bmsim.sim.quant.QuantSpec;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * A sweep file ({@code sweep.yaml}, docs/sweeps.md): a base model, machine and quantization, and
 * axes over any of their parameters, combined as a grid of dimensions (a single parameter, a
 * {@code zip} of parameters advanced together, or an explicit {@code list} of points), times the
 * seeds. Validated completely before any point runs: every error is one line naming the key.
 *
 * <p>Parameters an axis may set: {@code model} (a model file), {@code machine} (a preset or machine
 * file), {@code strategy} (fp, vpq, jq), {@code bits}, {@code samples}, {@code noise_scale} (see
 * {@link NoiseScale}) and any key of the machine description as a dotted path
 * ({@code adc.bits}, {@code tile.rows}, {@code adc.columns_per_adc}, ...).
 */
public record SweepSpec(String name, String description, Path source, String sha256, String model, String machine,
        String strategy, int bits, int samples, int subsample, List<Long> seeds, Seeding seeding,
        List<Dimension> dimensions, Path baseDir, String data) {

    /** A grid larger than this needs {@code --yes} (a typo in an axis should not start a month of work). */
    public static final long MAX_POINTS_WITHOUT_YES = 1_000_000L;
    /** Up to this many points every point is resolved (machine parsed, strategy checked) before any runs. */
    public static final long RESOLVE_ALL_LIMIT = 10_000L;
    /** The largest sweep (points times seeds) this engine enumerates (point indices are ints). */
    public static final long MAX_POINTS = Integer.MAX_VALUE;

    static final List<String> TOP_KEYS = List.of("version", "name", "description", "model", "machine", "strategy",
            "bits", "samples", "subsample", "seeds", "seeding", "data", "axes");
    /** Values of {@code data}: the real test sets, or seeded random images (cost-only sweeps, smoke tests). */
    public static final List<String> DATA = List.of("dirty-mnist-lite", "random-images");
    /** The parameters an axis may set besides the machine's dotted keys. */
    public static final List<String> PARAMETERS = List.of("model", "machine", "strategy", "bits", "samples", "noise_scale");

    /** How a point's seed is derived: never from the order in which points run. */
    public enum Seeding {
        /**
         * Every point of one sweep seed uses that seed itself: all points share common random numbers
         * (paired comparisons across the grid; a point is reproduced by {@code bmsim replay --seed}).
         */
        COMMON,
        /** Each point gets SplitMix64(seed xor hash(canonical key)): independent noise per point. */
        PER_POINT;

        static Seeding parse(String s) {
            return switch (s) {
                case "common" -> COMMON;
                case "per-point" -> PER_POINT;
                default -> throw new BadInputException("seeding: unknown '" + s + "'; known: common, per-point");
            };
        }

        public String id() {
            return this == COMMON ? "common" : "per-point";
        }
    }

    /** One grid dimension: its parameters and its rows (one value per parameter). */
    public record Dimension(String kind, List<String> params, List<List<JsonNode>> rows) {
        public int size() {
            return rows.size();
        }
    }

    /** One point: its index in the sweep, canonical key, axis values, sweep seed and replay seed. */
    public record Point(int index, String key, Map<String, JsonNode> values, long sweepSeed, long seed) {
    }

    private static final YAMLMapper YAML = YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    /** Reads and validates a sweep file (relative paths in it are relative to its folder). */
    public static SweepSpec read(Path file) {
        return read(file, null);
    }

    /**
     * Reads a sweep file with another base model than its {@code model:} ({@code bmsim sweep --model});
     * the override is part of the sweep's identity (its SHA-256), so a folder is never resumed with
     * another model.
     */
    public static SweepSpec read(Path file, Path modelOverride) {
        if (!Files.isRegularFile(file)) {
            throw new BadInputException("sweep file " + file + " does not exist or is not a file");
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BadInputException(file + ": " + e.getMessage());
        }
        Path dir = file.toAbsolutePath().getParent();
        return parse(text, file.toString(), dir, modelOverride);
    }

    /** Parses and validates sweep YAML text; {@code source} names it in errors. */
    public static SweepSpec parse(String text, String source, Path baseDir) {
        return parse(text, source, baseDir, null);
    }

    /** Parses with an optional model override (see {@link #read(Path, Path)}). */
    public static SweepSpec parse(String text, String source, Path baseDir, Path modelOverride) {
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (JacksonException e) {
            throw new BadInputException(source + ": " + e.getOriginalMessage().split("\n")[0]);
        }
        if (root == null || !root.isObject()) {
            throw new BadInputException(source + ": not a YAML mapping");
        }
        try {
            String override = modelOverride == null ? null : modelOverride.toAbsolutePath().normalize().toString();
            String identity = override == null ? text : text + "\nmodel=" + override;
            return of(root, source, Sha256.of(identity.getBytes(StandardCharsets.UTF_8)), baseDir, override);
        } catch (BadInputException e) {
            throw new BadInputException(source + ": " + BadInputException.excerpt(e.getMessage(), 400));
        }
    }

    private static SweepSpec of(JsonNode root, String source, String sha, Path baseDir, String modelOverride) {
        for (String k : root.propertyNames()) {
            if (!TOP_KEYS.contains(k)) {
                throw new BadInputException("unknown key '" + k + "' (top level); known: " + String.join(", ", TOP_KEYS));
            }
        }
        int version = intKey(root, "version", 1, 1, 1);
        if (version != 1) {
            throw new BadInputException("version must be 1");
        }
        String name = stringKey(root, "name", null);
        if (!name.matches("[a-z0-9][a-z0-9._-]*")) {
            throw new BadInputException("name must be lower-case letters, digits, '.', '_' or '-', got '" + name + "'");
        }
        String description = stringKey(root, "description", "");
        String model = modelOverride != null ? modelOverride : stringKey(root, "model", null);
        String machine = stringKey(root, "machine", Machines.DEFAULT);
        String strategy = stringKey(root, "strategy", "jq");
        int bits = intKey(root, "bits", 4, 1, 16);
        int samples = intKey(root, "samples", 100, 1, 1_000_000);
        int subsample = intKey(root, "subsample", 1, 1, 1_000_000);
        List<Long> seeds = new ArrayList<>();
        JsonNode s = root.get("seeds");
        if (s == null) {
            seeds.add(1L);
        } else {
            if (!s.isArray() || s.isEmpty()) {
                throw new BadInputException("seeds must be a non-empty list of integers, e.g. [1, 2]");
            }
            for (JsonNode v : s) {
                if (!v.isIntegralNumber()) {
                    throw new BadInputException("seeds: '" + v + "' is not an integer");
                }
                if (!v.canConvertToLong()) {
                    throw new BadInputException("seeds: " + v + " is outside the 64-bit integer range");
                }
                if (seeds.contains(v.longValue())) {
                    throw new BadInputException("seeds: duplicate seed " + v.longValue());
                }
                seeds.add(v.longValue());
            }
        }
        Seeding seeding = Seeding.parse(stringKey(root, "seeding", "common"));
        String data = stringKey(root, "data", DATA.get(0));
        if (!DATA.contains(data)) {
            throw new BadInputException("data: unknown '" + data + "'; known: " + String.join(", ", DATA));
        }
        JsonNode axes = root.get("axes");
        if (axes == null || !axes.isArray() || axes.isEmpty()) {
            throw new BadInputException("axes must be a non-empty list of dimensions (docs/sweeps.md), e.g. "
                    + "[{adc.bits: [4, 6, 8]}]");
        }
        List<Dimension> dims = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (JsonNode a : axes) {
            Dimension d = dimension(a);
            for (String p : d.params()) {
                if (!seen.add(p)) {
                    throw new BadInputException("duplicate axis '" + p + "' (a parameter may appear in one axis only)");
                }
            }
            dims.add(d);
        }
        SweepSpec spec = new SweepSpec(name, description, Path.of(source), sha, model, machine, strategy, bits, samples,
                subsample, List.copyOf(seeds), seeding, List.copyOf(dims), baseDir, data);
        spec.validate();
        return spec;
    }

    private static String stringKey(JsonNode root, String key, String dflt) {
        JsonNode v = root.get(key);
        if (v == null || v.isNull()) {
            if (dflt == null) {
                throw new BadInputException("missing key '" + key + "' (top level)");
            }
            return dflt;
        }
        if (!v.isString() || v.asString().isBlank()) {
            throw new BadInputException("'" + key + "' must be a non-empty string, got " + v);
        }
        return v.asString();
    }

    private static int intKey(JsonNode root, String key, int dflt, int lo, int hi) {
        JsonNode v = root.get(key);
        return v == null || v.isNull() ? dflt : integer(key, v, lo, hi);
    }

    private static Dimension dimension(JsonNode a) {
        if (!a.isObject() || a.size() != 1) {
            throw new BadInputException("each axis is a mapping with one key: a parameter, 'zip' or 'list'; got " + a);
        }
        String k = a.propertyNames().iterator().next();
        JsonNode v = a.get(k);
        if (k.equals("zip")) {
            if (!v.isObject() || v.isEmpty()) {
                throw new BadInputException("zip must map parameters to lists of equal length");
            }
            List<String> params = new ArrayList<>(v.propertyNames());
            int n = -1;
            for (String p : params) {
                JsonNode vals = values(p, v.get(p));
                if (n >= 0 && vals.size() != n) {
                    throw new BadInputException("zip: axis '" + p + "' has " + vals.size() + " values, '" + params.get(0)
                            + "' has " + n + " (zipped axes advance together and need equal lengths)");
                }
                n = vals.size();
            }
            List<List<JsonNode>> rows = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                List<JsonNode> row = new ArrayList<>();
                for (String p : params) {
                    row.add(v.get(p).get(i));
                }
                rows.add(row);
            }
            return new Dimension("zip", List.copyOf(params), rows);
        }
        if (k.equals("list")) {
            if (!v.isArray() || v.isEmpty()) {
                throw new BadInputException("axis 'list' is empty (give a list of points, each a mapping of parameters)");
            }
            List<String> params = null;
            List<List<JsonNode>> rows = new ArrayList<>();
            for (JsonNode pt : v) {
                if (!pt.isObject() || pt.isEmpty()) {
                    throw new BadInputException("list: each point is a non-empty mapping of parameters, got " + pt);
                }
                List<String> ps = new ArrayList<>(pt.propertyNames());
                if (params == null) {
                    params = ps;
                } else if (!new LinkedHashSet<>(ps).equals(new LinkedHashSet<>(params))) {
                    throw new BadInputException("list: every point must set the same parameters " + params + ", got " + ps);
                }
                List<JsonNode> row = new ArrayList<>();
                for (String p : params) {
                    JsonNode x = pt.get(p);
                    scalar(p, x);
                    row.add(x);
                }
                rows.add(row);
            }
            return new Dimension("list", List.copyOf(params), rows);
        }
        JsonNode vals = values(k, v);
        List<List<JsonNode>> rows = new ArrayList<>();
        for (JsonNode x : vals) {
            rows.add(List.of(x));
        }
        return new Dimension("grid", List.of(k), rows);
    }

    private static JsonNode values(String p, JsonNode v) {
        if (v == null || !v.isArray()) {
            throw new BadInputException("axis '" + p + "' must be a list of values, got " + v);
        }
        if (v.isEmpty()) {
            throw new BadInputException("axis '" + p + "' is empty");
        }
        Set<String> distinct = new LinkedHashSet<>();
        for (JsonNode x : v) {
            scalar(p, x);
            if (!distinct.add(canonical(x))) {
                throw new BadInputException("axis '" + p + "' repeats the value " + shown(x));
            }
        }
        return v;
    }

    private static void scalar(String p, JsonNode x) {
        if (x == null || !(x.isNumber() || x.isString() || x.isBoolean())) {
            throw new BadInputException("axis '" + p + "': value " + x + " is not a number, string or boolean");
        }
    }

    /** The canonical text of a value: numbers without trailing zeros (1.0 and 1 are the same point). */
    public static String canonical(JsonNode x) {
        if (x.isNumber() && !finite(x)) {
            return x.toString();
        }
        if (x.isNumber()) {
            BigDecimal d = x.decimalValue().stripTrailingZeros();
            return d.scale() <= 0 ? d.toBigInteger().toString() : d.toPlainString();
        }
        return x.isValueNode() ? x.asString() : x.toString();
    }

    /** A value as quoted in a one-line error: its canonical text, control characters escaped, at most 80 characters. */
    private static String shown(JsonNode x) {
        return BadInputException.excerpt(canonical(x));
    }

    /** False for YAML's .nan, .inf and -.inf (numbers without a decimal value). */
    private static boolean finite(JsonNode x) {
        return !x.isFloatingPointNumber() || Double.isFinite(x.doubleValue());
    }

    // ---- validation and resolution ----

    /** Every parameter of every axis, in axis order. */
    public List<String> parameters() {
        List<String> ps = new ArrayList<>();
        for (Dimension d : dimensions) {
            ps.addAll(d.params());
        }
        return ps;
    }

    /** Points times seeds; a BadInputException beyond {@link #MAX_POINTS}. */
    public long size() {
        long n = seeds.size();
        for (Dimension d : dimensions) {
            n *= d.size();
            if (n > MAX_POINTS) {
                throw new BadInputException("the sweep has more than " + MAX_POINTS + " points; split it into several files");
            }
        }
        return n;
    }

    /** Fails unless the sweep is small enough or the user said {@code --yes}. */
    public void checkSize(boolean yes) {
        long n = size();
        if (n > MAX_POINTS_WITHOUT_YES && !yes) {
            throw new BadInputException("the sweep has " + n + " points (more than " + MAX_POINTS_WITHOUT_YES
                    + "); rerun with --yes if you mean it");
        }
    }

    private void validate() {
        // The base alone, then every value of every axis alone, then (up to RESOLVE_ALL_LIMIT) every point.
        Map<String, JsonNode> none = Map.of();
        resolve(none);
        ObjectNode baseTree = machineTree(machine);
        for (Dimension d : dimensions) {
            for (String p : d.params()) {
                if (!PARAMETERS.contains(p)) {
                    checkMachinePath(baseTree, p);
                }
            }
            for (List<JsonNode> row : d.rows()) {
                Map<String, JsonNode> vals = new LinkedHashMap<>();
                for (int i = 0; i < d.params().size(); i++) {
                    vals.put(d.params().get(i), row.get(i));
                }
                resolve(vals);
            }
        }
        long n = size();
        if (n <= RESOLVE_ALL_LIMIT) {
            for (int i = 0; i < n; i += seeds.size()) {
                resolve(point(i).values());
            }
        }
    }

    private static final Pattern UNIT = Pattern.compile("(.*)_(us|ns|ps|ms|s|v|pj|fj|ghz|mhz|lsb|bits)$");

    private static void checkMachinePath(ObjectNode tree, String path) {
        String[] parts = path.split("\\.");
        JsonNode n = tree;
        String at = "";
        for (String part : parts) {
            JsonNode next = n.isObject() ? n.get(part) : null;
            if (next == null) {
                String known = n.isObject() ? String.join(", ", n.propertyNames()) : "(none: '" + at + "' is a value)";
                Matcher m = UNIT.matcher(part);
                if (m.matches() && n.isObject()) {
                    for (String k : n.propertyNames()) {
                        Matcher km = UNIT.matcher(k);
                        if (km.matches() && km.group(1).equals(m.group(1))) {
                            throw new BadInputException("axis '" + path + "': wrong unit '" + m.group(2)
                                    + "'; the machine key is '" + (at.isEmpty() ? "" : at + ".") + k + "'");
                        }
                    }
                }
                throw new BadInputException("unknown parameter '" + path + "'" + (at.isEmpty() ? "" : " (no key '" + part
                        + "' in " + at + ")") + "; known: " + (at.isEmpty() ? String.join(", ", PARAMETERS) + " and the "
                        + "machine keys " + known : known));
            }
            n = next;
            at = at.isEmpty() ? part : at + "." + part;
        }
        if (n.isObject()) {
            throw new BadInputException("axis '" + path + "' names a block, not a value; its keys: "
                    + String.join(", ", n.propertyNames()));
        }
    }

    private static final YAMLMapper TREE = YAMLMapper.builder().build();

    static ObjectNode machineTree(String nameOrFile) {
        return (ObjectNode) TREE.readTree(Machines.toYaml(Machines.load(nameOrFile)));
    }

    /** A point's fully resolved configuration. */
    public record Resolved(MachineDescription machine, QuantSpec quant, Path model, double noiseScale, int samples) {
    }

    /** Resolves axis values against the base: the machine, quantization, model, noise scale and samples. */
    public Resolved resolve(Map<String, JsonNode> values) {
        String machineName = values.containsKey("machine") ? str("machine", values.get("machine")) : machine;
        String strat = values.containsKey("strategy") ? str("strategy", values.get("strategy")) : strategy;
        int b = values.containsKey("bits") ? integer("bits", values.get("bits"), 1, 16) : bits;
        int smp = values.containsKey("samples") ? integer("samples", values.get("samples"), 1, 1_000_000) : samples;
        double scale = 1.0;
        if (values.containsKey("noise_scale")) {
            JsonNode v = values.get("noise_scale");
            if (!v.isNumber()) {
                throw new BadInputException("noise_scale: '" + shown(v) + "' is not a number (a plain factor, no unit)");
            }
            scale = NoiseScale.check(v.doubleValue());
        }
        String modelName = values.containsKey("model") ? str("model", values.get("model")) : model;
        Path modelPath = modelPath(modelName);
        QuantSpec q = ReplayRun.strategy(strat, strat.trim().equalsIgnoreCase("fp") ? null : b);
        MachineDescription m;
        boolean machineAxes = values.keySet().stream().anyMatch(k -> !PARAMETERS.contains(k));
        if (!machineAxes) {
            m = Machines.load(machinePath(machineName));
        } else {
            ObjectNode tree = machineTree(machinePath(machineName));
            for (Map.Entry<String, JsonNode> e : values.entrySet()) {
                if (!PARAMETERS.contains(e.getKey())) {
                    set(tree, e.getKey(), e.getValue());
                }
            }
            m = Machines.parse(TREE.writeValueAsString(tree), "machine " + machineName + " with " + describe(values));
        }
        ReplayRun.check(m, q);
        return new Resolved(m, q, modelPath, scale, smp);
    }

    private String machinePath(String nameOrFile) {
        if (Machines.PRESETS.contains(nameOrFile) || baseDir == null) {
            return nameOrFile;
        }
        Path p = Path.of(nameOrFile);
        return (p.isAbsolute() ? p : baseDir.resolve(p)).toString();
    }

    private Path modelPath(String name) {
        String n = name.startsWith("~/") ? System.getProperty("user.home") + name.substring(1) : name;
        Path p = Path.of(n);
        if (!p.isAbsolute() && baseDir != null) {
            p = baseDir.resolve(p);
        }
        if (!Files.isRegularFile(p)) {
            throw new BadInputException("model file " + p + " does not exist");
        }
        return p;
    }

    private static void set(ObjectNode tree, String path, JsonNode value) {
        String[] parts = path.split("\\.");
        ObjectNode n = tree;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode next = n.get(parts[i]);
            if (!(next instanceof ObjectNode o)) {
                throw new BadInputException("unknown parameter '" + path + "'");
            }
            n = o;
        }
        String leaf = parts[parts.length - 1];
        JsonNode old = n.get(leaf);
        if (old == null) {
            checkMachinePath(tree, path);
        }
        if (old.isNumber()) {
            if (!value.isNumber()) {
                String unit = UNIT.matcher(leaf).matches() ? " in " + UNIT.matcher(leaf).replaceAll("$2") : "";
                throw new BadInputException(path + ": '" + shown(value) + "' must be a plain number" + unit
                        + " (the unit is in the key's name)");
            }
            if (!finite(value)) {
                throw new BadInputException(path + ": '" + shown(value) + "' must be a finite number");
            }
            if (old.isIntegralNumber() && !isIntegral(value)) {
                throw new BadInputException(path + ": '" + shown(value) + "' must be an integer");
            }
            if (old.isIntegralNumber() && !value.canConvertToLong()
                    && value.decimalValue().abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
                throw new BadInputException(path + ": " + shown(value) + " is outside the 64-bit integer range");
            }
            n.set(leaf, old.isIntegralNumber() ? JsonNodeFactory.instance.numberNode(value.decimalValue().longValueExact())
                    : JsonNodeFactory.instance.numberNode(value.doubleValue()));
        } else if (old.isBoolean()) {
            if (!value.isBoolean()) {
                throw new BadInputException(path + ": '" + shown(value) + "' must be true or false");
            }
            n.set(leaf, value);
        } else {
            n.set(leaf, JsonNodeFactory.instance.stringNode(canonical(value)));
        }
    }

    private static boolean isIntegral(JsonNode v) {
        return v.isNumber() && finite(v) && v.decimalValue().stripTrailingZeros().scale() <= 0;
    }

    private static String str(String p, JsonNode v) {
        if (!v.isString()) {
            throw new BadInputException(p + ": '" + shown(v) + "' must be a string");
        }
        return v.asString();
    }

    private static int integer(String p, JsonNode v, int lo, int hi) {
        if (!isIntegral(v)) {
            throw new BadInputException(p + ": '" + shown(v) + "' must be an integer");
        }
        BigDecimal x = v.decimalValue();
        if (x.compareTo(BigDecimal.valueOf(lo)) < 0 || x.compareTo(BigDecimal.valueOf(hi)) > 0) {
            throw new BadInputException(p + " must be in [" + lo + ", " + hi + "], got " + shown(v));
        }
        return x.intValue();
    }

    private static String describe(Map<String, JsonNode> values) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, JsonNode> e : values.entrySet()) {
            b.append(b.length() == 0 ? "" : ", ").append(e.getKey()).append('=').append(canonical(e.getValue()));
        }
        return b.toString();
    }

    // ---- points ----

    /**
     * Point {@code index} of the sweep: dimensions in file order (the last varies fastest), then the
     * seeds (fastest of all). Its key is the canonical {@code param=value} list sorted by parameter,
     * plus {@code seed=N}: it names the point in every output, whatever the order they ran in.
     */
    public Point point(int index) {
        long n = size();
        if (index < 0 || index >= n) {
            throw new IllegalArgumentException("point " + index + " of " + n);
        }
        int si = index % seeds.size();
        int rest = index / seeds.size();
        int[] pos = new int[dimensions.size()];
        for (int d = dimensions.size() - 1; d >= 0; d--) {
            pos[d] = rest % dimensions.get(d).size();
            rest /= dimensions.get(d).size();
        }
        Map<String, JsonNode> values = new LinkedHashMap<>();
        for (int d = 0; d < dimensions.size(); d++) {
            Dimension dim = dimensions.get(d);
            for (int i = 0; i < dim.params().size(); i++) {
                values.put(dim.params().get(i), dim.rows().get(pos[d]).get(i));
            }
        }
        long sweepSeed = seeds.get(si);
        String key = key(values, sweepSeed);
        long seed = seeding == Seeding.COMMON ? sweepSeed : pointSeed(sweepSeed, key(values, null));
        return new Point(index, key, values, sweepSeed, seed);
    }

    /** The canonical key of axis values (and seed, unless null). */
    public static String key(Map<String, JsonNode> values, Long seed) {
        TreeMap<String, String> sorted = new TreeMap<>();
        values.forEach((k, v) -> sorted.put(k, canonical(v)));
        StringBuilder b = new StringBuilder();
        sorted.forEach((k, v) -> b.append(b.length() == 0 ? "" : ",").append(k).append('=').append(v));
        if (seed != null) {
            b.append(b.length() == 0 ? "" : ",").append("seed=").append(seed);
        }
        return b.toString();
    }

    /** SplitMix64 of the sweep seed and the first 64 bits of SHA-256(key): a function of the point only. */
    static long pointSeed(long sweepSeed, String key) {
        String h = Sha256.of(key.getBytes(StandardCharsets.UTF_8));
        long k = Long.parseUnsignedLong(h.substring(0, 16), 16);
        return SplitMix64.mix(sweepSeed ^ SplitMix64.mix(k)) & Long.MAX_VALUE;
    }

}
