package org.bmsim.examples.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.bmsim.common.BadInputException;
import org.bmsim.common.Sha256;
import org.bmsim.sim.data.FloatSet;
import org.bmsim.sim.data.RandomImages;
import org.bmsim.sim.io.ModelFile;
import org.bmsim.sim.machine.DeviceAwareBounds;
import org.bmsim.sim.machine.MachineDescription;
import org.bmsim.sim.machine.Machines;
import org.bmsim.sim.nn.Activation;
import org.bmsim.sim.nn.Network;
import org.bmsim.sim.nn.Parallel;
import org.bmsim.sim.nn.SigmaTransform;
import org.bmsim.sim.train.BayesByBackprop;
import org.bmsim.sim.train.Checkpoint;
import org.bmsim.sim.train.SigmaBounds;
import org.bmsim.sim.train.TrainConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Device-aware fine-tuning through the run the CLI uses: checkpoints, resume, the binding to parent and machine. */
class DeviceAwareRunTest {
    @TempDir
    Path dir;

    private static TrainConfig cfg() {
        return TrainConfig.of("mlp:784-16-10", Activation.RELU, true, SigmaTransform.SOFTPLUS, 2, 64, 3e-3f, true, 0.1f,
                1f, -5f, 3);
    }

    @Test
    void resumeContinuesBitIdenticallyAndRefusesAnotherMachine() throws Exception {
        TrainConfig cfg = cfg();
        FloatSet data = RandomImages.of("random", 200, 5, FloatSet.MNIST);
        Path parent = dir.resolve("parent.safetensors");
        ModelFile.write(parent, BayesByBackprop.start(cfg).net(), Map.of());
        MachineDescription pcm = Machines.preset("pcm-joshi2020");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream log = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Path full = dir.resolve("full.safetensors");
        DeviceAwareRun.run(parent, pcm, cfg, data, 2, full, null, log);
        assertFalse(Files.exists(TrainRun.checkpointFor(full)), "checkpoint removed after the run");

        // a run stopped after epoch 1 leaves its checkpoint: make one by hand, as the run does
        Path part = dir.resolve("part.safetensors");
        Path ck = TrainRun.checkpointFor(part);
        Network net = ModelFile.read(parent).copy();
        SigmaBounds bounds = DeviceAwareBounds.of(net, pcm);
        bounds.initialiseFrom(net);
        Map<String, String> binding = DeviceAwareRun.binding(parent, pcm, bounds);
        String sha = Checkpoint.dataSha256(data);
        try (Parallel par = Parallel.of(1)) {
            BayesByBackprop.train(data, cfg, new BayesByBackprop.State(net, new float[net.paramCount()],
                    new float[net.paramCount()], 0), par, null, st -> {
                        if (st.epochsDone() == 1) {
                            DeviceAwareRun.writeCheckpoint(ck, st, cfg, sha, binding);
                        }
                    }, bounds);
        }
        Path saved = dir.resolve("saved.checkpoint");
        Files.copy(ck, saved);
        DeviceAwareRun.run(parent, pcm, cfg, data, 2, part, TrainRun.AUTO, log);
        assertTrue(bytes.toString(StandardCharsets.UTF_8).contains("resuming from " + ck + " after epoch 1 of 2"));
        assertFalse(Files.exists(ck));
        assertEquals(Sha256.of(full), Sha256.of(part), "resumed model equals the uninterrupted one");
        assertArrayEquals(ModelFile.read(full).params(), ModelFile.read(part).params());

        // the same command again: the model is there, nothing is trained
        bytes.reset();
        DeviceAwareRun.run(parent, pcm, cfg, data, 1, part, TrainRun.AUTO, log);
        assertTrue(bytes.toString(StandardCharsets.UTF_8).contains("nothing to train"), bytes.toString(StandardCharsets.UTF_8));

        // the checkpoint is bound to its machine: resuming it for another one is a one-line error
        BadInputException other = assertThrows(BadInputException.class, () -> DeviceAwareRun.run(parent,
                Machines.preset("rram-wan2022"), cfg, data, 1, dir.resolve("x.safetensors"), saved, log));
        assertTrue(other.getMessage().contains("checkpoint was made with device_aware_machine = pcm-joshi2020, not rram-wan2022"),
                other.getMessage());
        assertFalse(other.getMessage().contains("\n"));
    }
}
