package org.bmsim.examples.sweep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bmsim.common.BadInputException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * One line of {@code results.jsonl} and its rows of {@code results.csv}: a finished point with its
 * axis values (canonical text), seeds, metrics, wall time and resolved configuration. The JSONL line
 * is the commit record of a point; the CSV is derived from it (docs/sweeps.md, "Resume").
 */
public record SweepRecord(int index, String key, long sweepSeed, long seed, Map<String, String> values,
        Map<String, Double> metrics, double seconds, Map<String, Object> config) {

    static final JsonMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();

    /** One JSON line (no newline). */
    public String jsonLine() {
        ObjectNode o = JSON.createObjectNode();
        o.put("index", index);
        o.put("key", key);
        o.put("sweep_seed", sweepSeed);
        o.put("seed", seed);
        o.set("values", JSON.valueToTree(values));
        ObjectNode m = o.putObject("metrics");
        metrics.forEach((k, v) -> {
            if (v == null) {
                m.putNull(k);
            } else {
                m.put(k, v);
            }
        });
        o.put("seconds", seconds);
        o.set("config", JSON.valueToTree(config));
        return JSON.writeValueAsString(o);
    }

    /** Parses one JSON line; a bad line is bad input naming {@code where}. */
    public static SweepRecord parse(String line, String where) {
        try {
            JsonNode o = JSON.readTree(line);
            Map<String, String> values = new LinkedHashMap<>();
            o.get("values").properties().forEach(e -> values.put(e.getKey(), e.getValue().asString()));
            Map<String, Double> metrics = new LinkedHashMap<>();
            o.get("metrics").properties().forEach(e -> metrics.put(e.getKey(),
                    e.getValue().isNull() ? null : e.getValue().doubleValue()));
            @SuppressWarnings("unchecked")
            Map<String, Object> config = JSON.treeToValue(o.get("config"), LinkedHashMap.class);
            return new SweepRecord(o.get("index").intValue(), o.get("key").asString(), o.get("sweep_seed").longValue(),
                    o.get("seed").longValue(), values, metrics, o.get("seconds").doubleValue(), config);
        } catch (JacksonException | NullPointerException e) {
            throw new BadInputException(where + ": not a sweep result line (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** The CSV header of a sweep with these parameters (long format: one row per point and metric). */
    public static String csvHeader(List<String> params) {
        List<String> cols = new ArrayList<>();
        cols.add("index");
        cols.add("key");
        cols.add("sweep_seed");
        cols.add("seed");
        cols.addAll(params);
        cols.add("metric");
        cols.add("value");
        StringBuilder b = new StringBuilder();
        for (String c : cols) {
            b.append(b.length() == 0 ? "" : ",").append(csv(c));
        }
        return b.append('\n').toString();
    }

    /**
     * This point's CSV rows. Values are Java's shortest round-trip decimal text of each double, so
     * two runs agree in the CSV exactly when their metrics agree bit for bit; an undefined metric is
     * an empty field.
     */
    public String csvRows(List<String> params) {
        StringBuilder prefix = new StringBuilder();
        prefix.append(index).append(',').append(csv(key)).append(',').append(sweepSeed).append(',').append(seed);
        for (String p : params) {
            prefix.append(',').append(csv(values.getOrDefault(p, "")));
        }
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, Double> e : metrics.entrySet()) {
            b.append(prefix).append(',').append(e.getKey()).append(',')
                    .append(e.getValue() == null ? "" : Double.toString(e.getValue())).append('\n');
        }
        return b.toString();
    }

    static String csv(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
