package org.bmsim.examples.quant;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.bmsim.common.Sha256;
import org.bmsim.sim.data.FloatSet;
import org.bmsim.sim.io.ModelFile;
import org.bmsim.sim.nn.Network;
import org.bmsim.sim.nn.Parallel;
import org.bmsim.sim.quant.QuantAwareTraining;
import org.bmsim.sim.quant.QuantOptions;
import org.bmsim.sim.quant.QuantSpec;

/** {@code bmsim train --init FILE --qat SPEC}: quantization-aware fine-tuning and its model file. */
public final class QatRun {
    private QatRun() {
    }

    public static Network run(Path init, QuantSpec spec, int epochs, int batch, float lr, float hardWeight,
            float klScale, float priorSigma, long seed, FloatSet data, int threads, Path out, PrintStream log) {
        Network parent = ModelFile.read(init);
        QuantAwareTraining.Config cfg = new QuantAwareTraining.Config(spec, QuantOptions.defaults().withSubLsbGain(1), epochs, batch, lr,
                hardWeight, klScale, priorSigma, seed);
        log.printf(Locale.ROOT, "quantization-aware fine-tuning of %s under %s (%s), %d epochs, lr %s, hard-label "
                + "weight %s, KL scale %s, %d thread%s%n", init, spec.id(), cfg.options().describe(), epochs, lr,
                hardWeight, klScale, threads, threads == 1 ? "" : "s");
        long t0 = System.nanoTime();
        Network net;
        try (Parallel par = Parallel.of(threads)) {
            net = QuantAwareTraining.train(parent, data, data, cfg, par, s -> log.printf(Locale.ROOT,
                    "epoch %d/%d: distillation KL %.5f, nll %.4f, %.1f s%n", s.epoch(), s.epochs(), s.distill(), s.nll(),
                    s.seconds()));
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("qat", spec.id());
        meta.put("qat_options", cfg.options().describe());
        meta.put("qat_parent_sha256", Sha256.of(init));
        meta.put("qat_epochs", Integer.toString(epochs));
        meta.put("qat_lr", Float.toString(lr));
        meta.put("qat_hard_weight", Float.toString(hardWeight));
        meta.put("qat_kl_scale", Float.toString(klScale));
        meta.put("qat_seed", Long.toString(seed));
        ModelFile.write(out, net, meta);
        log.printf(Locale.ROOT, "wrote %s after %.1f s%n", out, (System.nanoTime() - t0) / 1e9);
        return net;
    }
}
