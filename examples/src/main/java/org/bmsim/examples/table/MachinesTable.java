package org.bmsim.examples.table;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.bmsim.common.AtomicFiles;
import org.bmsim.common.BadInputException;
import org.bmsim.common.Sha256;
import org.bmsim.examples.data.DataCache;
import org.bmsim.examples.dirty.DirtyMnist;
import org.bmsim.examples.replay.ReplayRun;
import org.bmsim.examples.sweep.SweepContext;
import org.bmsim.examples.sweep.SweepOutput;
import org.bmsim.examples.train.DeviceAwareRun;
import org.bmsim.examples.train.EvalRun;
import org.bmsim.examples.train.TrainRun;
import org.bmsim.sim.data.FloatSet;
import org.bmsim.sim.data.RandomImages;
import org.bmsim.sim.io.ModelFile;
import org.bmsim.sim.machine.MachineDescription;
import org.bmsim.sim.machine.Machines;
import org.bmsim.sim.nn.Architecture;
import org.bmsim.sim.nn.Network;
import org.bmsim.sim.quant.QuantSpec;
import org.bmsim.sim.train.Checkpoint;
import org.bmsim.sim.train.TrainConfig;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code bmsim machines-table}: the answer of issue 11 in one command (docs/machine-results.md, "One
 * command: bmsim machines-table"). For each analog machine, three ways of putting the same float
 * model on it: the plain mapping ({@code replay --strategy fp --mapping plain}), the per-layer
 * mapping search ({@code --mapping search}) and device-aware training ({@code train --machine M --init
 * MODEL}, then {@code replay --mapping search} of the trained network); for a digital machine one
 * reference row ({@code --strategy jq --bits B}, the machine's width). Every row is a {@link ReplayRun}
 * against its own parent's float reference on the same images (the uncertainty error and its Monte
 * Carlo floor as {@code bmsim replay} reports them); the device-aware parents are also evaluated as
 * {@code bmsim eval} does ({@link EvalRun}) and compared with the original model.
 *
 * <p>Resumable: each finished row is appended to {@code rows.jsonl} and forced to disk before the next
 * starts; trained networks are written to {@code trained-<machine>.safetensors} and reused when their
 * metadata names the same parent (SHA-256), machine and training options. The same command again
 * computes only what is missing, then rewrites {@code table.md}, {@code table.csv} and {@code
 * table.json} atomically, from the journal alone.
 */
public final class MachinesTable {
    /** The ways of putting a model on an analog machine, in table order. */
    public static final List<String> WAYS = List.of("plain", "search", "trained");
    /** Test data: the real test sets, or seeded random images (smoke tests; metrics mean nothing). */
    public static final List<String> DATA = List.of("dirty-mnist-lite", "random-images");
    public static final String JOURNAL = "rows.jsonl";
    /** The acceptance of issue 11 for a device-aware parent against the original float model. */
    public static final double PARENT_ACCURACY_POINTS = 0.5;
    public static final double PARENT_AUROC = 0.01;
    /** The acceptance of issue 11 for a replay against its parent: uncertainty error, fidelity, realisable weights. */
    public static final double ERROR_MEAN_PCT = 5;
    public static final double ERROR_MAX_PCT = 15;
    public static final double REALISABLE = 0.99;
    /** A bound met exactly counts as met (one image of 200 is 0.5 point, which is 0.5000000000000004 in doubles). */
    private static final double TIE = 1e-9;

    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String[] SUBSETS = {"mnist", "ambiguous", "ood"};

    private MachinesTable() {
    }

    /**
     * What determines the table. {@code trainEpochs} and {@code trainLr} are those of {@code bmsim
     * train --machine}; the rest of the training recipe is {@link TrainConfig#reference}'s.
     */
    public record Options(Path model, List<String> machines, List<String> ways, int samples, int subsample, long seed,
            int trainEpochs, float trainLr, String data) {
        public static Options of(Path model, List<String> machines, List<String> ways, int samples, int subsample,
                long seed, int trainEpochs, float trainLr, String data) {
            if (machines == null || machines.isEmpty()) {
                throw new BadInputException("--machines needs at least one machine");
            }
            if (ways == null || ways.isEmpty()) {
                throw new BadInputException("--ways needs at least one of " + String.join(", ", WAYS));
            }
            List<String> w = new ArrayList<>();
            for (String s : ways) {
                String n = s.trim().toLowerCase(Locale.ROOT);
                if (!WAYS.contains(n)) {
                    throw new BadInputException("unknown way '" + s + "'; known: " + String.join(", ", WAYS));
                }
                if (!w.contains(n)) {
                    w.add(n);
                }
            }
            if (samples < 1) {
                throw new BadInputException("samples must be at least 1, got " + samples);
            }
            if (subsample < 1) {
                throw new BadInputException("--subsample must be >= 1, got " + subsample);
            }
            if (!DATA.contains(data)) {
                throw new BadInputException("--data: unknown '" + data + "'; known: " + String.join(", ", DATA));
            }
            if (trainEpochs < 1 || trainEpochs > 100_000) {
                throw new BadInputException("--train-epochs must be 1..100000, got " + trainEpochs);
            }
            if (!(trainLr > 0 && trainLr < 10)) {
                throw new BadInputException("--train-lr must be in (0, 10), got " + trainLr);
            }
            return new Options(model, List.copyOf(new LinkedHashSet<>(machines)), List.copyOf(w), samples, subsample,
                    seed, trainEpochs, trainLr, data);
        }
    }

    /** One row to compute: a replay ({@code way} plain, search, trained or reference) or a parent's evaluation. */
    record Task(String key, String kind, String machineArg, MachineDescription machine, String way) {
    }

    /** The validated plan: everything checked before a byte is written. */
    public static final class Plan {
        final Options options;
        final Network original;
        final String modelSha256;
        final String optionsSha256;
        final Map<String, MachineDescription> machines = new LinkedHashMap<>();
        final List<Task> tasks = new ArrayList<>();

        private Plan(Options o, Network original, String sha) {
            this.options = o;
            this.original = original;
            this.modelSha256 = sha;
            this.optionsSha256 = Sha256.of(("model " + sha + "|samples " + o.samples() + "|subsample " + o.subsample()
                    + "|seed " + o.seed() + "|data " + o.data() + "|train_epochs " + o.trainEpochs() + "|train_lr "
                    + o.trainLr()).getBytes(StandardCharsets.UTF_8));
        }

        /** The rows in table order. */
        public List<String> keys() {
            return tasks.stream().map(Task::key).toList();
        }
    }

    /** Validates the options, the machines and the model (bad input: nothing is written). */
    public static Plan plan(Options o) {
        for (String name : o.machines()) {
            Machines.load(name); // an unknown machine fails before the model is read
        }
        Network net = ModelFile.read(o.model());
        if (!net.bayesian()) {
            throw new BadInputException(o.model() + ": the table replays a Bayesian model (this one is deterministic)");
        }
        Plan p = new Plan(o, net, Sha256.of(o.model()));
        boolean anyTrained = false;
        for (String name : o.machines()) {
            MachineDescription m = Machines.load(name);
            if (p.machines.containsKey(m.name())) {
                throw new BadInputException("--machines names machine '" + m.name() + "' twice");
            }
            p.machines.put(m.name(), m);
            if (!m.tile().cellType().analog()) {
                ReplayRun.check(m, digitalStrategy(m));
                p.tasks.add(new Task(m.name() + "|reference", "replay", name, m, "reference"));
                continue;
            }
            for (String w : o.ways()) {
                p.tasks.add(new Task(m.name() + "|" + w, "replay", name, m, w));
                if (w.equals("trained")) {
                    p.tasks.add(new Task("parent|trained-" + m.name(), "parent", name, m, w));
                    anyTrained = true;
                }
            }
        }
        if (anyTrained) {
            p.tasks.add(0, new Task("parent|original", "parent", null, null, "original"));
            trainConfig(net, o); // bad training options fail now
        }
        return p;
    }

    /** The strategy of a digital machine's reference row: JQ at the machine's width. */
    static QuantSpec digitalStrategy(MachineDescription m) {
        return ReplayRun.strategy("jq", m.digital().wBits());
    }

    /** What {@code bmsim train --machine M --init MODEL --epochs E --lr LR --seed SEED} trains with. */
    static TrainConfig trainConfig(Network parent, Options o) {
        Architecture a = parent.architecture();
        TrainConfig ref = TrainConfig.reference(a.id(), o.trainEpochs(), o.seed());
        return TrainConfig.of(a.id(), a.activation(), true, parent.transform(), o.trainEpochs(), ref.batch(), o.trainLr(),
                ref.cosine(), ref.klScale(), ref.priorSigma(), ref.rhoInit(), o.seed());
    }

    /** The data sets of {@code --data}: Dirty-MNIST-lite from the cache or the sweeps' random images. */
    public record Data(FloatSet train, FloatSet heldOut, FloatSet test) {
        public static Data load(Options o, DataCache cache, Consumer<String> log) {
            if (o.data().equals("random-images")) {
                // the sweeps' random held-out and test sets; the training rows all labelled (clean and
                // ambiguous halves, as Dirty-MNIST-lite's train set), since device-aware training needs labels
                return new Data(RandomImages.of("random train", 256, 1, FloatSet.MNIST, FloatSet.AMBIGUOUS),
                        SweepContext.randomImages("random held-out", 60, 2),
                        ReplayRun.every(SweepContext.randomImages("random test", 300, 3), o.subsample()));
            }
            var d = DirtyMnist.load(cache, log);
            return new Data(d.train(), DirtyMnist.heldOut(cache, d), ReplayRun.every(d.test(), o.subsample()));
        }
    }

    /** What a run did: rows computed now, rows found done, the outputs and this session's wall time. */
    public record Summary(int computed, int reused, int trainedModelsReused, Path markdown, double sessionSeconds) {
    }

    /**
     * Reads the journal of {@code dir} (if any) and checks it belongs to this table's options; returns
     * the finished rows by key. Called before anything is written.
     */
    public static Map<String, ObjectNode> done(Plan p, Path dir) {
        Map<String, ObjectNode> rows = readJournal(dir.resolve(JOURNAL), false);
        for (ObjectNode r : rows.values()) {
            String sha = r.path("table_options_sha256").asString("");
            if (!sha.equals(p.optionsSha256)) {
                throw new BadInputException(dir.resolve(JOURNAL) + " holds rows of another table (model, samples, "
                        + "subsample, seed, data or training options differ); use a new --out folder");
            }
        }
        for (Task t : p.tasks) {
            ObjectNode r = rows.get(t.key());
            if (r != null && t.machine() != null && !r.path("machine_sha256").asString("").equals(machineSha(t.machine()))) {
                throw new BadInputException(dir.resolve(JOURNAL) + ": row " + t.key() + " was made with another "
                        + "description of machine " + t.machine().name() + "; use a new --out folder");
            }
        }
        return rows;
    }

    static String machineSha(MachineDescription m) {
        return DeviceAwareRun.machineSha256(m);
    }

    /**
     * Computes the missing rows (appending each to the journal), then writes the three tables;
     * {@code startedNanos} (a {@link System#nanoTime} reading) is when the session began, so that its
     * wall time includes loading the data.
     */
    public static Summary run(Plan p, Data data, Path dir, String commandLine, int threads, PrintStream log,
            long startedNanos) {
        long t0 = startedNanos;
        Map<String, ObjectNode> done = done(p, dir);
        int reused = (int) p.tasks.stream().filter(t -> done.containsKey(t.key())).count();
        log.printf(Locale.ROOT, "machines-table: %d rows, %d already done, %d to run; %d images, S = %d, seed %d, %d thread%s%n",
                p.tasks.size(), reused, p.tasks.size() - reused, data.test().count(), p.options.samples(), p.options.seed(),
                threads, threads == 1 ? "" : "s");
        try {
            Files.createDirectories(dir);
            readJournal(dir.resolve(JOURNAL), true); // cut a line torn by a crash before appending
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": " + e.getMessage(), e);
        }
        Rows rows = new Rows(p, data, dir, threads, log);
        int computed = 0;
        int i = 0;
        try (FileChannel journal = FileChannel.open(dir.resolve(JOURNAL), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            for (Task t : p.tasks) {
                i++;
                if (done.containsKey(t.key())) {
                    continue;
                }
                log.printf(Locale.ROOT, "[%d/%d] %s%n", i, p.tasks.size(), label(t));
                long r0 = System.nanoTime();
                ObjectNode row = t.kind().equals("parent") ? rows.parent(t) : rows.replay(t);
                double secs = (System.nanoTime() - r0) / 1e9;
                row.put("row_seconds", secs);
                byte[] line = (JSON.writeValueAsString(row) + "\n").getBytes(StandardCharsets.UTF_8);
                ByteBuffer b = ByteBuffer.wrap(line);
                while (b.hasRemaining()) {
                    journal.write(b);
                }
                journal.force(true);
                done.put(t.key(), row);
                computed++;
                log.printf(Locale.ROOT, "[%d/%d] %s done in %.1f s%n", i, p.tasks.size(), label(t), secs);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": " + e.getMessage(), e);
        }
        double session = (System.nanoTime() - t0) / 1e9;
        List<ObjectNode> ordered = p.tasks.stream().map(t -> done.get(t.key())).toList();
        ObjectNode json = tableJson(p, ordered, commandLine, session, data.test());
        AtomicFiles.writeString(dir.resolve("table.json"),
                JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n");
        AtomicFiles.writeString(dir.resolve("table.csv"), csv(ordered));
        Path md = dir.resolve("table.md");
        AtomicFiles.writeString(md, markdown(json));
        return new Summary(computed, reused, rows.trainedReused, md, session);
    }

    private static String label(Task t) {
        if (t.kind().equals("parent")) {
            return "float metrics of parent " + t.key().substring("parent|".length());
        }
        return t.machine().name() + ", " + t.way();
    }

    /** Computes rows; caches the parents and their float references (each computed once per session). */
    private static final class Rows {
        private final Plan p;
        private final Data data;
        private final Path dir;
        private final int threads;
        private final PrintStream log;
        private final PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        private final Map<String, ReplayRun.Reference> references = new LinkedHashMap<>();
        private final Map<String, Path> trainedNow = new LinkedHashMap<>();
        int trainedReused;

        Rows(Plan p, Data data, Path dir, int threads, PrintStream log) {
            this.p = p;
            this.data = data;
            this.dir = dir;
            this.threads = threads;
            this.log = log;
        }

        ObjectNode replay(Task t) {
            ObjectNode row = JSON.createObjectNode();
            row.put("key", t.key());
            row.put("kind", "replay");
            row.put("machine", t.machine().name());
            row.put("way", t.way());
            row.put("table_options_sha256", p.optionsSha256);
            row.put("machine_sha256", machineSha(t.machine()));
            Network parent = p.original;
            Path parentFile = p.options.model();
            String parentSha = p.modelSha256;
            if (t.way().equals("trained")) {
                long t0 = System.nanoTime();
                parentFile = trained(t.machine());
                row.put("train_seconds", (System.nanoTime() - t0) / 1e9);
                parent = ModelFile.read(parentFile);
                parentSha = Sha256.of(parentFile);
            }
            row.put("parent", t.way().equals("trained") ? "trained-" + t.machine().name() : "original");
            row.put("parent_file", parentFile.toString());
            row.put("parent_sha256", parentSha);
            MachineDescription m = t.machine();
            QuantSpec q;
            if (t.way().equals("reference")) {
                q = digitalStrategy(m);
            } else {
                q = QuantSpec.fp();
                m = ReplayRun.withMapping(m, t.way().equals("plain") ? "plain" : "search");
            }
            Network net = parent;
            ReplayRun.Reference ref = references.computeIfAbsent(parentSha,
                    k -> ReplayRun.reference(net, data.test(), p.options.samples(), p.options.seed(), threads));
            long t0 = System.nanoTime();
            ReplayRun.Programmed prog = ReplayRun.program(net, data.train(), data.heldOut(), m, q, threads, log);
            ReplayRun.Result r = ReplayRun.run(prog, ref, data.train(), data.test(), m, q, p.options.samples(),
                    p.options.seed(), threads, (System.nanoTime() - t0) / 1e9);
            log.println("  " + ReplayRun.summary(r));
            row.put("strategy", r.strategy());
            row.set("replay", JSON.readTree(ReplayRun.json(r)));
            return row;
        }

        /** The device-aware network of a machine: reused when it matches, else trained as {@code bmsim train --machine}. */
        Path trained(MachineDescription m) {
            Path f = trainedFile(dir, m);
            if (trainedNow.containsKey(m.name())) {
                return f;
            }
            trainedNow.put(m.name(), f);
            TrainConfig cfg = trainConfig(p.original, p.options);
            String dataSha = Checkpoint.dataSha256(data.train());
            if (matches(f, m, cfg, dataSha)) {
                log.printf("  reusing %s (same parent, machine and training options)%n", f);
                trainedReused++;
                return f;
            }
            // as `bmsim train --machine ... --resume`: a training killed mid-way continues from its checkpoint
            DeviceAwareRun.run(p.options.model(), m, cfg, data.train(), threads, f, TrainRun.AUTO,
                    log);
            return f;
        }

        boolean matches(Path f, MachineDescription m, TrainConfig cfg, String dataSha) {
            if (!Files.isRegularFile(f)) {
                return false;
            }
            // the model file's binding as `bmsim train --machine` writes it: configuration, data, parent,
            // machine and the bands the mapping gives the parent (other mapping code: not reused)
            Map<String, String> want = new LinkedHashMap<>(Checkpoint.modelMetadata(cfg, dataSha, cfg.epochs()));
            want.putAll(DeviceAwareRun.binding(p.options.model(), m,
                    org.bmsim.sim.machine.DeviceAwareBounds.of(p.original.copy(), m)));
            return TrainRun.holds(f, want);
        }

        ObjectNode parent(Task t) {
            ObjectNode row = JSON.createObjectNode();
            row.put("key", t.key());
            row.put("kind", "parent");
            row.put("table_options_sha256", p.optionsSha256);
            Network net = p.original;
            Path file = p.options.model();
            if (t.machine() != null) {
                row.put("machine", t.machine().name());
                row.put("machine_sha256", machineSha(t.machine()));
                file = trained(t.machine()); // normally the trained row's file, reused
                net = ModelFile.read(file);
            }
            row.put("parent", t.machine() == null ? "original" : "trained-" + t.machine().name());
            row.put("parent_file", file.toString());
            row.put("parent_sha256", Sha256.of(file));
            EvalRun.Result r = EvalRun.run(net, data.test(), p.options.samples(), p.options.seed(), threads, quiet);
            row.put("eval_seconds", r.seconds());
            row.set("metrics", JSON.readTree(r.report().toJson()));
            log.printf(Locale.ROOT, "  accuracy %s, auroc_ood %s, auroc_amb %s%n", num(r.report().accuracy(), 4),
                    num(r.report().aurocOod(), 4), num(r.report().aurocAmb(), 4));
            return row;
        }
    }

    /** Where the device-aware network of a machine is kept: {@code DIR/trained-<machine>.safetensors}. */
    public static Path trainedFile(Path dir, MachineDescription m) {
        return dir.resolve("trained-" + m.name().replaceAll("[^A-Za-z0-9._-]", "_") + ".safetensors");
    }

    /** The rows of a journal by key; with {@code repair} a last line torn by a crash is cut from the file. */
    static Map<String, ObjectNode> readJournal(Path file, boolean repair) {
        Map<String, ObjectNode> rows = new LinkedHashMap<>();
        try {
            int lineNo = 0;
            for (String line : org.bmsim.common.Journal.completeLines(file, repair)) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode n;
                try {
                    n = JSON.readTree(line);
                } catch (tools.jackson.core.JacksonException e) {
                    throw new BadInputException(file + " line " + lineNo + ": not a row of a machines table");
                }
                if (!(n instanceof ObjectNode o) || !o.path("key").isString()) {
                    throw new BadInputException(file + " line " + lineNo + ": not a row of a machines table");
                }
                rows.put(o.path("key").asString(), o);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
        return rows;
    }

    // ---------------------------------------------------------------------------------------------
    // Rendering: from the journal's rows only, so a resumed table equals an uninterrupted one.

    /** One line of the table: the fields every output shows, read from a replay row. */
    record Line(String machine, String way, String parent, String strategy, int images, Double accuracy, Double aurocOod,
            Double aurocAmb, Double[] aleatoric, Double[] epistemic, Double errMean, Double errMax, Double floorMean,
            Double floorMax, Double realisable, Long weights, Long devices, Long cycles, Double latencyNs, Double energyPj,
            Map<String, Double> energyByComponent, Double ess, String sampling, Double seconds, Double trainSeconds) {
        static Line of(JsonNode row) {
            JsonNode r = row.path("replay");
            Double[] al = new Double[3];
            Double[] ep = new Double[3];
            for (int i = 0; i < 3; i++) {
                al[i] = dbl(r.path("subsets").path(SUBSETS[i]).path("aleatoric_mean"));
                ep[i] = dbl(r.path("subsets").path(SUBSETS[i]).path("epistemic_mean"));
            }
            Map<String, Double> comp = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : r.path("cost").path("energy_pj_per_inference_by_component").properties()) {
                comp.put(e.getKey(), dbl(e.getValue()));
            }
            JsonNode map = r.path("mapping");
            return new Line(row.path("machine").asString(), row.path("way").asString(), row.path("parent").asString(),
                    row.path("strategy").asString(), r.path("count").asInt(), dbl(r.path("accuracy")),
                    dbl(r.path("auroc_ood")), dbl(r.path("auroc_amb")), al, ep, dbl(r.path("uncertainty_error").path("mean_pct")),
                    dbl(r.path("uncertainty_error").path("max_pct")), dbl(r.path("monte_carlo_floor").path("mean_pct")),
                    dbl(r.path("monte_carlo_floor").path("max_pct")), dbl(map.path("realisable_fraction")),
                    lng(map.path("weights")), lng(r.path("cost").path("devices")), lng(r.path("cycles_per_inference")),
                    dbl(r.path("latency_ns_per_inference")), dbl(r.path("energy_pj_per_inference")), comp,
                    dbl(r.path("effective_sample_size")), map.path("sampling").asString(""), dbl(row.path("row_seconds")),
                    dbl(row.path("train_seconds")));
        }
    }

    private static Double dbl(JsonNode n) {
        return n.isNumber() ? n.asDouble() : null;
    }

    private static Long lng(JsonNode n) {
        return n.isNumber() ? n.asLong() : null;
    }

    static ObjectNode tableJson(Plan p, List<ObjectNode> rows, String commandLine, double sessionSeconds, FloatSet test) {
        ObjectNode o = JSON.createObjectNode();
        o.put("command", commandLine);
        Map<String, Object> env = SweepOutput.environment();
        o.put("git_commit", (String) env.get("git_commit"));
        o.set("git_dirty", JSON.valueToTree(env.get("git_dirty")));
        o.put("model", p.options.model().toString());
        o.put("model_sha256", p.modelSha256);
        ObjectNode opt = o.putObject("options");
        opt.set("machines", JSON.valueToTree(p.options.machines()));
        opt.set("ways", JSON.valueToTree(p.options.ways()));
        opt.put("samples", p.options.samples());
        opt.put("subsample", p.options.subsample());
        opt.put("seed", p.options.seed());
        opt.put("train_epochs", p.options.trainEpochs());
        opt.put("train_lr", p.options.trainLr());
        opt.put("data", p.options.data());
        o.put("images", test.count());
        o.put("images_mnist", test.countSubset(FloatSet.MNIST));
        o.put("images_ambiguous", test.countSubset(FloatSet.AMBIGUOUS));
        o.put("images_ood", test.countSubset(FloatSet.OOD));
        ArrayNode replays = o.putArray("rows");
        ArrayNode parents = o.putArray("parents");
        double total = 0;
        for (ObjectNode r : rows) {
            total += r.path("row_seconds").asDouble(0);
            (r.path("kind").asString("").equals("parent") ? parents : replays).add(r);
        }
        JsonNode original = null;
        for (JsonNode pr : parents) {
            if (pr.path("parent").asString("").equals("original")) {
                original = pr.path("metrics");
            }
        }
        for (JsonNode pr : parents) {
            if (original != null && !pr.path("parent").asString("").equals("original")) {
                ObjectNode d = ((ObjectNode) pr).putObject("against_original");
                JsonNode m = pr.path("metrics");
                Double acc = diff(m.path("accuracy"), original.path("accuracy"));
                Double ood = diff(m.path("auroc_ood"), original.path("auroc_ood"));
                Double amb = diff(m.path("auroc_amb"), original.path("auroc_amb"));
                d.put("accuracy_delta_points", acc == null ? null : 100 * acc);
                d.put("auroc_ood_delta", ood);
                d.put("auroc_amb_delta", amb);
                d.put("within_acceptance", acc != null && ood != null && amb != null
                        && Math.abs(100 * acc) <= PARENT_ACCURACY_POINTS + TIE && Math.abs(ood) <= PARENT_AUROC + TIE
                        && Math.abs(amb) <= PARENT_AUROC + TIE);
            }
        }
        acceptance(replays);
        ObjectNode w = o.putObject("wall_seconds");
        w.put("rows_total", total);
        w.put("this_session", sessionSeconds);
        return o;
    }

    /**
     * Issue 11's acceptance per analog row, against the row's own parent: uncertainty error mean <= 5 %
     * and max <= 15 %, accuracy within 0.5 point, |delta AUROC_OOD| and |delta AUROC_amb| <= 0.01,
     * realisable weights >= 99 %, and energy per inference below every digital reference row's.
     */
    static void acceptance(ArrayNode rows) {
        Double digital = null;
        for (JsonNode r : rows) {
            Double e = dbl(r.path("replay").path("energy_pj_per_inference"));
            if (r.path("way").asString("").equals("reference") && e != null) {
                digital = digital == null ? e : Math.min(digital, e);
            }
        }
        for (JsonNode r : rows) {
            if (r.path("way").asString("").equals("reference")) {
                continue;
            }
            JsonNode rep = r.path("replay");
            JsonNode err = rep.path("uncertainty_error");
            Double mean = dbl(err.path("mean_pct"));
            Double max = dbl(err.path("max_pct"));
            Double acc = dbl(err.path("accuracy_delta"));
            Double ood = dbl(err.path("auroc_ood_delta"));
            Double amb = dbl(err.path("auroc_amb_delta"));
            Double real = dbl(rep.path("mapping").path("realisable_fraction"));
            Double energy = dbl(rep.path("energy_pj_per_inference"));
            ObjectNode a = ((ObjectNode) r).putObject("acceptance");
            boolean errOk = mean != null && max != null && mean <= ERROR_MEAN_PCT && max <= ERROR_MAX_PCT;
            boolean fidelity = acc != null && ood != null && amb != null && Math.abs(100 * acc) <= PARENT_ACCURACY_POINTS + TIE
                    && Math.abs(ood) <= PARENT_AUROC + TIE && Math.abs(amb) <= PARENT_AUROC + TIE;
            boolean realisable = real != null && real >= REALISABLE;
            a.put("uncertainty_error", errOk);
            a.put("accuracy_and_aurocs", fidelity);
            a.put("realisable", realisable);
            if (digital != null && energy != null) {
                a.put("energy_below_digital", energy < digital);
                a.put("energy_ratio_digital", digital / energy);
            }
            a.put("met", errOk && fidelity && realisable && (digital == null || (energy != null && energy < digital)));
        }
    }

    private static Double diff(JsonNode a, JsonNode b) {
        return a.isNumber() && b.isNumber() ? a.asDouble() - b.asDouble() : null;
    }

    /** Wide CSV: one line per replay row, the energy components as columns. */
    static String csv(List<ObjectNode> rows) {
        List<Line> lines = rows.stream().filter(r -> r.path("kind").asString("").equals("replay")).map(Line::of).toList();
        Set<String> comps = new LinkedHashSet<>();
        lines.forEach(l -> comps.addAll(l.energyByComponent().keySet()));
        StringBuilder b = new StringBuilder("machine,way,parent,strategy,images,accuracy,auroc_ood,auroc_amb,"
                + "aleatoric_mnist,aleatoric_ambiguous,aleatoric_ood,epistemic_mnist,epistemic_ambiguous,epistemic_ood,"
                + "unc_err_mean_pct,unc_err_max_pct,floor_mean_pct,floor_max_pct,realisable_fraction,weights,devices,"
                + "cycles_per_inference,latency_ns_per_inference,energy_pj_per_inference,sampling,effective_sample_size");
        for (String c : comps) {
            b.append(",energy_pj_").append(c.replaceAll("[^A-Za-z0-9]+", "_"));
        }
        b.append(",row_seconds,train_seconds\n");
        for (Line l : lines) {
            List<Object> v = new ArrayList<>(List.of(l.machine(), l.way(), l.parent(), l.strategy(), l.images()));
            v.addAll(java.util.Arrays.asList(l.accuracy(), l.aurocOod(), l.aurocAmb()));
            v.addAll(java.util.Arrays.asList(l.aleatoric()));
            v.addAll(java.util.Arrays.asList(l.epistemic()));
            v.addAll(java.util.Arrays.asList(l.errMean(), l.errMax(), l.floorMean(), l.floorMax(), l.realisable(),
                    l.weights(), l.devices(), l.cycles(), l.latencyNs(), l.energyPj(), l.sampling(), l.ess()));
            for (String c : comps) {
                v.add(l.energyByComponent().get(c));
            }
            v.add(l.seconds());
            v.add(l.trainSeconds());
            for (int i = 0; i < v.size(); i++) {
                b.append(i == 0 ? "" : ",").append(v.get(i) == null ? "" : csvValue(v.get(i)));
            }
            b.append('\n');
        }
        return b.toString();
    }

    private static String csvValue(Object o) {
        String s = o instanceof Double d ? Double.toString(d) : o.toString();
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    /** The Markdown page: the table, the parents' float metrics, energy by component, mappings, wall times. */
    static String markdown(JsonNode t) {
        StringBuilder b = new StringBuilder("# Machines table\n\n");
        JsonNode o = t.path("options");
        b.append("Command: `").append(t.path("command").asString()).append("`  \n");
        b.append("git commit ").append(t.path("git_commit").asString("unknown"))
                .append(t.path("git_dirty").asBoolean(false) ? " (with uncommitted changes)" : "").append("; model `")
                .append(t.path("model").asString()).append("`, SHA-256 ").append(t.path("model_sha256").asString()).append("  \n");
        b.append(String.format(Locale.ROOT, "Data %s: %d images (%d MNIST, %d ambiguous, %d OOD; --subsample %d); "
                + "S = %d Monte Carlo samples; seed %d; device-aware training %d epochs at lr %s.%n%n", o.path("data").asString(),
                t.path("images").asInt(), t.path("images_mnist").asInt(), t.path("images_ambiguous").asInt(),
                t.path("images_ood").asInt(), o.path("subsample").asInt(), o.path("samples").asInt(), o.path("seed").asLong(),
                o.path("train_epochs").asInt(), num(o.path("train_lr").asDouble(), 4)));
        b.append("Ways: `plain` = `bmsim replay --strategy fp --mapping plain` of the model; `search` = `--mapping search` "
                + "(the per-layer mapping search, docs/device-aware.md); `trained` = device-aware fine-tuning of the model for "
                + "the machine (`bmsim train --machine M --init MODEL`), replayed with `--mapping search`. A digital machine "
                + "has no mapping to choose: the ways do not apply, one `reference` row (`--strategy jq --bits B`). Each row's "
                + "uncertainty error is against its own parent's float run on the same images, with the Monte Carlo floor "
                + "(the float run against itself reseeded).\n\n");
        List<Line> lines = new ArrayList<>();
        for (JsonNode r : t.path("rows")) {
            lines.add(Line.of(r));
        }
        b.append("| machine | way | parent | accuracy | auroc_ood | auroc_amb | aleatoric mnist / amb / ood | epistemic mnist / "
                + "amb / ood | unc. err mean / max % (floor) | realisable | cycles | latency ns | energy pJ | devices | ESS of S "
                + "| row s |\n");
        b.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Line l : lines) {
            b.append(String.format(Locale.ROOT, "| `%s` | %s | %s | %s | %s | %s | %s | %s | %s / %s (%s / %s) | %s | %s | %s | %s | %s | %s | %s |%n",
                    l.machine(), l.way().equals("reference") ? "reference (" + l.strategy() + "; ways do not apply)" : l.way(),
                    l.parent(), pct(l.accuracy()), num(l.aurocOod(), 4), num(l.aurocAmb(), 4), triple(l.aleatoric()),
                    triple(l.epistemic()), num(l.errMean(), 2), num(l.errMax(), 2), num(l.floorMean(), 2), num(l.floorMax(), 2),
                    l.realisable() == null ? "-" : String.format(Locale.ROOT, "%.1f %%", 100 * l.realisable()),
                    l.cycles() == null ? "-" : l.cycles().toString(), sci(l.latencyNs()), sci(l.energyPj()),
                    l.devices() == null || l.devices() == 0 ? "-" : l.devices().toString(), num(l.ess(), 1),
                    num(l.seconds(), 1)));
        }
        JsonNode parents = t.path("parents");
        if (!parents.isEmpty()) {
            b.append(String.format(Locale.ROOT, "%n## The parents' own float metrics (`bmsim eval`, same images, S and seed)%n%n"
                    + "The device-aware parents against the original float model; acceptance: accuracy within %.1f point, "
                    + "AUROC_OOD and AUROC_amb within %.2f.%n%n", PARENT_ACCURACY_POINTS, PARENT_AUROC));
            b.append("| parent | accuracy | auroc_ood | auroc_amb | epistemic mnist / amb / ood | accuracy change (points) | "
                    + "auroc_ood change | auroc_amb change | within acceptance | SHA-256 |\n|---|---|---|---|---|---|---|---|---|---|\n");
            for (JsonNode pr : parents) {
                JsonNode m = pr.path("metrics");
                Double[] ep = new Double[3];
                for (int i = 0; i < 3; i++) {
                    ep[i] = dbl(m.path("subsets").path(SUBSETS[i]).path("epistemic_mean"));
                }
                JsonNode d = pr.path("against_original");
                b.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                        pr.path("parent").asString(), pct(dbl(m.path("accuracy"))), num(dbl(m.path("auroc_ood")), 4),
                        num(dbl(m.path("auroc_amb")), 4), triple(ep), signed(dbl(d.path("accuracy_delta_points")), 2),
                        signed(dbl(d.path("auroc_ood_delta")), 4), signed(dbl(d.path("auroc_amb_delta")), 4),
                        d.isMissingNode() ? "-" : d.path("within_acceptance").asBoolean() ? "yes" : "**no**",
                        pr.path("parent_sha256").asString().substring(0, 12) + "..."));
            }
        }
        b.append(String.format(Locale.ROOT, "%n## Issue 11 acceptance, each row against its own parent%n%n"
                + "Uncertainty error mean <= %.0f %% and max <= %.0f %%; accuracy within %.1f point and AUROC_OOD, AUROC_amb "
                + "within %.2f of the parent's float run; realisable weights >= %.0f %%; energy per inference below the "
                + "digital reference row's. On few images or small S the Monte Carlo floor alone can exceed the bounds.%n%n",
                ERROR_MEAN_PCT, ERROR_MAX_PCT, PARENT_ACCURACY_POINTS, PARENT_AUROC, 100 * REALISABLE));
        b.append("| machine | way | unc. err mean / max % | accuracy change (points) | auroc_ood change | auroc_amb change | "
                + "realisable | digital energy / energy | met |\n|---|---|---|---|---|---|---|---|---|\n");
        for (JsonNode r : t.path("rows")) {
            JsonNode a = r.path("acceptance");
            if (a.isMissingNode()) {
                continue;
            }
            JsonNode err = r.path("replay").path("uncertainty_error");
            Double acc = dbl(err.path("accuracy_delta"));
            b.append(String.format(Locale.ROOT, "| `%s` | %s | %s / %s %s | %s | %s | %s %s | %s %s | %s | %s |%n",
                    r.path("machine").asString(), r.path("way").asString(), num(dbl(err.path("mean_pct")), 2),
                    num(dbl(err.path("max_pct")), 2), mark(a.path("uncertainty_error")), signed(acc == null ? null : 100 * acc, 2),
                    signed(dbl(err.path("auroc_ood_delta")), 4), signed(dbl(err.path("auroc_amb_delta")), 4),
                    mark(a.path("accuracy_and_aurocs")), pct(dbl(r.path("replay").path("mapping").path("realisable_fraction"))), mark(a.path("realisable")),
                    a.has("energy_ratio_digital") ? num(dbl(a.path("energy_ratio_digital")), 2) + "x "
                            + mark(a.path("energy_below_digital")) : "-",
                    a.path("met").asBoolean() ? "yes" : "**no**"));
        }
        b.append("\n## Energy per inference by component (pJ)\n\n");
        Set<String> comps = new LinkedHashSet<>();
        lines.forEach(l -> comps.addAll(l.energyByComponent().keySet()));
        b.append("| machine | way | total |");
        comps.forEach(c -> b.append(' ').append(c).append(" |"));
        b.append("\n|---|---|---|").append("---|".repeat(comps.size())).append('\n');
        for (Line l : lines) {
            b.append("| `").append(l.machine()).append("` | ").append(l.way()).append(" | ").append(sci(l.energyPj())).append(" |");
            for (String c : comps) {
                Double v = l.energyByComponent().get(c);
                b.append(' ').append(v == null ? "-" : sci(v)).append(" |");
            }
            b.append('\n');
        }
        b.append("\n## Chosen mappings (the replay report's `mapping.layers[].choice`)\n\n");
        for (JsonNode r : t.path("rows")) {
            JsonNode map = r.path("replay").path("mapping");
            b.append("- `").append(r.path("machine").asString()).append("`, ").append(r.path("way").asString()).append(": ");
            List<String> parts = new ArrayList<>();
            for (JsonNode l : map.path("layers")) {
                JsonNode c = l.path("choice");
                if (c.isObject()) {
                    List<String> kv = new ArrayList<>();
                    for (Map.Entry<String, JsonNode> e : c.properties()) {
                        if (e.getValue().isValueNode() && !e.getKey().equals("not_realised_reason")) {
                            kv.add(e.getKey() + " " + (e.getValue().isNumber() && !e.getValue().isIntegralNumber()
                                    ? sci(e.getValue().asDouble()) : e.getValue().asString()));
                        }
                    }
                    parts.add(l.path("layer").asString() + " (" + String.join(", ", kv) + ")");
                } else {
                    parts.add(l.path("layer").asString() + " (" + l.path("path").asString("") + ", "
                            + l.path("unrealisable_weights").asString("0") + " unrealisable)");
                }
            }
            b.append(String.join("; ", parts)).append('\n');
            for (JsonNode n : map.path("layers_not_realised")) {
                b.append("  - not realised: ").append(n.asString()).append('\n');
            }
        }
        b.append("\n## Wall time\n\n| row | seconds | of which device-aware training |\n|---|---|---|\n");
        for (JsonNode r : t.path("rows")) {
            b.append("| `").append(r.path("machine").asString()).append("`, ").append(r.path("way").asString()).append(" | ")
                    .append(num(dbl(r.path("row_seconds")), 1)).append(" | ").append(num(dbl(r.path("train_seconds")), 1))
                    .append(" |\n");
        }
        for (JsonNode r : parents) {
            b.append("| float metrics of ").append(r.path("parent").asString()).append(" | ")
                    .append(num(dbl(r.path("row_seconds")), 1)).append(" | - |\n");
        }
        JsonNode w = t.path("wall_seconds");
        b.append(String.format(Locale.ROOT, "%nTotal: %s s (the sum of the rows' times; a parent's float reference is "
                + "computed once and counted in the first row that uses it; training counts in the `trained` row); this "
                + "session: %s s.%n", num(dbl(w.path("rows_total")), 1), num(dbl(w.path("this_session")), 1)));
        return b.toString();
    }

    private static String mark(JsonNode ok) {
        return ok.asBoolean(false) ? "(ok)" : "(**no**)";
    }

    private static String triple(Double[] v) {
        return num(v[0], 4) + " / " + num(v[1], 4) + " / " + num(v[2], 4);
    }

    private static String pct(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.2f%%", 100 * v);
    }

    static String num(Double v, int digits) {
        return v == null ? "-" : String.format(Locale.ROOT, "%." + digits + "f", v);
    }

    private static String signed(Double v, int digits) {
        return v == null ? "-" : String.format(Locale.ROOT, "%+." + digits + "f", v);
    }

    private static String sci(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.4g", v);
    }
}
