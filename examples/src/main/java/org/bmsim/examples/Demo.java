package org.bmsim.examples;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.bmsim.common.AtomicFiles;
import org.bmsim.common.BadInputException;
import org.bmsim.common.Sha256;
import org.bmsim.examples.data.DataCache;
import org.bmsim.examples.data.DataFetcher;
import org.bmsim.examples.data.DataInfo;
import org.bmsim.examples.dirty.DirtyMnist;
import org.bmsim.sim.data.FloatSet;
import org.bmsim.examples.dirty.DirtyMnistLite;
import org.bmsim.examples.dirty.DirtyMnistRecipe;
import org.bmsim.examples.dirty.DirtyMnistStore;
import org.bmsim.examples.replay.ReplayRun;
import org.bmsim.examples.report.Plots;
import org.bmsim.examples.train.EvalRun;
import org.bmsim.examples.train.TrainRun;
import org.bmsim.sim.io.ModelFile;
import org.bmsim.sim.machine.Machines;
import org.bmsim.sim.nn.Network;
import org.bmsim.sim.quant.QuantSpec;
import org.bmsim.sim.train.Checkpoint;
import org.bmsim.sim.train.TrainConfig;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The main job, {@code bmsim demo}: every stage of the pipeline a new user should see, end to end,
 * on real data. Each stage prints what it did; the whole run is reproducible from its seeds.
 *
 * <p>Stages: 1. fetch the data sets and summarise them; 2. build (or load) Dirty-MNIST-lite;
 * 3. train the LeNet-5 float reference, or reuse the model cached under the hash of its
 * configuration and training data; 4. evaluate it by Monte Carlo inference, with its 4-bit JQ
 * quantization beside it; 5. replay the JQ-4 network on the default machine (cycles, latency,
 * energy, uncertainty error); 6. write a run folder with the resolved configuration, the metrics
 * JSON, histograms of aleatoric and epistemic uncertainty per subset, and the replay's JSON and
 * Markdown report.
 */
public final class Demo {
    /** What the demo does; {@link #standard()} is the float reference. */
    public record Options(long dataSeed, TrainConfig train, int samples, long evalSeed, int threads, Path runDir) {
        public Options {
            Objects.requireNonNull(train);
            Objects.requireNonNull(runDir);
            if (samples < 1) {
                throw new BadInputException("samples must be at least 1, got " + samples);
            }
        }

        /** Dirty-MNIST-lite seed 2024, LeNet-5 reference recipe (60 epochs, seed 1), S = 100, seed 1. */
        public static Options standard(int threads, Path runDir) {
            return new Options(DirtyMnistRecipe.DEFAULT_SEED, TrainConfig.reference("lenet5", 60, 1), 100, 1, threads,
                    runDir);
        }
    }

    private final DataCache cache;
    private final PrintStream out;
    private final PrintStream log;
    private final Options options;

    public Demo(DataCache cache, PrintStream out, PrintStream log, Options options) {
        this.cache = cache;
        this.out = out;
        this.log = log;
        this.options = options;
    }

    /** The cached model of a configuration and training data: {@code <cache>/models/<key>.safetensors}. */
    public static Path modelPath(DataCache cache, TrainConfig cfg, String dataSha256) {
        StringBuilder k = new StringBuilder();
        cfg.toMap().forEach((a, b) -> k.append(a).append('=').append(b).append('\n'));
        k.append("train_data_sha256=").append(dataSha256).append('\n');
        String key = Sha256.of(k.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)).substring(0, 16);
        return cache.root().resolve("models").resolve(cfg.arch() + "-" + key + ".safetensors");
    }

    /** Key-value pairs in the order given (JSON output keeps it). */
    private static Map<String, Object> ordered(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    /** Runs the demo; returns normally on success, throws on bad input or failure. */
    public void run() {
        long t0 = System.nanoTime();
        out.println("== bmsim demo: 1. data");
        new DataFetcher(cache, log::println).fetchAll(false);
        List<DataInfo.Row> rows = DataInfo.rows(cache);
        out.print(DataInfo.table(rows));

        out.println("== 2. Dirty-MNIST-lite");
        DirtyMnistStore.Cached built = DirtyMnist.loadOrBuild(cache, options.dataSeed(), false, false, log::println);
        DirtyMnistLite data = built.data();
        out.printf("%s %s%n", built.built() ? "built" : "loaded", built.dir());
        out.print(data.summary().table());

        out.println("== 3. LeNet-5 float reference");
        TrainConfig cfg = options.train();
        String dataSha = Checkpoint.dataSha256(data.train());
        Path model = modelPath(cache, cfg, dataSha);
        Network net;
        Double trainSeconds = null;
        if (Files.exists(model)) {
            net = ModelFile.read(model);
            out.printf("reusing %s (same configuration and training data)%n", model);
        } else {
            TrainRun.Result r = TrainRun.run(data.train(), cfg, options.threads(), model, null, log,
                    System.console() != null);
            net = r.net();
            trainSeconds = r.seconds();
            out.printf("trained in %.1f s: %s%n", r.seconds(), model);
        }

        out.printf("== 4. Monte Carlo evaluation, S = %d%n", options.samples());
        EvalRun.Result ev = EvalRun.run(net, data.test(), options.samples(), options.evalSeed(), options.threads(), log);
        out.print(EvalRun.table(ev.report()));
        out.printf("evaluated in %.1f s%n", ev.seconds());
        FloatSet heldOut = DirtyMnist.heldOut(cache, data);
        out.print(org.bmsim.examples.quant.QuantTable.demoRows(net, data.train(), heldOut, data.test(), options.samples(),
                options.evalSeed(), options.threads()));

        out.printf("== 5. replay on the default machine (%s), JQ-4%n", Machines.DEFAULT);
        ReplayRun.Result replay = ReplayRun.run(net, data.train(), heldOut, data.test(),
                Machines.preset(Machines.DEFAULT),
                QuantSpec.parse("jq:4"), options.samples(), options.evalSeed(), options.threads(), log);
        out.println(ReplayRun.summary(replay));

        out.println("== 6. run folder");
        Path dir = options.runDir();
        ReplayRun.write(replay, dir.resolve("replay.json"), dir.resolve("replay"));
        EvalRun.write(ev, dir.resolve("metrics.json"), null);
        List<Path> plots = Plots.writeUncertaintyHistograms(dir, ev.uncertainties(), ev.predictions().subset());
        Map<String, Object> resolved = new LinkedHashMap<>();
        resolved.put("data", ordered("set", DirtyMnist.NAME, "seed", options.dataSeed(), "dir", built.dir().toString(),
                "train_sha256", dataSha));
        resolved.put("train", cfg.toMap());
        resolved.put("model", ordered("path", model.toString(), "sha256", Sha256.of(model), "reused",
                trainSeconds == null));
        resolved.put("eval", ordered("samples", options.samples(), "seed", options.evalSeed()));
        resolved.put("replay", ordered("machine", Machines.DEFAULT, "strategy", "jq:4", "samples", options.samples(),
                "seed", options.evalSeed()));
        resolved.put("threads", options.threads());
        Map<String, Object> timing = new LinkedHashMap<>();
        if (trainSeconds != null) {
            timing.put("train_seconds", trainSeconds);
        }
        timing.put("eval_seconds", ev.seconds());
        timing.put("replay_seconds", replay.seconds());
        resolved.put("timing", timing);
        AtomicFiles.writeString(dir.resolve("config.json"),
                JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build().writeValueAsString(resolved) + "\n");
        out.printf("wrote %s: config.json, metrics.json, replay.json, replay/report.md (machine.yaml, plots), %s%n", dir,
                String.join(", ", plots.stream().map(p -> p.getFileName().toString()).toList()));
        out.printf("== demo finished in %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }
}
