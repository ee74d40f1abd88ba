package org.bmsim.spark;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.bmsim.common.BadInputException;
import org.bmsim.examples.data.DataCache;
import org.bmsim.examples.sweep.PointResult;
import org.bmsim.examples.sweep.Shard;
import org.bmsim.examples.sweep.SweepContext;
import org.bmsim.examples.sweep.SweepOutput;
import org.bmsim.examples.sweep.SweepRecord;
import org.bmsim.examples.sweep.SweepReport;
import org.bmsim.examples.sweep.SweepSpec;

/**
 * The sweep engine on Apache Spark (docs/sweeps.md, "Spark"): the same sweep file, the points as a
 * {@code Dataset<Integer>} of point indices, one replay per point on the executors (each executor
 * JVM builds one {@link SweepContext} per sweep and reuses it for all its points), and on the driver
 * the local engine's output folder (results.jsonl, results.csv, manifest.json, the report) plus
 * {@code results.parquet} (one row per point, one column per axis and per metric). Seeds are those
 * of the local engine (a function of the point), so the CSV is identical to the local engine's.
 *
 * <p>{@code spark-submit --class org.bmsim.spark.SparkSweep bmsim-spark.jar FILE --out DIR
 * [--model FILE] [--shard k/N] [--partitions P] [--yes] [--no-report]}. The output folder, the sweep
 * file, the model and the data cache ({@code BMSIM_DATA}) must be at the same paths on the driver and
 * every executor (a shared file system). Points already in {@code DIR} are skipped (resume).
 */
public final class SparkSweep {
    private SparkSweep() {
    }

    /** What the executors need to rebuild the sweep: its text, where it came from, the model override. */
    public record Job(String text, String source, String baseDir, String model) implements Serializable {
        private static final long serialVersionUID = 1L;

        SweepSpec spec() {
            return SweepSpec.parse(text, source, baseDir == null ? null : Path.of(baseDir), model == null ? null : Path.of(model));
        }
    }

    /** One context per sweep per executor JVM: data and models loaded once, shared by the executor's tasks. */
    private static final Map<String, SweepContext> CONTEXTS = new ConcurrentHashMap<>();
    private static final Map<String, SweepSpec> SPECS = new ConcurrentHashMap<>();

    static SweepSpec spec(Job job) {
        return SPECS.computeIfAbsent(job.text() + "\u0000" + job.model() + "\u0000" + job.baseDir(), k -> job.spec());
    }

    static SweepContext context(SweepSpec s) {
        return CONTEXTS.computeIfAbsent(s.sha256(), k -> SweepContext.forSpec(s, DataCache.fromEnvironment(), m -> { }));
    }

    /** What a run did. */
    public record Summary(int pointsInShard, int alreadyDone, int ran, double wallSeconds, double pointSecondsSum) {
    }

    public static Summary run(SparkSession spark, Job job, Path out, Shard shard, int partitions, PrintStream log) {
        SweepSpec spec = job.spec();
        long t0 = System.nanoTime();
        Map<String, Object> session = new LinkedHashMap<>();
        session.put("engine", "spark");
        session.put("spark_master", spark.sparkContext().master());
        session.put("spark_version", spark.version());
        session.put("started", java.time.Instant.now().toString());
        try (SweepOutput o = SweepOutput.open(out, spec, job.text(), shard, session)) {
            List<Integer> todo = new ArrayList<>();
            int inShard = 0;
            for (int i = 0; i < spec.size(); i++) {
                if (shard.contains(i)) {
                    inShard++;
                    if (!o.isDone(spec.point(i).key())) {
                        todo.add(i);
                    }
                }
            }
            int already = inShard - todo.size();
            log.printf(Locale.ROOT, "sweep %s on Spark %s (%s): %d points, %d already done, %d to run%n", spec.name(),
                    spark.version(), spark.sparkContext().master(), inShard, already, todo.size());
            double pointSeconds = 0;
            if (!todo.isEmpty()) {
                int parts = partitions > 0 ? partitions : todo.size();
                Dataset<Integer> points = spark.createDataset(todo, Encoders.INT()).repartition(parts);
                MapPartitionsFunction<Integer, String> replay = it -> {
                    SweepSpec s = spec(job);
                    SweepContext ctx = context(s);
                    List<String> lines = new ArrayList<>();
                    while (it.hasNext()) {
                        lines.add(ctx.run(s, s.point(it.next()), 1).record().jsonLine());
                    }
                    return lines.iterator();
                };
                List<String> lines = points.mapPartitions(replay, Encoders.STRING()).collectAsList();
                for (String line : lines) {
                    SweepRecord r = SweepRecord.parse(line, "executor result");
                    pointSeconds += r.seconds();
                    o.append(r);
                }
            }
            writeParquet(spark, spec, o.records(), out.resolve("results.parquet"));
            double wall = (System.nanoTime() - t0) / 1e9;
            Map<String, Object> sum = new LinkedHashMap<>();
            sum.put("points_in_shard", inShard);
            sum.put("already_done_at_start", already);
            sum.put("ran_this_session", todo.size());
            sum.put("wall_seconds_this_session", wall);
            sum.put("wall_seconds_per_point", todo.isEmpty() ? 0.0 : wall / todo.size());
            sum.put("point_seconds_sum", pointSeconds);
            sum.put("threads", spark.sparkContext().defaultParallelism());
            o.complete(sum);
            return new Summary(inShard, already, todo.size(), wall, pointSeconds);
        }
    }

    /** Parquet column name of a parameter: dots (Spark SQL's struct access) become underscores. */
    public static String column(String param) {
        return param.replace('.', '_');
    }

    static void writeParquet(SparkSession spark, SweepSpec spec, List<SweepRecord> recs, Path file) {
        List<StructField> fields = new ArrayList<>();
        fields.add(DataTypes.createStructField("index", DataTypes.IntegerType, false));
        fields.add(DataTypes.createStructField("key", DataTypes.StringType, false));
        fields.add(DataTypes.createStructField("sweep_seed", DataTypes.LongType, false));
        fields.add(DataTypes.createStructField("seed", DataTypes.LongType, false));
        for (String p : spec.parameters()) {
            fields.add(DataTypes.createStructField(column(p), DataTypes.StringType, true));
        }
        for (String m : PointResult.METRICS) {
            fields.add(DataTypes.createStructField(m, DataTypes.DoubleType, true));
        }
        List<Row> rows = new ArrayList<>();
        recs.sort(java.util.Comparator.comparingInt(SweepRecord::index));
        for (SweepRecord r : recs) {
            List<Object> v = new ArrayList<>();
            v.add(r.index());
            v.add(r.key());
            v.add(r.sweepSeed());
            v.add(r.seed());
            for (String p : spec.parameters()) {
                v.add(r.values().get(p));
            }
            for (String m : PointResult.METRICS) {
                v.add(r.metrics().get(m));
            }
            rows.add(RowFactory.create(v.toArray()));
        }
        spark.createDataFrame(rows, new StructType(fields.toArray(StructField[]::new))).coalesce(1).write()
                .mode(SaveMode.Overwrite).parquet(file.toString());
    }

    public static void main(String[] args) {
        int code = 0;
        try {
            code = main(args, System.out, System.err);
        } catch (BadInputException e) {
            System.err.println("bmsim-spark: error: " + e.getMessage());
            code = 2;
        }
        System.exit(code);
    }

    static int main(String[] args, PrintStream out, PrintStream log) {
        Path file = null;
        Path dir = null;
        Path model = null;
        Shard shard = Shard.ALL;
        int partitions = 0;
        boolean yes = false;
        boolean report = true;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--out" -> dir = Path.of(value(args, ++i, a));
                case "--model" -> model = Path.of(value(args, ++i, a));
                case "--shard" -> shard = Shard.parse(value(args, ++i, a));
                case "--partitions" -> partitions = Integer.parseInt(value(args, ++i, a));
                case "--yes" -> yes = true;
                case "--no-report" -> report = false;
                case "--help", "-h" -> {
                    out.println("usage: spark-submit --class " + SparkSweep.class.getName()
                            + " bmsim-spark.jar FILE --out DIR [--model FILE] [--shard k/N] [--partitions P] [--yes] [--no-report]");
                    return 0;
                }
                default -> {
                    if (a.startsWith("-") || file != null) {
                        throw new BadInputException("unknown argument '" + a + "' (see --help)");
                    }
                    file = Path.of(a);
                }
            }
        }
        if (file == null || dir == null) {
            throw new BadInputException("usage: FILE --out DIR (see --help)");
        }
        SweepSpec s = SweepSpec.read(file, model);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BadInputException(file + ": " + e.getMessage());
        }
        Job job = new Job(text, file.toString(), file.toAbsolutePath().getParent().toString(),
                model == null ? null : model.toAbsolutePath().toString());
        s.checkSize(yes);
        SparkSession spark = SparkSession.builder().appName("bmsim sweep " + s.name()).getOrCreate();
        try {
            Summary sum = run(spark, job, dir, shard, partitions, log);
            out.printf(Locale.ROOT, "sweep %s: %d points in %s, %d run now in %.1f s on Spark%n", s.name(), sum.pointsInShard(),
                    dir, sum.ran(), sum.wallSeconds());
            if (report && shard.n() == 1) {
                out.println("report: " + SweepReport.write(dir));
            }
        } finally {
            spark.stop();
        }
        return 0;
    }

    private static String value(String[] args, int i, String opt) {
        if (i >= args.length) {
            throw new BadInputException(opt + " needs a value");
        }
        return args[i];
    }
}
