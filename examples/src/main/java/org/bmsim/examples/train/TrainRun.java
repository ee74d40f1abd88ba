package org.bmsim.examples.train;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.bmsim.common.BadInputException;
import org.bmsim.sim.data.FloatSet;
import org.bmsim.sim.io.ModelFile;
import org.bmsim.sim.nn.Network;
import org.bmsim.sim.nn.Parallel;
import org.bmsim.sim.train.BayesByBackprop;
import org.bmsim.sim.train.Checkpoint;
import org.bmsim.sim.train.TrainConfig;

/**
 * One training run as the command line and the demo do it: train (or resume from a checkpoint),
 * show a progress bar on a terminal or one log line per epoch otherwise, write a checkpoint after
 * every epoch, and write the model file atomically at the end (then the checkpoint is removed).
 * The model file holds nothing that depends on the run (no times, no thread count), so the same
 * configuration and data give the same file, byte for byte.
 *
 * <p>Crash safety (docs/reliability.md): the checkpoint holds everything the rest of the run
 * depends on (parameters, Adam's moments, the epochs done; the random streams are counter-based,
 * keyed by seed, epoch, batch and chunk, so they need no state), and every file is written to a
 * temporary name and renamed. A run killed at any moment ({@code kill -9}, power loss) and started
 * again with {@link #AUTO} resumes from the last checkpoint and writes the same model file, byte for
 * byte, as an uninterrupted run.
 */
public final class TrainRun {
    private TrainRun() {
    }

    /** What a run produced. */
    public record Result(Network net, TrainConfig config, String dataSha256, double seconds,
            List<BayesByBackprop.EpochStats> epochs) {
    }

    /** The {@code resume} path meaning "the checkpoint beside the output, if there is one". */
    public static final Path AUTO = Path.of("<auto>");

    /** The checkpoint beside a model file: {@code <out>.checkpoint}. */
    public static Path checkpointFor(Path out) {
        return out.resolveSibling(out.getFileName() + ".checkpoint");
    }

    /**
     * Trains on {@code data}. With {@code resume}, the state and configuration come from that
     * checkpoint, which must have been made with the same configuration ({@code cfg}) and data.
     * With {@link #AUTO}: from {@code <out>.checkpoint} when it exists, else from the start; and
     * when {@code out} already holds the model of this configuration and data, nothing is trained.
     *
     * @param progressBar draw a progress bar (a terminal) instead of log lines
     */
    public static Result run(FloatSet data, TrainConfig cfg, int threads, Path out, Path resume, PrintStream log,
            boolean progressBar) {
        Objects.requireNonNull(out, "out");
        String sha = Checkpoint.dataSha256(data);
        BayesByBackprop.State start;
        if (AUTO.equals(resume)) {
            removeStaleTemporaries(out);
            if (Files.isRegularFile(checkpointFor(out))) {
                resume = checkpointFor(out);
            } else {
                resume = null;
                if (finished(out, cfg, sha)) {
                    log.printf("%s already holds the model of this configuration and data; nothing to train%n", out);
                    Network net = ModelFile.read(out);
                    return new Result(net, cfg, sha, 0, List.of());
                }
            }
        }
        if (resume != null) {
            Checkpoint.Loaded l = Checkpoint.read(resume);
            requireSame(resume, cfg, l.config());
            if (!l.dataSha256().equals(sha)) {
                throw new BadInputException(resume + ": checkpoint was made on other training data (sha256 "
                        + l.dataSha256().substring(0, 12) + "..., now " + sha.substring(0, 12) + "...)");
            }
            start = l.state();
            log.printf("resuming from %s after epoch %d of %d%n", resume, start.epochsDone(), cfg.epochs());
        } else {
            start = BayesByBackprop.start(cfg);
        }
        Path ck = checkpointFor(out);
        List<BayesByBackprop.EpochStats> stats = new ArrayList<>();
        long t0 = System.nanoTime();
        ProgressBar[] bar = new ProgressBar[1];
        BayesByBackprop.Listener listener = new BayesByBackprop.Listener() {
            @Override
            public void started(int fromEpoch, int epochs, int steps) {
                log.printf("training %s %s on %s (%d rows), %d epochs, batch %d, %d thread%s%n", cfg.arch(),
                        cfg.bayesian() ? "BNN (Bayes by backprop, KL scale " + cfg.klScale() + ")" : "(deterministic)",
                        data.name(), data.count(), epochs, cfg.batch(), threads, threads == 1 ? "" : "s");
                if (progressBar) {
                    bar[0] = new ProgressBarBuilder().setTaskName("train").setInitialMax((long) epochs * steps)
                            .setStyle(ProgressBarStyle.ASCII).setConsumer(new ConsoleProgressBarConsumer(log))
                            .setUpdateIntervalMillis(250).build();
                    bar[0].stepTo((long) fromEpoch * steps);
                }
            }

            @Override
            public void stepDone(int epoch, int step) {
                if (bar[0] != null) {
                    bar[0].step();
                }
            }

            @Override
            public void epochDone(BayesByBackprop.EpochStats s) {
                stats.add(s);
                String line = String.format("epoch %d/%d: nll %.4f, kl %.4g, train accuracy %.2f%%, %.1f s", s.epoch(),
                        s.epochs(), s.nll(), s.kl(), 100 * s.trainAccuracy(), s.seconds());
                if (bar[0] != null) {
                    bar[0].setExtraMessage(String.format("nll %.3f acc %.1f%%", s.nll(), 100 * s.trainAccuracy()));
                } else {
                    log.println(line);
                }
            }
        };
        BayesByBackprop.State end;
        try (Parallel par = Parallel.of(threads)) {
            end = BayesByBackprop.train(data, cfg, start, par, listener, st -> {
                if (st.epochsDone() < cfg.epochs()) {
                    Checkpoint.write(ck, st, cfg, sha);
                }
            });
        } finally {
            if (bar[0] != null) {
                bar[0].close();
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        ModelFile.write(out, end.net(), Checkpoint.modelMetadata(cfg, sha, end.epochsDone()));
        try {
            Files.deleteIfExists(ck);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        log.printf("wrote %s (%d parameters) after %.1f s of training%n", out, end.net().paramCount(), seconds);
        return new Result(end.net(), cfg, sha, seconds, stats);
    }

    /** True when {@code out} is a model file written by a finished run of {@code cfg} on data {@code sha}. */
    static boolean finished(Path out, TrainConfig cfg, String sha) {
        return holds(out, Checkpoint.modelMetadata(cfg, sha, cfg.epochs()));
    }

    /**
     * True when {@code out} is a model file whose metadata holds every entry of {@code want}: the
     * finished model of a run, so that rerunning its command trains nothing.
     */
    public static boolean holds(Path out, Map<String, String> want) {
        if (!Files.isRegularFile(out)) {
            return false;
        }
        Map<String, String> have;
        try {
            have = org.bmsim.sim.io.SafeTensors.read(out).metadata();
        } catch (BadInputException e) {
            return false; // not a model file of ours: train and replace it
        }
        for (Map.Entry<String, String> e : want.entrySet()) {
            if (!e.getValue().equals(have.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Deletes the temporary files a killed run left beside {@code out} (its own model and checkpoint
     * only: {@code .<name>.<random>.tmp}, {@link org.bmsim.common.AtomicFiles}).
     */
    static void removeStaleTemporaries(Path out) {
        Path dir = out.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            return;
        }
        String model = "." + out.getFileName() + ".";
        String ck = "." + checkpointFor(out).getFileName() + ".";
        try (var s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String n = p.getFileName().toString();
                if (n.endsWith(".tmp") && (n.startsWith(model) || n.startsWith(ck))) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void requireSame(Path resume, TrainConfig want, TrainConfig have) {
        Map<String, String> a = want.toMap();
        Map<String, String> b = have.toMap();
        for (String k : a.keySet()) {
            if (!a.get(k).equals(b.get(k))) {
                throw new BadInputException(resume + ": checkpoint was made with " + k + " = " + b.get(k) + ", not "
                        + a.get(k) + " (resume with the same options)");
            }
        }
    }
}
