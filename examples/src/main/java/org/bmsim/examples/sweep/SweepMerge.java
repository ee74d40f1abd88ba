package org.bmsim.examples.sweep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bmsim.common.AtomicFiles;
import org.bmsim.common.BadInputException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code bmsim sweep merge}: the output folders of the shards of one sweep (or of the Spark engine)
 * into one folder. Every folder must hold the same sweep file (same SHA-256); a point found twice is
 * refused (a shard was run with the wrong k/N); so are missing points unless {@code partial}.
 */
public final class SweepMerge {
    private SweepMerge() {
    }

    public record Result(int points, long total) {
    }

    public static Result merge(List<Path> dirs, Path out, boolean partial) {
        if (dirs.isEmpty()) {
            throw new BadInputException("merge needs at least one shard folder");
        }
        String sha = null;
        JsonNode first = null;
        Map<String, SweepRecord> all = new LinkedHashMap<>();
        ArrayNode shards = SweepRecord.JSON.createArrayNode();
        for (Path d : dirs) {
            if (d.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())) {
                throw new BadInputException("--out " + out + " is also an input folder");
            }
            JsonNode m = SweepOutput.manifest(d);
            String s = m.path("spec_sha256").asString("");
            if (sha == null) {
                sha = s;
                first = m;
            } else if (!sha.equals(s)) {
                throw new BadInputException(d + " holds another sweep file (sha256 " + s + ", " + dirs.get(0) + " has " + sha + ")");
            }
            Map<String, SweepRecord> recs;
            try {
                recs = SweepOutput.readJournal(d.resolve(SweepOutput.JSONL), false);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            for (SweepRecord r : recs.values()) {
                if (all.putIfAbsent(r.key(), r) != null) {
                    throw new BadInputException("point " + r.key() + " is in two folders (" + d + " and another)");
                }
            }
            ObjectNode sh = shards.addObject();
            sh.put("folder", d.toString());
            sh.put("shard", m.path("shard").asString(""));
            sh.put("points", recs.size());
            sh.set("environment", m.path("environment"));
            sh.set("summary", m.path("summary"));
        }
        long total = first.path("points_total").asLong();
        if (all.size() < total && !partial) {
            throw new BadInputException("the folders hold " + all.size() + " of " + total + " points; run the missing shards "
                    + "or merge with --partial");
        }
        List<String> params = new ArrayList<>();
        first.path("parameters").forEach(p -> params.add(p.asString()));
        List<SweepRecord> rs = new ArrayList<>(all.values());
        rs.sort(Comparator.comparingInt(SweepRecord::index));
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StringBuilder jl = new StringBuilder();
        for (SweepRecord r : rs) {
            jl.append(r.jsonLine()).append('\n');
        }
        AtomicFiles.writeString(out.resolve(SweepOutput.JSONL), jl.toString());
        SweepOutput.writeCsv(out.resolve(SweepOutput.CSV), params, rs, true);
        Path spec = dirs.get(0).resolve(SweepOutput.SPEC_COPY);
        if (Files.isRegularFile(spec)) {
            try {
                AtomicFiles.writeString(out.resolve(SweepOutput.SPEC_COPY), Files.readString(spec));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        ObjectNode m = (ObjectNode) first.deepCopy();
        m.put("shard", "merged");
        m.put("points_in_shard", rs.size());
        m.set("shards", shards);
        m.remove("last_session");
        m.remove("summary");
        m.put("complete", rs.size() == total);
        m.put("merged", Instant.now().toString());
        AtomicFiles.writeString(out.resolve(SweepOutput.MANIFEST),
                SweepRecord.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(m) + "\n");
        return new Result(rs.size(), total);
    }
}
