package org.bmsim.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.bmsim.examples.data.DataCache;
import org.bmsim.examples.sweep.Shard;
import org.bmsim.examples.sweep.SweepContext;
import org.bmsim.examples.sweep.SweepEngine;
import org.bmsim.examples.sweep.SweepOutput;
import org.bmsim.examples.sweep.SweepSpec;
import org.bmsim.sim.io.ModelFile;
import org.bmsim.sim.nn.Activation;
import org.bmsim.sim.nn.Architecture;
import org.bmsim.sim.nn.Network;
import org.bmsim.sim.nn.SigmaTransform;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Spark engine in local[2]: the local engine's CSV exactly, and the same points in Parquet. */
class SparkSweepTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @TempDir
    Path dir;

    @Test
    void sparkLocal2MatchesTheLocalEngine() throws Exception {
        Network n = Network.initialised(Architecture.of("mlp:784-12-10", Activation.RELU), true, SigmaTransform.SOFTPLUS,
                -3f, 9);
        ModelFile.write(dir.resolve("m.safetensors"), n, Map.of());
        String text = "version: 1\nname: spark\nmodel: m.safetensors\nmachine: pcm-joshi2020\ndata: random-images\n"
                + "subsample: 20\nsamples: 2\nseeding: per-point\naxes:\n  - adc.bits: [4, 8]\n";
        Path file = dir.resolve("spark.yaml");
        Files.writeString(file, text);
        SweepSpec spec = SweepSpec.read(file);
        Path local = dir.resolve("local");
        SweepEngine.run(spec, text, SweepContext.forSpec(spec, DataCache.fromEnvironment(), m -> { }), local, 2, Shard.ALL,
                false, QUIET);

        Path out = dir.resolve("spark");
        SparkSession spark = SparkSession.builder().master("local[2]").appName("bmsim-test")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate();
        try {
            SparkSweep.Job job = new SparkSweep.Job(text, file.toString(), dir.toString(), null);
            SparkSweep.Summary s = SparkSweep.run(spark, job, out, Shard.ALL, 0, QUIET);
            assertEquals(2, s.ran());
            assertEquals(Files.readString(local.resolve(SweepOutput.CSV)), Files.readString(out.resolve(SweepOutput.CSV)));
            List<Row> rows = spark.read().parquet(out.resolve("results.parquet").toString()).orderBy("index").collectAsList();
            assertEquals(2, rows.size());
            var journal = SweepOutput.readJournal(local.resolve(SweepOutput.JSONL), false);
            for (Row r : rows) {
                var rec = journal.get(r.<String>getAs("key"));
                assertEquals(rec.metrics().get("energy_pj_per_inference"), r.<Double>getAs("energy_pj_per_inference"));
                assertEquals(rec.metrics().get("accuracy"), r.<Double>getAs("accuracy"));
                assertEquals(rec.values().get("adc.bits"), r.<String>getAs("adc_bits"));
            }
            // resumed: nothing left to run
            assertEquals(0, SparkSweep.run(spark, job, out, Shard.ALL, 0, QUIET).ran());
        } finally {
            spark.stop();
        }
    }
}
