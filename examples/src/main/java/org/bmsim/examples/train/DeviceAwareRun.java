package org.bmsim.examples.train;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.bmsim.common.BadInputException;
import org.bmsim.common.Sha256;
import org.bmsim.sim.data.FloatSet;
import org.bmsim.sim.io.ModelFile;
import org.bmsim.sim.machine.DeviceAwareBounds;
import org.bmsim.sim.machine.MachineDescription;
import org.bmsim.sim.nn.Network;
import org.bmsim.sim.nn.Parallel;
import org.bmsim.sim.train.BayesByBackprop;
import org.bmsim.sim.train.Checkpoint;
import org.bmsim.sim.train.SigmaBounds;
import org.bmsim.sim.train.TrainConfig;

/**
 * {@code bmsim train --machine M --init FILE}: device-aware fine-tuning (docs/device-aware.md). Each
 * matrix layer of the parent is mapped on the machine (the per-layer search), which fixes the
 * layer's cell, replicas and weight scales; Bayes by backprop then learns the posterior inside the
 * band of laws that mapping realises (sigma = wScale (lo(u) + (hi(u) - lo(u)) sigmoid(rho))), and
 * the model file holds the resulting sigmas in the network's own parameterisation.
 *
 * <p>Crash safety as for plain training (docs/reliability.md): a checkpoint {@code <out>.checkpoint}
 * after every epoch holds the bounded parameters and Adam's state, bound to the parent file, the
 * machine and the bounds (SHA-256 of their tables); {@code --resume} continues it and writes the same
 * model file, byte for byte, as the uninterrupted run.
 */
public final class DeviceAwareRun {
    /** Checkpoint metadata binding it to the parent model file. */
    static final String PARENT = "device_aware_parent_sha256";
    /** Checkpoint metadata binding it to the bounds the machine gives the parent. */
    static final String BOUNDS = "device_aware_bounds_sha256";

    private DeviceAwareRun() {
    }

    /** SHA-256 of a machine's resolved description (its YAML): the model-file key of the machine trained for. */
    public static String machineSha256(MachineDescription m) {
        return Sha256.of(org.bmsim.sim.machine.Machines.toYaml(m).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Fine-tunes without resuming. */
    public static Network run(Path init, MachineDescription m, TrainConfig cfg, FloatSet data, int threads, Path out,
            PrintStream log) {
        return run(init, m, cfg, data, threads, out, null, log);
    }

    /**
     * Fine-tunes {@code init} for machine {@code m}. With {@code resume} ({@link TrainRun#AUTO} for
     * {@code <out>.checkpoint} when it exists, and nothing at all when {@code out} already holds this
     * run's model) the state comes from a checkpoint of the same options, parent, machine and data.
     */
    public static Network run(Path init, MachineDescription m, TrainConfig cfg, FloatSet data, int threads, Path out,
            Path resume, PrintStream log) {
        Network parent = ModelFile.read(init);
        if (!parent.bayesian()) {
            throw new BadInputException(init + ": device-aware training needs a Bayesian model (this one is deterministic)");
        }
        Network net = parent.copy();
        BayesByBackprop.State fresh = BayesByBackprop.start(cfg);
        if (fresh.net().paramCount() != net.paramCount()) {
            throw new BadInputException(init + ": has " + net.paramCount() + " parameters, --arch " + cfg.arch() + " has "
                    + fresh.net().paramCount());
        }
        SigmaBounds bounds = DeviceAwareBounds.of(net, m);
        for (SigmaBounds.Layer l : bounds.layers()) {
            log.printf(Locale.ROOT, "  %s: %s%n", l.name(), l.describe());
        }
        String sha = Checkpoint.dataSha256(data);
        Map<String, String> binding = binding(init, m, bounds);
        Map<String, String> meta = new LinkedHashMap<>(Checkpoint.modelMetadata(cfg, sha, cfg.epochs()));
        meta.putAll(binding);
        StringBuilder layers = new StringBuilder();
        for (SigmaBounds.Layer l : bounds.layers()) {
            layers.append(layers.length() == 0 ? "" : "; ").append(l.name()).append(": ").append(l.describe());
        }
        meta.put("device_aware_mapping", layers.toString());
        Path ck = TrainRun.checkpointFor(out);
        if (TrainRun.AUTO.equals(resume)) {
            TrainRun.removeStaleTemporaries(out);
            if (Files.isRegularFile(ck)) {
                resume = ck;
            } else {
                resume = null;
                if (TrainRun.holds(out, meta)) {
                    log.printf("%s already holds the model of this parent, machine, configuration and data; nothing to train%n",
                            out);
                    return ModelFile.read(out);
                }
            }
        }
        BayesByBackprop.State start;
        if (resume != null) {
            Checkpoint.Loaded l = Checkpoint.read(resume);
            TrainRun.requireSame(resume, cfg, l.config());
            if (!sha.equals(l.dataSha256())) {
                throw new BadInputException(resume + ": checkpoint was made on other training data");
            }
            for (Map.Entry<String, String> e : binding.entrySet()) {
                if (!e.getValue().equals(l.metadata().get(e.getKey()))) {
                    throw new BadInputException(resume + ": checkpoint was made with " + e.getKey() + " = "
                            + l.metadata().get(e.getKey()) + ", not " + e.getValue()
                            + " (resume with the same --init and --machine)");
                }
            }
            start = l.state();
            log.printf("resuming from %s after epoch %d of %d%n", resume, start.epochsDone(), cfg.epochs());
        } else {
            bounds.initialiseFrom(net);
            start = new BayesByBackprop.State(net, new float[net.paramCount()], new float[net.paramCount()], 0);
        }
        log.printf(Locale.ROOT, "device-aware fine-tuning of %s on machine %s (%s), %d epochs, lr %s, KL scale %s, %d thread%s%n",
                init, m.name(), m.device().preset(), cfg.epochs(), cfg.lr(), cfg.klScale(), threads, threads == 1 ? "" : "s");
        long t0 = System.nanoTime();
        BayesByBackprop.State end;
        try (Parallel par = Parallel.of(threads)) {
            end = BayesByBackprop.train(data, cfg, start, par, new BayesByBackprop.Listener() {
                @Override
                public void epochDone(BayesByBackprop.EpochStats s) {
                    log.printf(Locale.ROOT, "epoch %d/%d: nll %.4f, train accuracy %.2f%%, %.1f s%n", s.epoch(), s.epochs(),
                            s.nll(), 100 * s.trainAccuracy(), s.seconds());
                }
            }, st -> {
                if (st.epochsDone() < cfg.epochs()) {
                    writeCheckpoint(ck, st, cfg, sha, binding);
                }
            }, bounds);
        }
        bounds.toNetworkRho(end.net());
        end.net().requireFinite(out.toString());
        ModelFile.write(out, end.net(), meta);
        try {
            Files.deleteIfExists(ck);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        log.printf(Locale.ROOT, "wrote %s after %.1f s%n", out, (System.nanoTime() - t0) / 1e9);
        return end.net();
    }

    /** The checkpoint of a device-aware run after an epoch (bounded rho, Adam's state, the binding). */
    static void writeCheckpoint(Path ck, BayesByBackprop.State st, TrainConfig cfg, String dataSha256,
            Map<String, String> binding) {
        Checkpoint.write(ck, st, cfg, dataSha256, binding);
    }

    /**
     * What binds a checkpoint or model file to its parent file, machine and bounds (also how
     * {@code bmsim machines-table} recognises a network it may reuse).
     */
    public static Map<String, String> binding(Path init, MachineDescription m, SigmaBounds bounds) {
        Map<String, String> b = new LinkedHashMap<>();
        b.put("device_aware_machine", m.name());
        b.put("device_aware_device", m.device().preset());
        // the resolved description, so that a reused network is known to be this machine's (bmsim machines-table)
        b.put("device_aware_machine_sha256", machineSha256(m));
        b.put(PARENT, Sha256.of(init));
        b.put(BOUNDS, bounds.sha256());
        return b;
    }
}
