package org.bmsim.examples.sweep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bmsim.common.AtomicFiles;
import org.bmsim.common.BadInputException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The durable output folder of a sweep (docs/sweeps.md, "Outputs" and "Resume"):
 * <ul>
 * <li>{@code results.jsonl}: one line per finished point, appended and fsynced before the point
 * counts as done: the commit record;</li>
 * <li>{@code results.csv}: the same points in long format (one row per point and metric), appended
 * and fsynced after the JSONL line; rebuilt from the JSONL on every start, so a crash between the two
 * appends neither loses nor doubles a row; rewritten in point order when the sweep completes;</li>
 * <li>{@code manifest.json}: the sweep file's SHA-256, seeds, shard, git commit, JDK and kernels;</li>
 * <li>{@code sweep.yaml}: a copy of the sweep file.</li>
 * </ul>
 * On start, a JSONL line without its final newline (a write torn by a crash) is cut off; its point
 * runs again. A folder that holds another sweep (different SHA-256 or shard) is refused.
 */
public final class SweepOutput implements AutoCloseable {
    public static final String JSONL = "results.jsonl";
    public static final String CSV = "results.csv";
    public static final String MANIFEST = "manifest.json";
    public static final String SPEC_COPY = "sweep.yaml";

    private final Path dir;
    private final List<String> params;
    /** Keys of the finished points (the records themselves stay on disk: a sweep may hold millions). */
    private final java.util.Set<String> done;
    private final FileChannel jsonl;
    private final FileChannel csv;
    private final ObjectNode manifest;

    private SweepOutput(Path dir, List<String> params, java.util.Set<String> done, FileChannel jsonl, FileChannel csv,
            ObjectNode manifest) {
        this.dir = dir;
        this.params = params;
        this.done = done;
        this.jsonl = jsonl;
        this.csv = csv;
        this.manifest = manifest;
    }

    /** Opens (creating or resuming) the folder of {@code spec}'s shard {@code shard}. */
    public static SweepOutput open(Path dir, SweepSpec spec, String specText, Shard shard, Map<String, Object> run) {
        try {
            Files.createDirectories(dir);
            Path mf = dir.resolve(MANIFEST);
            ObjectNode manifest;
            if (Files.exists(mf)) {
                manifest = (ObjectNode) SweepRecord.JSON.readTree(Files.readString(mf));
                String sha = manifest.path("spec_sha256").asString("");
                String sh = manifest.path("shard").asString("");
                if (!sha.equals(spec.sha256())) {
                    throw new BadInputException(dir + " holds the results of another sweep file (sha256 " + sha
                            + ", this one " + spec.sha256() + "); use a new --out folder");
                }
                if (!sh.equals(shard.id())) {
                    throw new BadInputException(dir + " holds shard " + sh + ", not " + shard.id() + "; use a new --out folder");
                }
                manifest.put("sessions", manifest.path("sessions").asInt(1) + 1);
            } else {
                manifest = SweepRecord.JSON.createObjectNode();
                manifest.put("sweep", spec.name());
                manifest.put("spec_file", spec.source().toString());
                manifest.put("spec_sha256", spec.sha256());
                manifest.put("points_total", spec.size());
                manifest.put("shard", shard.id());
                manifest.put("points_in_shard", shard.count(spec.size()));
                manifest.set("seeds", SweepRecord.JSON.valueToTree(spec.seeds()));
                manifest.put("seeding", spec.seeding().id());
                manifest.put("samples", spec.samples());
                manifest.put("subsample", spec.subsample());
                manifest.set("parameters", SweepRecord.JSON.valueToTree(spec.parameters()));
                manifest.set("environment", SweepRecord.JSON.valueToTree(environment()));
                manifest.put("created", Instant.now().toString());
                manifest.put("sessions", 1);
                AtomicFiles.writeString(dir.resolve(SPEC_COPY), specText);
            }
            manifest.set("last_session", SweepRecord.JSON.valueToTree(run));
            manifest.put("complete", false);
            AtomicFiles.writeString(mf, SweepRecord.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(manifest) + "\n");
            Map<String, SweepRecord> journal = readJournal(dir.resolve(JSONL), true);
            // The CSV is derived from the journal: rebuild it, then append.
            List<String> params = spec.parameters();
            writeCsv(dir.resolve(CSV), params, journal.values(), false);
            java.util.Set<String> done = new java.util.HashSet<>(journal.keySet());
            FileChannel j = FileChannel.open(dir.resolve(JSONL), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
            FileChannel c = FileChannel.open(dir.resolve(CSV), StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            return new SweepOutput(dir, params, done, j, c, manifest);
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * The records of a journal by key. With {@code repair}, a last line without its newline (torn by
     * a crash) is cut from the file; without, it is ignored.
     */
    public static Map<String, SweepRecord> readJournal(Path file, boolean repair) throws IOException {
        Map<String, SweepRecord> done = new LinkedHashMap<>();
        int lineNo = 0;
        for (String line : org.bmsim.common.Journal.completeLines(file, repair)) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            SweepRecord r = SweepRecord.parse(line, file + " line " + lineNo);
            if (done.putIfAbsent(r.key(), r) != null) {
                throw new BadInputException(file + " line " + lineNo + ": point " + r.key() + " appears twice");
            }
        }
        return done;
    }

    /** Writes a CSV of records (atomically); {@code sorted} puts them in point order. */
    public static void writeCsv(Path file, List<String> params, java.util.Collection<SweepRecord> records, boolean sorted) {
        List<SweepRecord> rs = new ArrayList<>(records);
        if (sorted) {
            rs.sort(Comparator.comparingInt(SweepRecord::index));
        }
        StringBuilder b = new StringBuilder(SweepRecord.csvHeader(params));
        for (SweepRecord r : rs) {
            b.append(r.csvRows(params));
        }
        AtomicFiles.writeString(file, b.toString());
    }

    /** Whether the point with this key is already done. */
    public boolean isDone(String key) {
        synchronized (this) {
            return done.contains(key);
        }
    }

    public int doneCount() {
        synchronized (this) {
            return done.size();
        }
    }

    /** Appends a finished point durably: the JSONL line (fsync), then its CSV rows (fsync). */
    public void append(SweepRecord r) {
        byte[] line = (r.jsonLine() + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] rows = r.csvRows(params).getBytes(StandardCharsets.UTF_8);
        synchronized (this) {
            if (done.contains(r.key())) {
                throw new IllegalStateException("point " + r.key() + " finished twice");
            }
            try {
                writeFully(jsonl, line);
                jsonl.force(true);
                writeFully(csv, rows);
                csv.force(true);
            } catch (IOException e) {
                throw new UncheckedIOException(dir + ": " + e.getMessage(), e);
            }
            done.add(r.key());
        }
    }

    private static void writeFully(FileChannel ch, byte[] b) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(b);
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    /** Every finished record, read back from the journal. */
    public List<SweepRecord> records() {
        synchronized (this) {
            try {
                return new ArrayList<>(readJournal(dir.resolve(JSONL), false).values());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Marks the sweep complete: CSV in point order, the manifest's summary. */
    public void complete(Map<String, Object> summary) {
        synchronized (this) {
            writeCsv(dir.resolve(CSV), params, records(), true);
            manifest.put("complete", true);
            manifest.set("summary", SweepRecord.JSON.valueToTree(summary));
            manifest.put("completed", Instant.now().toString());
            AtomicFiles.writeString(dir.resolve(MANIFEST),
                    SweepRecord.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(manifest) + "\n");
        }
    }

    @Override
    public void close() {
        try {
            jsonl.close();
            csv.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The manifest of a folder, or a BadInputException when it has none. */
    public static JsonNode manifest(Path dir) {
        Path mf = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(mf)) {
            throw new BadInputException(dir + " is not a sweep output folder (no " + MANIFEST + ")");
        }
        try {
            return SweepRecord.JSON.readTree(Files.readString(mf));
        } catch (IOException | tools.jackson.core.JacksonException e) {
            throw new BadInputException(mf + ": unreadable (" + e.getMessage() + ")");
        }
    }

    /** Where and with what this sweep runs: git commit, JDK, CPU and the compute kernels. */
    public static Map<String, Object> environment() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("git_commit", git("rev-parse", "HEAD"));
        String dirty = git("status", "--porcelain", "--untracked-files=no");
        m.put("git_dirty", dirty == null ? null : !dirty.isEmpty());
        m.put("java_version", System.getProperty("java.version"));
        m.put("java_vm", System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"));
        m.put("java_vendor", System.getProperty("java.vendor"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        m.put("processors", Runtime.getRuntime().availableProcessors());
        m.put("max_heap_mb", Runtime.getRuntime().maxMemory() >> 20);
        m.put("kernels", "Gemm and MvmKernels on jdk.incubator.vector FloatVector.SPECIES_256 (module "
                + (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent() ? "present" : "absent") + ")");
        return m;
    }

    private static String git(String... args) {
        try {
            List<String> cmd = new ArrayList<>(List.of("git"));
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return null;
            }
            return out;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
