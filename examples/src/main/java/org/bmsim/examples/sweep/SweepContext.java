package org.bmsim.examples.sweep;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.bmsim.common.BadInputException;
import org.bmsim.examples.data.DataCache;
import org.bmsim.examples.dirty.DirtyMnist;
import org.bmsim.examples.replay.ReplayRun;
import org.bmsim.sim.data.FloatSet;
import org.bmsim.sim.data.RandomImages;
import org.bmsim.sim.io.ModelFile;
import org.bmsim.sim.metrics.UncertaintyError;
import org.bmsim.sim.nn.Network;

/**
 * What the points of a sweep share, built once and reused: the data sets (loaded once, the test set
 * subsampled once), each model file (read once), each noise-scaled copy of a model (scaled once), the
 * float reference of each (model, noise scale, samples, seed), the programmed network of each (model,
 * noise scale, strategy, the machine's {@link ReplayRun#programKey}: quantization, Hessian
 * compensation and the sub-LSB gain calibration) and, per resolved configuration, the replay itself
 * (two points with the same resolved configuration and seed are one replay). Every cache is keyed
 * by the resolved configuration, never by execution order, and is safe to share between threads:
 * the first thread computes a value, the others wait for it.
 */
public final class SweepContext {
    private final FloatSet train;
    private final FloatSet heldOut;
    private final FloatSet test;
    private final Memo<String, Network> models = new Memo<>();
    private final Memo<String, ReplayRun.Reference> references = new Memo<>();
    private final Memo<String, ReplayRun.Programmed> programs = new Memo<>();
    private final Memo<String, PointResult.Metrics> replays = new Memo<>();

    private SweepContext(FloatSet train, FloatSet heldOut, FloatSet test) {
        this.train = train;
        this.heldOut = heldOut;
        this.test = test;
    }

    /** The Dirty-MNIST-lite sets from the cache, the test set subsampled (every k-th image). */
    public static SweepContext load(DataCache cache, int subsample, Consumer<String> log) {
        var data = DirtyMnist.load(cache, log);
        return new SweepContext(data.train(), DirtyMnist.heldOut(cache, data), ReplayRun.every(data.test(), subsample));
    }

    /**
     * The sets a sweep file asks for: Dirty-MNIST-lite from the cache, or, with {@code data:
     * random-images}, seeded random 28x28 images (256 training rows for calibration, 60 held-out and
     * 300 test rows, a third each clean, ambiguous and out-of-distribution). Random images give
     * meaningless accuracy and uncertainty but the same cycles, latency and energy per inference
     * (those do not depend on the images): for cost-only exploration and smoke tests.
     */
    public static SweepContext forSpec(SweepSpec spec, DataCache cache, Consumer<String> log) {
        if (spec.data().equals("random-images")) {
            return new SweepContext(randomImages("random train", 256, 1), randomImages("random held-out", 60, 2),
                    ReplayRun.every(randomImages("random test", 300, 3), spec.subsample()));
        }
        return load(cache, spec.subsample(), log);
    }

    /** Seeded random images ({@link RandomImages}), row i in subset i mod 3. */
    public static FloatSet randomImages(String name, int n, long seed) {
        return RandomImages.of(name, n, seed, FloatSet.MNIST, FloatSet.AMBIGUOUS, FloatSet.OOD);
    }

    /** Given sets (tests, or a user's own data through the API); the test set is used as it is. */
    public static SweepContext of(FloatSet train, FloatSet heldOut, FloatSet test) {
        return new SweepContext(train, heldOut, test);
    }

    public FloatSet test() {
        return test;
    }

    /** How many values each cache computed and how often it was asked (for the manifest). */
    public Map<String, Object> cacheStats() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("models_built", models.built());
        m.put("models_asked", models.asked());
        m.put("float_references_built", references.built());
        m.put("float_references_asked", references.asked());
        m.put("programmed_networks_built", programs.built());
        m.put("programmed_networks_asked", programs.asked());
        m.put("replays_run", replays.built());
        m.put("replays_asked", replays.asked());
        return m;
    }

    /** Runs one point (one replay) with {@code threads} threads inside the replay. */
    public PointResult run(SweepSpec spec, SweepSpec.Point p, int threads) {
        long t0 = System.nanoTime();
        SweepSpec.Resolved r = spec.resolve(p.values());
        String config = configKey(r, p.seed());
        PointResult.Metrics metrics = replays.get(config, () -> replay(r, p.seed(), threads));
        return new PointResult(p, r.machine(), r.quant().id(), r.model().getFileName().toString(), r.noiseScale(),
                r.samples(), metrics, (System.nanoTime() - t0) / 1e9);
    }

    private static String configKey(SweepSpec.Resolved r, long seed) {
        return r.model().toAbsolutePath().normalize() + "|" + r.noiseScale() + "|" + r.quant().id() + "|" + r.samples()
                + "|" + seed + "|" + org.bmsim.sim.machine.Machines.toYaml(r.machine());
    }

    private Network model(Path file) {
        String k = file.toAbsolutePath().normalize().toString();
        return models.get(k + "|1", () -> {
            Network n = ModelFile.read(file);
            if (!n.bayesian()) {
                throw new BadInputException(file + ": a sweep replays Bayesian models (this one is deterministic)");
            }
            return n;
        });
    }

    private Network scaled(Path file, double scale) {
        Network base = model(file);
        if (scale == 1.0) {
            return base;
        }
        return models.get(file.toAbsolutePath().normalize() + "|" + scale, () -> NoiseScale.apply(base, scale));
    }

    /** The float reference of the model at a noise scale (1: the unscaled model, what every point is compared with). */
    private ReplayRun.Reference reference(Path file, double scale, int samples, long seed, int threads) {
        Network net = scaled(file, scale);
        return references.get(file.toAbsolutePath().normalize() + "|" + scale + "|" + samples + "|" + seed,
                () -> ReplayRun.reference(net, test, samples, seed, threads));
    }

    private PointResult.Metrics replay(SweepSpec.Resolved r, long seed, int threads) {
        Network net = scaled(r.model(), r.noiseScale());
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        if (!net.bayesian()) {
            throw new BadInputException(r.model() + ": a sweep replays Bayesian models (this one is deterministic)");
        }
        ReplayRun.check(r.machine(), r.quant());
        ReplayRun.Reference own = reference(r.model(), r.noiseScale(), r.samples(), seed, threads);
        ReplayRun.Programmed prog = programs.get(r.model().toAbsolutePath().normalize() + "|" + r.noiseScale() + "|"
                + ReplayRun.programKey(r.machine(), r.quant()),
                () -> ReplayRun.program(net, train, heldOut, r.machine(), r.quant(), threads, quiet));
        ReplayRun.Result res = ReplayRun.run(prog, own, train, test, r.machine(), r.quant(), r.samples(), seed, threads, 0);
        UncertaintyError vsModel = r.noiseScale() == 1.0 ? res.error()
                : UncertaintyError.between(res.report(), reference(r.model(), 1.0, r.samples(), seed, threads).report());
        return PointResult.Metrics.of(res, vsModel);
    }

    /** A cache whose values are computed once, by the first thread that asks; the others wait. */
    static final class Memo<K, V> {
        private final ConcurrentHashMap<K, FutureTask<V>> map = new ConcurrentHashMap<>();
        private final AtomicInteger asked = new AtomicInteger();

        V get(K key, Supplier<V> compute) {
            asked.incrementAndGet();
            FutureTask<V> f = new FutureTask<>(compute::get);
            FutureTask<V> prev = map.putIfAbsent(key, f);
            if (prev == null) {
                f.run();
                prev = f;
            }
            try {
                return prev.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                if (e.getCause() instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(e.getCause());
            }
        }

        int built() {
            return map.size();
        }

        int asked() {
            return asked.get();
        }
    }

    static List<String> metricNames() {
        return PointResult.METRICS;
    }
}
