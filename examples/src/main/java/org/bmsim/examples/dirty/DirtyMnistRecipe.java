package org.bmsim.examples.dirty;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.bmsim.common.BadInputException;

/**
 * Every number of the Dirty-MNIST-lite recipe (docs/dirty-mnist.md); the defaults are the
 * project's recipe, smaller values are for tests. Part of the cache key: a different recipe is a
 * different data set.
 *
 * @param seed               build seed (default 2024)
 * @param mnistTrain         MNIST digits in the train split (7,000)
 * @param mnistVal           MNIST digits in the validation split (1,000)
 * @param mnistTest          MNIST digits in the test split (2,000)
 * @param candidatesPerSplit blended candidates made from each of the train and the test split
 * @param ambiguousTrain     unique ambiguous images for training, A-train (700)
 * @param ambiguousTest      unique ambiguous images for testing, A-test (400)
 * @param labelsPerImage     labels drawn per A-train image (10)
 * @param teachers           teacher networks in the ensemble (5)
 * @param entropyLow         lower end of the accepted ensemble entropy (0.3 nats)
 * @param entropyHighStart   upper end tried first (1.6 nats); narrowed in {@code entropyStep} steps
 *                           until every bin is filled
 * @param entropyStep        step of the narrowing (0.05 nats)
 * @param entropyBins        equal-width entropy bins acceptance is stratified over (5)
 * @param maxMutualInfo      largest accepted ensemble mutual information (0.15 nats)
 * @param lambdaLow          blend weight l ~ U(lambdaLow, lambdaHigh) (0.3)
 * @param lambdaHigh         (0.7)
 * @param noiseStd           Gaussian noise on ambiguous images, normalised units (0.05)
 * @param oodCount           Fashion-MNIST test images in the test set (2,000; 0 = all 10,000)
 */
public record DirtyMnistRecipe(
        @JsonProperty("seed") long seed,
        @JsonProperty("mnist_train") int mnistTrain,
        @JsonProperty("mnist_val") int mnistVal,
        @JsonProperty("mnist_test") int mnistTest,
        @JsonProperty("candidates_per_split") int candidatesPerSplit,
        @JsonProperty("ambiguous_train") int ambiguousTrain,
        @JsonProperty("ambiguous_test") int ambiguousTest,
        @JsonProperty("labels_per_image") int labelsPerImage,
        @JsonProperty("teachers") int teachers,
        @JsonProperty("entropy_low") double entropyLow,
        @JsonProperty("entropy_high_start") double entropyHighStart,
        @JsonProperty("entropy_step") double entropyStep,
        @JsonProperty("entropy_bins") int entropyBins,
        @JsonProperty("max_mutual_info") double maxMutualInfo,
        @JsonProperty("lambda_low") double lambdaLow,
        @JsonProperty("lambda_high") double lambdaHigh,
        @JsonProperty("noise_std") double noiseStd,
        @JsonProperty("ood_count") int oodCount) {

    /** Default build seed. */
    public static final long DEFAULT_SEED = 2024;

    /**
     * The confusable class pairs of the recipe: pairs of digits whose blends look like either.
     */
    public static final List<int[]> PAIRS = List.of(new int[] {4, 9}, new int[] {3, 5}, new int[] {3, 8},
            new int[] {5, 8}, new int[] {7, 9}, new int[] {1, 7}, new int[] {2, 7}, new int[] {0, 6},
            new int[] {5, 6}, new int[] {2, 3}, new int[] {8, 9}, new int[] {0, 8});

    public DirtyMnistRecipe {
        if (mnistTrain <= 0 || mnistVal < 0 || mnistTest <= 0 || candidatesPerSplit <= 0 || ambiguousTrain <= 0
                || ambiguousTest <= 0 || labelsPerImage <= 0 || teachers <= 0 || entropyBins <= 0 || oodCount < 0) {
            throw new BadInputException("Dirty-MNIST-lite recipe: counts must be positive");
        }
        if (ambiguousTrain % entropyBins != 0 || ambiguousTest % entropyBins != 0) {
            throw new BadInputException("Dirty-MNIST-lite recipe: " + ambiguousTrain + " and " + ambiguousTest
                    + " ambiguous images do not split evenly over " + entropyBins + " entropy bins");
        }
        if (!(entropyLow >= 0 && entropyHighStart > entropyLow && entropyStep > 0 && maxMutualInfo >= 0
                && lambdaLow >= 0 && lambdaHigh <= 1 && lambdaLow <= lambdaHigh && noiseStd >= 0)) {
            throw new BadInputException("Dirty-MNIST-lite recipe: bad entropy, mutual-information, lambda or noise setting");
        }
    }

    /** The project's recipe with build seed {@code seed}. */
    public static DirtyMnistRecipe standard(long seed) {
        return new DirtyMnistRecipe(seed, 7000, 1000, 2000, 60000, 700, 400, 10, 5, 0.3, 1.6, 0.05, 5, 0.15, 0.3,
                0.7, 0.05, 2000);
    }

    /** This recipe with all 10,000 Fashion-MNIST test images as OOD data. */
    public DirtyMnistRecipe withAllOod() {
        return new DirtyMnistRecipe(seed, mnistTrain, mnistVal, mnistTest, candidatesPerSplit, ambiguousTrain,
                ambiguousTest, labelsPerImage, teachers, entropyLow, entropyHighStart, entropyStep, entropyBins,
                maxMutualInfo, lambdaLow, lambdaHigh, noiseStd, 0);
    }
}
