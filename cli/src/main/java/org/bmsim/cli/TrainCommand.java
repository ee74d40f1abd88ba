package org.bmsim.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.bmsim.examples.data.DataCache;
import org.bmsim.examples.dirty.DirtyMnist;
import org.bmsim.examples.train.TrainRun;
import org.bmsim.sim.nn.Activation;
import org.bmsim.sim.nn.Parallel;
import org.bmsim.sim.nn.SigmaTransform;
import org.bmsim.sim.train.TrainConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code bmsim train}: the float reference, trained on the Dirty-MNIST-lite train set. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Train a Bayesian (or plain) network on Dirty-MNIST-lite and write a model file.",
        description = {"Train a Bayesian network (mean-field Gaussian weights, Bayes by backprop with Flipout "
            + "convolutions and locally reparameterised dense layers, Adam with cosine decay) on the Dirty-MNIST-lite "
            + "train set (7,000 MNIST + 7,000 ambiguous rows; built into the data cache on first use), and write it as "
            + "a safetensors model file (docs/model-format.md).",
            "Defaults are the reference recipe: prior N(0, 1), rho initialised at -5, Adam 3e-3 with cosine decay, "
            + "batch 128, KL scaled by 0.1. The same options and seed give the same file, byte for byte, for any "
            + "--threads. A checkpoint <out>.checkpoint is written after every epoch (atomically); --resume continues "
            + "it, so a run killed at any moment and started again with the same command line and --resume writes "
            + "the same model file, byte for byte (docs/reliability.md)."})
public final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--arch", defaultValue = "lenet5", paramLabel = "ARCH",
            description = "lenet5, mlp (784-100-10), mlp-large (784-400-400-10) or mlp:784-W-...-10 (default: ${DEFAULT-VALUE}).")
    String arch;

    @Option(names = "--epochs", defaultValue = "60", description = "Passes over the training set (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of initialisation, shuffling and noise (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Model file to write (.safetensors).")
    Path out;

    @Option(names = "--threads", paramLabel = "T", description = "Worker threads (default: the number of processors); the result does not depend on it.")
    Integer threads;

    @Option(names = "--kl-scale", defaultValue = "0.1", description = "Tempering of the KL term, 1 = exact ELBO (default: ${DEFAULT-VALUE}).")
    float klScale;

    @Option(names = "--lr", defaultValue = "3e-3", description = "Adam's initial learning rate (default: ${DEFAULT-VALUE}).")
    float lr;

    @Option(names = "--constant-lr", description = "Keep the learning rate constant instead of the cosine decay.")
    boolean constantLr;

    @Option(names = "--batch", defaultValue = "128", description = "Examples per step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--prior-sigma", defaultValue = "1", description = "Prior N(0, s^2) of every weight (default: ${DEFAULT-VALUE}).")
    float priorSigma;

    @Option(names = "--rho-init", defaultValue = "-5", description = "Initial rho of every weight (default: ${DEFAULT-VALUE}).")
    float rhoInit;

    @Option(names = "--activation", defaultValue = "relu",
            description = "relu, clipped-relu, hardtanh, leaky-relu or softplus (default: ${DEFAULT-VALUE}).")
    String activation;

    @Option(names = "--sigma", defaultValue = "softplus", description = "sigma = softplus(rho) or exp(rho) (default: ${DEFAULT-VALUE}).")
    String sigma;

    @Option(names = "--deterministic", description = "Train a plain (non-Bayesian) network instead.")
    boolean deterministic;

    @Option(names = "--resume", arity = "0..1", fallbackValue = "auto", paramLabel = "CHECKPOINT",
            description = "Continue from a checkpoint made with the same options. Without a file (or with 'auto'): "
                + "from <out>.checkpoint if it exists, else from the start, and nothing at all when --out already "
                + "holds the finished model; so the same command line can be rerun after a crash.")
    String resume;

    @Option(names = "--init", paramLabel = "FILE", description = "Start from this model file (the float parent of --qat).")
    Path init;

    @Option(names = "--machine", paramLabel = "NAME|FILE", description = "Device-aware fine-tuning of --init for this "
            + "analog machine (preset or YAML file): each layer is mapped (the per-layer search), and the posterior is "
            + "learned inside the band of laws that mapping realises (docs/device-aware.md). Uses --epochs, --lr, --batch, "
            + "--seed, --kl-scale, --prior-sigma, --arch, --activation, --sigma and --resume.")
    String machine;

    @Option(names = "--qat", paramLabel = "STRATEGY", description = "Quantization-aware fine-tuning of --init under "
            + "vpq:B, spq:B or jq:B: straight-through gradients, each quantized weight sample distilled from the parent "
            + "under the same eps (docs/quantization.md). Uses --epochs, --lr, --batch, --seed, --kl-scale, --prior-sigma.")
    String qat;

    @Option(names = "--qat-hard-weight", defaultValue = "0", description = "Weight of the hard-label cross-entropy "
            + "beside the distillation term in --qat (default: ${DEFAULT-VALUE}).")
    float qatHardWeight;

    @Override
    public Integer call() {
        PrintStream log = new PrintStream(new WriterOutputStream(spec.commandLine().getErr()), true);
        if (machine != null) {
            if (init == null || qat != null || deterministic) {
                throw new org.bmsim.common.BadInputException("--machine fine-tunes a Bayesian --init model (without --qat or --deterministic)");
            }
            var m = org.bmsim.sim.machine.Machines.load(machine);
            TrainConfig cfg = TrainConfig.of(arch, Activation.of(activation), true, SigmaTransform.of(sigma), epochs, batch,
                    lr, !constantLr, klScale, priorSigma, rhoInit, seed);
            int t = threads == null ? Parallel.defaultThreads() : threads;
            Parallel.checkThreads(t);
            var data = DirtyMnist.load(DataCache.fromEnvironment(), log::println).train();
            Path from = resume == null ? null : resume.equals("auto") ? TrainRun.AUTO : Path.of(resume);
            org.bmsim.examples.train.DeviceAwareRun.run(init, m, cfg, data, t, out, from, log);
            return 0;
        }
        if (qat != null || init != null) {
            if (qat == null || init == null) {
                throw new org.bmsim.common.BadInputException("--init and --qat go together (quantization-aware fine-tuning)");
            }
            int t = threads == null ? Parallel.defaultThreads() : threads;
            Parallel.checkThreads(t);
            var data = DirtyMnist.load(DataCache.fromEnvironment(), log::println).train();
            org.bmsim.examples.quant.QatRun.run(init, org.bmsim.sim.quant.QuantSpec.parse(qat), epochs, batch, lr,
                    qatHardWeight, klScale, priorSigma, seed, data, t, out, log);
            return 0;
        }
        TrainConfig cfg = TrainConfig.of(arch, Activation.of(activation), !deterministic, SigmaTransform.of(sigma), epochs,
                batch, lr, !constantLr, deterministic ? 0f : klScale, priorSigma, rhoInit, seed);
        int t = threads == null ? Parallel.defaultThreads() : threads;
        Parallel.checkThreads(t);
        var data = DirtyMnist.load(DataCache.fromEnvironment(), log::println).train();
        Path from = resume == null ? null : resume.equals("auto") ? TrainRun.AUTO : Path.of(resume);
        TrainRun.run(data, cfg, t, out, from, log, System.console() != null);
        return 0;
    }
}
