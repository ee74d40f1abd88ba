package org.bmsim.sim.train;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bmsim.common.BadInputException;
import org.bmsim.common.Sha256;
import org.bmsim.sim.data.FloatSet;
import org.bmsim.sim.io.ModelFile;
import org.bmsim.sim.io.SafeTensors;
import org.bmsim.sim.nn.Network;

/**
 * A resumable training checkpoint: a model file (so any model tool can open it) plus Adam's moments
 * as the tensors {@code optimizer.adam_m} and {@code optimizer.adam_v} (flat, parameter-vector
 * order), and in {@code __metadata__} the training configuration, the number of epochs done and the
 * SHA-256 of the training data, which a resumed run must match.
 */
public final class Checkpoint {
    public static final String ADAM_M = "optimizer.adam_m";
    public static final String ADAM_V = "optimizer.adam_v";

    private Checkpoint() {
    }

    /** A checkpoint as read back. */
    public record Loaded(BayesByBackprop.State state, TrainConfig config, String dataSha256, Map<String, String> metadata) {
    }

    /** Metadata of a trained model: the configuration and the data digest (nothing run-dependent). */
    public static Map<String, String> modelMetadata(TrainConfig cfg, String dataSha256, int epochsDone) {
        Map<String, String> m = new LinkedHashMap<>(cfg.toMap());
        m.put("epochs_done", Integer.toString(epochsDone));
        m.put("train_data_sha256", dataSha256);
        return m;
    }

    public static void write(Path file, BayesByBackprop.State s, TrainConfig cfg, String dataSha256) {
        write(file, s, cfg, dataSha256, Map.of());
    }

    /** A checkpoint with {@code extra} metadata beside the configuration (device-aware training's binding). */
    public static void write(Path file, BayesByBackprop.State s, TrainConfig cfg, String dataSha256,
            Map<String, String> extra) {
        Network net = s.net();
        List<SafeTensors.Tensor> t = new ArrayList<>(ModelFile.tensors(net));
        t.add(SafeTensors.Tensor.f32(ADAM_M, new int[] {net.paramCount()}, s.adamM().clone()));
        t.add(SafeTensors.Tensor.f32(ADAM_V, new int[] {net.paramCount()}, s.adamV().clone()));
        Map<String, String> meta = new LinkedHashMap<>(modelMetadata(cfg, dataSha256, s.epochsDone()));
        meta.putAll(extra);
        SafeTensors.write(file, t, ModelFile.metadata(net, meta));
    }

    public static Loaded read(Path file) {
        String src = file.toString();
        SafeTensors.Contents c = SafeTensors.read(file);
        Network net = ModelFile.fromContents(src, c, Set.of(ADAM_M, ADAM_V));
        TrainConfig cfg = TrainConfig.fromMap(c.metadata(), src);
        SafeTensors.Tensor m = c.tensors().get(ADAM_M);
        SafeTensors.Tensor v = c.tensors().get(ADAM_V);
        if (m == null || v == null) {
            throw new BadInputException(src + ": not a checkpoint (no " + ADAM_M + " / " + ADAM_V + "); a finished model "
                    + "cannot be resumed");
        }
        if (m.values().length != net.paramCount() || v.values().length != net.paramCount()) {
            throw new BadInputException(src + ": optimizer state has " + m.values().length + " values, the model "
                    + net.paramCount());
        }
        String done = c.metadata().get("epochs_done");
        String sha = c.metadata().get("train_data_sha256");
        if (done == null || sha == null) {
            throw new BadInputException(src + ": checkpoint metadata lacks epochs_done or train_data_sha256");
        }
        int epochs;
        try {
            epochs = Integer.parseInt(done);
        } catch (NumberFormatException e) {
            throw new BadInputException(src + ": bad epochs_done '" + done + "'");
        }
        return new Loaded(new BayesByBackprop.State(net, m.values(), v.values(), epochs), cfg, sha, c.metadata());
    }

    /** SHA-256 of a training set's images (float32 little-endian) and labels (int16). */
    public static String dataSha256(FloatSet data) {
        MessageDigest md = Sha256.newDigest();
        ByteBuffer b = ByteBuffer.allocate(4 * 65_536).order(ByteOrder.LITTLE_ENDIAN);
        float[] x = data.x();
        for (int i = 0; i < x.length; i += 65_536) {
            b.clear();
            b.asFloatBuffer().put(x, i, Math.min(65_536, x.length - i));
            md.update(b.array(), 0, 4 * Math.min(65_536, x.length - i));
        }
        ByteBuffer l = ByteBuffer.allocate(2 * data.count()).order(ByteOrder.LITTLE_ENDIAN);
        l.asShortBuffer().put(data.labels());
        md.update(l.array());
        return HexFormat.of().formatHex(md.digest());
    }
}
