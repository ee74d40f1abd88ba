package org.bmsim.sim.metrics;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Summary of one subset (mnist, ambiguous or ood) of an evaluation; see {@link UncertaintyMetrics}
 * for the formulas. Values that do not exist are null and left out of the JSON: {@code accuracy}
 * when no row of the subset has a label, the means when the subset is empty.
 *
 * @param count          rows of the subset
 * @param accuracy       fraction of labelled rows whose argmax of the mean prediction is the label
 * @param predictiveMean mean predictive entropy PE (nats)
 * @param aleatoricMean  mean aleatoric uncertainty AU, the expected entropy (nats)
 * @param epistemicMean  mean epistemic uncertainty EU, the mutual information (nats)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"count", "accuracy", "predictive_mean", "aleatoric_mean", "epistemic_mean"})
public record SubsetSummary(
        @JsonProperty("count") int count,
        @JsonProperty("accuracy") Double accuracy,
        @JsonProperty("predictive_mean") Double predictiveMean,
        @JsonProperty("aleatoric_mean") Double aleatoricMean,
        @JsonProperty("epistemic_mean") Double epistemicMean) {
}
