package org.bmsim.examples.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bmsim.sim.data.ImageSet;

/** What the cache holds, as rows for a table and as a JSON-ready tree. */
public final class DataInfo {
    private DataInfo() {
    }

    /** One split, loaded and summarised. */
    public record Row(String set, String split, String source, int count, int rows, int cols, int[] classCounts,
            double meanPixel, String imagesSha256, String labelsSha256) {
    }

    /** Loads every split in the manifest and summarises it (the load also validates the files). */
    public static List<Row> rows(DataCache cache) {
        List<Row> out = new ArrayList<>();
        for (var set : cache.manifest().sets().entrySet()) {
            for (var split : set.getValue().splits().entrySet()) {
                ImageSet s = cache.load(set.getKey(), split.getKey());
                DataCache.Split m = split.getValue();
                out.add(new Row(set.getKey(), split.getKey(), set.getValue().source(), s.count(), s.rows(), s.cols(),
                        s.classCounts(m.classes()), s.count() == 0 ? 0 : s.pixelSum() / (double) s.pixels().length,
                        m.imagesSha256(), m.labelsSha256()));
            }
        }
        return out;
    }

    /** The JSON form: {@code {cache, sets: {name: {source, count, splits: {split: {...}}}}}}. */
    public static Map<String, Object> json(DataCache cache, List<Row> rows) {
        Map<String, Object> sets = new LinkedHashMap<>();
        for (Row r : rows) {
            @SuppressWarnings("unchecked")
            Map<String, Object> set = (Map<String, Object>) sets.computeIfAbsent(r.set(), k -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("source", r.source());
                m.put("count", 0);
                m.put("splits", new LinkedHashMap<String, Object>());
                return m;
            });
            set.put("count", (Integer) set.get("count") + r.count());
            Map<String, Object> sp = new LinkedHashMap<>();
            sp.put("count", r.count());
            sp.put("image_shape", List.of(r.rows(), r.cols()));
            sp.put("classes", r.classCounts().length);
            sp.put("class_counts", r.classCounts());
            sp.put("mean_pixel", Math.round(r.meanPixel() * 1000) / 1000.0);
            sp.put("images_sha256", r.imagesSha256());
            sp.put("labels_sha256", r.labelsSha256());
            @SuppressWarnings("unchecked")
            Map<String, Object> splits = (Map<String, Object>) set.get("splits");
            splits.put(r.split(), sp);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("cache", cache.root().toString());
        root.put("sets", sets);
        return root;
    }

    /** A fixed-width table for a terminal. */
    public static String table(List<Row> rows) {
        StringBuilder b = new StringBuilder();
        b.append(String.format("%-14s %-6s %8s %6s %8s %10s  %-12s  %s%n", "set", "split", "images", "shape", "classes",
                "mean px", "images sha", "source"));
        for (Row r : rows) {
            b.append(String.format("%-14s %-6s %8d %6s %8d %10.2f  %-12s  %s%n", r.set(), r.split(), r.count(),
                    r.rows() + "x" + r.cols(), r.classCounts().length, r.meanPixel(),
                    r.imagesSha256().substring(0, 12), r.source()));
        }
        return b.toString();
    }
}
