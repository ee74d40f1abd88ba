package org.bmsim.examples.dirty;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * What a Dirty-MNIST-lite build did and found; printed by {@code bmsim data build dirty-mnist-lite}
 * and stored in the cache's {@code build.json}.
 *
 * @param recipe                 the recipe
 * @param teacher                the teacher trainer's identifier (part of the cache key)
 * @param teacherTestAccuracy    each teacher's accuracy on the MNIST test split
 * @param ensembleTestAccuracy   the ensemble's accuracy (argmax of the mean prediction) there
 * @param candidates             blended candidates made, per split ({@code train}, {@code test})
 * @param eligible               candidates that passed every filter but the entropy range (MI, top-2,
 *                               entropy at least the lower end, unique sources), per split
 * @param entropyEdges           edges of the acceptance bins: the entropy range actually used
 * @param accepted               accepted unique images per acceptance bin, per split
 * @param eligibleHistogramEdges edges (0.1-nat steps) of the histogram of the eligible candidates
 * @param eligibleHistogram      that histogram per split (the last bin holds everything above)
 * @param acceptedMeanEntropy    mean ensemble entropy of the accepted images, per split
 * @param acceptedMeanMutualInfo mean ensemble mutual information of the accepted images, per split
 * @param counts                 rows per set and subset: train_mnist, train_ambiguous, val_mnist,
 *                               test_mnist, test_ambiguous, test_ood
 * @param seconds                wall time of the build
 */
public record DirtyMnistSummary(
        @JsonProperty("recipe") DirtyMnistRecipe recipe,
        @JsonProperty("teacher") String teacher,
        @JsonProperty("teacher_test_accuracy") List<Double> teacherTestAccuracy,
        @JsonProperty("ensemble_test_accuracy") double ensembleTestAccuracy,
        @JsonProperty("candidates") Map<String, Integer> candidates,
        @JsonProperty("eligible") Map<String, Integer> eligible,
        @JsonProperty("entropy_edges") List<Double> entropyEdges,
        @JsonProperty("accepted") Map<String, List<Integer>> accepted,
        @JsonProperty("eligible_histogram_edges") List<Double> eligibleHistogramEdges,
        @JsonProperty("eligible_histogram") Map<String, List<Integer>> eligibleHistogram,
        @JsonProperty("accepted_mean_entropy") Map<String, Double> acceptedMeanEntropy,
        @JsonProperty("accepted_mean_mutual_info") Map<String, Double> acceptedMeanMutualInfo,
        @JsonProperty("counts") Map<String, Integer> counts,
        @JsonProperty("seconds") double seconds) {

    /** The summary as the CLI prints it: counts, teacher accuracy, entropy histograms, time. */
    public String table() {
        StringBuilder b = new StringBuilder();
        b.append(String.format("Dirty-MNIST-lite, seed %d, teachers: %d x %s%n", recipe.seed(), recipe.teachers(),
                teacher));
        b.append("  teacher accuracy on the MNIST test split:");
        for (double a : teacherTestAccuracy) {
            b.append(String.format(" %.2f%%", 100 * a));
        }
        b.append(String.format("; ensemble %.2f%%%n", 100 * ensembleTestAccuracy));
        b.append(String.format("  train: %d MNIST + %d ambiguous rows (%d images x %d labels)%n",
                counts.get("train_mnist"), counts.get("train_ambiguous"), recipe.ambiguousTrain(),
                recipe.labelsPerImage()));
        b.append(String.format("  val:   %d MNIST%n", counts.get("val_mnist")));
        b.append(String.format("  test:  %d MNIST + %d ambiguous + %d OOD (Fashion-MNIST)%n", counts.get("test_mnist"),
                counts.get("test_ambiguous"), counts.get("test_ood")));
        b.append(String.format("  candidates: %d (train split) and %d (test split); eligible: %d and %d%n",
                candidates.get("train"), candidates.get("test"), eligible.get("train"), eligible.get("test")));
        b.append(String.format("  entropy range used: [%.2f, %.2f] nats in %d bins (tried from %.2f down)%n",
                entropyEdges.get(0), entropyEdges.get(entropyEdges.size() - 1), entropyEdges.size() - 1,
                recipe.entropyHighStart()));
        b.append("  accepted per bin      ");
        for (int i = 0; i + 1 < entropyEdges.size(); i++) {
            b.append(String.format(" [%.2f,%.2f)", entropyEdges.get(i), entropyEdges.get(i + 1)));
        }
        b.append('\n');
        for (String split : List.of("train", "test")) {
            b.append(String.format("    A-%-5s (mean H %.3f, MI %.3f)", split, acceptedMeanEntropy.get(split),
                    acceptedMeanMutualInfo.get(split)));
            for (int n : accepted.get(split)) {
                b.append(String.format(" %11d", n));
            }
            b.append('\n');
        }
        b.append("  eligible candidates by ensemble entropy (nats):\n");
        b.append("    bin from    ");
        for (int i = 0; i < eligibleHistogramEdges.size() - 1; i++) {
            b.append(String.format(" %6.1f", eligibleHistogramEdges.get(i)));
        }
        b.append("  above\n");
        for (String split : List.of("train", "test")) {
            b.append(String.format("    %-12s", split + " split"));
            for (int n : eligibleHistogram.get(split)) {
                b.append(String.format(" %6d", n));
            }
            b.append('\n');
        }
        b.append(String.format("  built in %.1f s%n", seconds));
        return b.toString();
    }
}
