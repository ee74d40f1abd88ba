package org.bmsim.sim.metrics;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import org.bmsim.common.BadInputException;

/**
 * The summary of one Monte Carlo evaluation, as every bmsim report writes it (JSON keys in
 * snake_case, exactly as below). Computed by {@link UncertaintyMetrics#report}; see there for
 * each formula and for which rows each value is taken over. A value that does not exist for the
 * data (for example {@code auroc_ood} without OOD rows) is null and left out of the JSON.
 *
 * @param samples           Monte Carlo samples S
 * @param count             inputs N
 * @param accuracy          accuracy on the labelled rows of the mnist subset
 * @param nll               negative log-likelihood (nats, mean) on the same rows
 * @param ece               expected calibration error, 15 equal-width bins, on the same rows
 * @param brier             multi-class Brier score on the same rows
 * @param aurocOod          AUROC of EU: ood against mnist and ambiguous
 * @param aurocOodMnistOnly AUROC of EU: ood against mnist
 * @param aurocAmb          AUROC of AU: ambiguous against mnist
 * @param subsets           per subset, keys {@code mnist}, {@code ambiguous}, {@code ood} (always all three)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"samples", "count", "accuracy", "nll", "ece", "brier", "auroc_ood", "auroc_ood_mnist_only",
    "auroc_amb", "subsets"})
public record MetricsReport(
        @JsonProperty("samples") int samples,
        @JsonProperty("count") int count,
        @JsonProperty("accuracy") Double accuracy,
        @JsonProperty("nll") Double nll,
        @JsonProperty("ece") Double ece,
        @JsonProperty("brier") Double brier,
        @JsonProperty("auroc_ood") Double aurocOod,
        @JsonProperty("auroc_ood_mnist_only") Double aurocOodMnistOnly,
        @JsonProperty("auroc_amb") Double aurocAmb,
        @JsonProperty("subsets") Map<String, SubsetSummary> subsets) {

    /** JSON key of the clean in-distribution subset (code 0). */
    public static final String MNIST = "mnist";
    /** JSON key of the ambiguous subset (code 1). */
    public static final String AMBIGUOUS = "ambiguous";
    /** JSON key of the out-of-distribution subset (code 2). */
    public static final String OOD = "ood";

    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    public MetricsReport {
        subsets = subsets == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(subsets));
    }

    /** The subset summary of {@code key} ({@link #MNIST}, {@link #AMBIGUOUS}, {@link #OOD}). */
    public SubsetSummary subset(String key) {
        SubsetSummary s = subsets.get(key);
        if (s == null) {
            throw new BadInputException("metrics report has no subset '" + key + "' (it has " + subsets.keySet() + ")");
        }
        return s;
    }

    /** Indented JSON, keys as documented above. */
    public String toJson() {
        return JSON.writeValueAsString(this);
    }

    /** Reads a report written by {@link #toJson()}; unreadable JSON is bad input. */
    public static MetricsReport fromJson(String json) {
        try {
            return JSON.readValue(json, MetricsReport.class);
        } catch (JacksonException e) {
            throw new BadInputException("cannot read metrics JSON: " + e.getOriginalMessage());
        }
    }
}
