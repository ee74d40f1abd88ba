package org.bmsim.sim.metrics;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bmsim.common.BadInputException;

/**
 * How far a quantized or hardware run's uncertainty is from the FP32 reference run
 * (docs/metrics.md; Borras et al., "Uncertainty-Preserving QBNNs", arXiv 2512.10602, 2025). Both runs must
 * evaluate the same inputs with common random numbers (the FP32 run draws the very same eps stream
 * as floats), otherwise Monte Carlo noise swamps the quantization error; run FP32 against FP32 with
 * another seed for the Monte Carlo floor. For each subset D in {mnist, ambiguous, ood} and U in
 * {aleatoric, epistemic}:
 * <pre>
 *   err(D, U) = |mean_D U_q - mean_D U_fp| / mean_D U_fp * 100 %
 * </pre>
 * {@code max} and {@code mean} are over the defined errors (a subset that is empty, or whose
 * reference mean is 0, has none: null). The deltas are quantized minus reference.
 *
 * @param errorsPct            err(D, U) in percent: subset key, then {@code aleatoric} / {@code epistemic}
 * @param maxPct               max of the defined errors (null if none)
 * @param meanPct              mean of the defined errors (null if none)
 * @param accuracyDelta        accuracy_q - accuracy_fp (fraction, not points)
 * @param aurocOodDelta        auroc_ood_q - auroc_ood_fp
 * @param aurocOodMnistOnlyDelta auroc_ood_mnist_only_q - auroc_ood_mnist_only_fp
 * @param aurocAmbDelta        auroc_amb_q - auroc_amb_fp
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"errors_pct", "max_pct", "mean_pct", "accuracy_delta", "auroc_ood_delta",
    "auroc_ood_mnist_only_delta", "auroc_amb_delta"})
public record UncertaintyError(
        @JsonProperty("errors_pct") Map<String, Map<String, Double>> errorsPct,
        @JsonProperty("max_pct") Double maxPct,
        @JsonProperty("mean_pct") Double meanPct,
        @JsonProperty("accuracy_delta") Double accuracyDelta,
        @JsonProperty("auroc_ood_delta") Double aurocOodDelta,
        @JsonProperty("auroc_ood_mnist_only_delta") Double aurocOodMnistOnlyDelta,
        @JsonProperty("auroc_amb_delta") Double aurocAmbDelta) {

    private static final List<String> SUBSETS = List.of(MetricsReport.MNIST, MetricsReport.AMBIGUOUS,
            MetricsReport.OOD);

    /** The error of {@code quantized} against {@code reference}; both must cover the same subsets and counts. */
    public static UncertaintyError between(MetricsReport quantized, MetricsReport reference) {
        Map<String, Map<String, Double>> errors = new LinkedHashMap<>();
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        int n = 0;
        for (String d : SUBSETS) {
            SubsetSummary q = quantized.subset(d);
            SubsetSummary fp = reference.subset(d);
            if (q.count() != fp.count()) {
                throw new BadInputException("the runs cover different data: subset " + d + " has " + q.count()
                        + " rows against " + fp.count() + " in the reference");
            }
            Map<String, Double> e = new LinkedHashMap<>();
            e.put("aleatoric", relativeErrorPct(q.aleatoricMean(), fp.aleatoricMean()));
            e.put("epistemic", relativeErrorPct(q.epistemicMean(), fp.epistemicMean()));
            for (Double v : e.values()) {
                if (v != null) {
                    max = Math.max(max, v);
                    sum += v;
                    n++;
                }
            }
            errors.put(d, e);
        }
        return new UncertaintyError(errors, n == 0 ? null : max, n == 0 ? null : sum / n,
                delta(quantized.accuracy(), reference.accuracy()), delta(quantized.aurocOod(), reference.aurocOod()),
                delta(quantized.aurocOodMnistOnly(), reference.aurocOodMnistOnly()),
                delta(quantized.aurocAmb(), reference.aurocAmb()));
    }

    /** |q - fp| / fp * 100, or null when either is missing or fp is 0. */
    public static Double relativeErrorPct(Double q, Double fp) {
        if (q == null || fp == null || fp == 0.0) {
            return null;
        }
        return Math.abs(q - fp) / fp * 100.0;
    }

    private static Double delta(Double q, Double fp) {
        return q == null || fp == null ? null : q - fp;
    }
}
