package org.bmsim.examples.train;

import java.io.PrintStream;
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
 * layer's cell, replicas and weight scale; Bayes by backprop then learns the posterior inside the
 * band of laws that mapping realises (sigma = wScale (lo(u) + (hi(u) - lo(u)) sigmoid(rho))), and
 * the model file holds the resulting sigmas in the network's own parameterisation.
 */
public final class DeviceAwareRun {
    private DeviceAwareRun() {
    }

    /** SHA-256 of a machine's resolved description (its YAML): the model-file key of the machine trained for. */
    public static String machineSha256(MachineDescription m) {
        return Sha256.of(org.bmsim.sim.machine.Machines.toYaml(m).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public static Network run(Path init, MachineDescription m, TrainConfig cfg, FloatSet data, int threads, Path out,
            PrintStream log) {
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
        bounds.initialiseFrom(net);
        log.printf(Locale.ROOT, "device-aware fine-tuning of %s on machine %s (%s), %d epochs, lr %s, KL scale %s, %d thread%s%n",
                init, m.name(), m.device().preset(), cfg.epochs(), cfg.lr(), cfg.klScale(), threads, threads == 1 ? "" : "s");
        long t0 = System.nanoTime();
        BayesByBackprop.State start = new BayesByBackprop.State(net, new float[net.paramCount()],
                new float[net.paramCount()], 0);
        BayesByBackprop.State end;
        try (Parallel par = Parallel.of(threads)) {
            end = BayesByBackprop.train(data, cfg, start, par, new BayesByBackprop.Listener() {
                @Override
                public void epochDone(BayesByBackprop.EpochStats s) {
                    log.printf(Locale.ROOT, "epoch %d/%d: nll %.4f, train accuracy %.2f%%, %.1f s%n", s.epoch(), s.epochs(),
                            s.nll(), 100 * s.trainAccuracy(), s.seconds());
                }
            }, null, bounds);
        }
        bounds.toNetworkRho(end.net());
        end.net().requireFinite(out.toString());
        Map<String, String> meta = new LinkedHashMap<>(Checkpoint.modelMetadata(cfg, Checkpoint.dataSha256(data), cfg.epochs()));
        meta.put("device_aware_machine", m.name());
        meta.put("device_aware_device", m.device().preset());
        // the resolved description, so that a reused network is known to be this machine's (bmsim machines-table)
        meta.put("device_aware_machine_sha256", machineSha256(m));
        meta.put("device_aware_parent_sha256", Sha256.of(init));
        StringBuilder layers = new StringBuilder();
        for (SigmaBounds.Layer l : bounds.layers()) {
            layers.append(layers.length() == 0 ? "" : "; ").append(l.name()).append(": ").append(l.describe());
        }
        meta.put("device_aware_mapping", layers.toString());
        ModelFile.write(out, end.net(), meta);
        log.printf(Locale.ROOT, "wrote %s after %.1f s%n", out, (System.nanoTime() - t0) / 1e9);
        return end.net();
    }
}
