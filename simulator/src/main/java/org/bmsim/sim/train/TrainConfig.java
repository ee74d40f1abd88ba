package org.bmsim.sim.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.bmsim.common.BadInputException;
import org.bmsim.sim.nn.Activation;
import org.bmsim.sim.nn.Architecture;
import org.bmsim.sim.nn.SigmaTransform;

/**
 * Everything that determines a trained network besides its data: the result is a function of this
 * record and the training set only (the thread count is not part of it).
 *
 * @param arch           architecture name ({@link Architecture#of})
 * @param activation     hidden activation
 * @param bayesian       mean-field Gaussian weights trained by Bayes by backprop, or plain weights
 * @param sigmaTransform sigma = softplus(rho) or exp(rho)
 * @param epochs         passes over the training set
 * @param batch          examples per optimiser step
 * @param lr             Adam's initial learning rate
 * @param cosine         cosine decay of the learning rate to 0 over all steps (else constant)
 * @param klScale        tempering of the KL term (1 = the exact ELBO)
 * @param priorSigma     prior N(0, priorSigma^2) of every weight
 * @param rhoInit        initial rho of every weight
 * @param seed           seed of initialisation, shuffling and weight noise
 */
public record TrainConfig(String arch, Activation activation, boolean bayesian, SigmaTransform sigmaTransform,
        int epochs, int batch, float lr, boolean cosine, float klScale, float priorSigma, float rhoInit, long seed) {

    /** Validating factory. */
    public static TrainConfig of(String arch, Activation activation, boolean bayesian, SigmaTransform sigmaTransform,
            int epochs, int batch, float lr, boolean cosine, float klScale, float priorSigma, float rhoInit, long seed) {
        Architecture.of(arch, activation);
        if (epochs < 1 || epochs > 100_000) {
            throw new BadInputException("epochs must be 1..100000, got " + epochs);
        }
        if (batch < 1 || batch > 65_536) {
            throw new BadInputException("batch must be 1..65536, got " + batch);
        }
        if (!(lr > 0 && lr < 10)) {
            throw new BadInputException("learning rate must be in (0, 10), got " + lr);
        }
        if (!(klScale >= 0 && klScale <= 1e6)) {
            throw new BadInputException("KL scale must be >= 0, got " + klScale);
        }
        if (!(priorSigma > 0 && priorSigma < 1e6)) {
            throw new BadInputException("prior sigma must be > 0, got " + priorSigma);
        }
        if (!(rhoInit > -30 && rhoInit < 10)) {
            throw new BadInputException("rho init must be in (-30, 10), got " + rhoInit);
        }
        return new TrainConfig(arch, activation, bayesian, sigmaTransform, epochs, batch, lr, cosine, klScale, priorSigma,
                rhoInit, seed);
    }

    /**
     * The float reference recipe (quantization spec, "what a reference implementation found"): prior
     * N(0, 1), rho initialised at -5, Adam 3e-3 with cosine decay, batch 128, KL scaled by 0.1.
     */
    public static TrainConfig reference(String arch, int epochs, long seed) {
        return of(arch, Activation.RELU, true, SigmaTransform.SOFTPLUS, epochs, 128, 3e-3f, true, 0.1f, 1f, -5f, seed);
    }

    /** A plain (non-Bayesian) network: Adam 1e-3 with cosine decay, batch 128. */
    public static TrainConfig deterministic(String arch, int epochs, long seed) {
        return of(arch, Activation.RELU, false, SigmaTransform.SOFTPLUS, epochs, 128, 1e-3f, true, 0f, 1f, -5f, seed);
    }

    public Architecture architecture() {
        return Architecture.of(arch, activation);
    }

    /** The configuration as strings (model-file metadata, run folders); {@link #fromMap} reads it back. */
    public Map<String, String> toMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("arch", arch);
        m.put("activation", activation.id());
        m.put("bayesian", Boolean.toString(bayesian));
        m.put("sigma_transform", sigmaTransform.id());
        m.put("epochs", Integer.toString(epochs));
        m.put("batch", Integer.toString(batch));
        m.put("lr", Float.toString(lr));
        m.put("lr_schedule", cosine ? "cosine" : "constant");
        m.put("kl_scale", Float.toString(klScale));
        m.put("prior_sigma", Float.toString(priorSigma));
        m.put("rho_init", Float.toString(rhoInit));
        m.put("seed", Long.toString(seed));
        return m;
    }

    /** Reads {@link #toMap()}'s form back; a missing or malformed key is bad input. */
    public static TrainConfig fromMap(Map<String, String> m, String source) {
        try {
            return of(req(m, "arch", source), Activation.of(req(m, "activation", source)),
                    Boolean.parseBoolean(req(m, "bayesian", source)), SigmaTransform.of(req(m, "sigma_transform", source)),
                    Integer.parseInt(req(m, "epochs", source)), Integer.parseInt(req(m, "batch", source)),
                    Float.parseFloat(req(m, "lr", source)), "cosine".equals(req(m, "lr_schedule", source)),
                    Float.parseFloat(req(m, "kl_scale", source)), Float.parseFloat(req(m, "prior_sigma", source)),
                    Float.parseFloat(req(m, "rho_init", source)), Long.parseLong(req(m, "seed", source)));
        } catch (NumberFormatException e) {
            throw new BadInputException(source + ": malformed training configuration (" + e.getMessage() + ")");
        }
    }

    private static String req(Map<String, String> m, String key, String source) {
        String v = m.get(key);
        if (v == null) {
            throw new BadInputException(source + ": training configuration has no '" + key + "'");
        }
        return v;
    }
}
