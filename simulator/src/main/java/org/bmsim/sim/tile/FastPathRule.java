package org.bmsim.sim.tile;

import java.util.ArrayList;
import java.util.List;

/**
 * The rule that picks the output-referred fast path,
 * {@code y_j = sum_i mu_ij x_i + z_j sqrt(sum_i sigma_ij^2 x_i^2)}, only where it is exact in
 * distribution. It is exact when the column sum is a sum of independent Gaussians drawn afresh for
 * the read: then it is itself Gaussian with that mean and variance, whatever the inputs. It refuses,
 * with a reason each:
 *
 * <ol>
 * <li>one sample per inference: the reads of an inference share one weight sample, so their outputs
 *     are dependent, which independent z_j per read do not reproduce;</li>
 * <li>quantized samples (digital JQ cells, SPQ): a rounded sample is not Gaussian;</li>
 * <li>non-Gaussian device noise (Laplace): a finite sum of Laplace terms is not Gaussian (exact only
 *     in the limit of many rows);</li>
 * <li>time-correlated noise (1/f, RTN): successive reads are dependent;</li>
 * <li>ADC clipping on partial sums: when the ADC converts a partial sum of fewer rows than the tile
 *     (a column split into segments), the clip acts inside the sum.</li>
 * </ol>
 * Everything the rule refuses runs on the faithful path. DAC quantization and clipping act on the
 * inputs, which are fixed during the read, and the ADC acting on the full column sum acts after the
 * sum: neither breaks exactness.
 */
public final class FastPathRule {
    private FastPathRule() {
    }

    /** What the rule looks at. */
    public record Inputs(SamplingSemantics semantics, boolean quantizedSamples, NoiseShape shape,
            boolean correlatedNoise, boolean adcClipsPartialSums) {
    }

    /** The verdict and, when refused, every reason. */
    public record Decision(boolean fast, List<String> refusals) {
        public Decision {
            refusals = List.copyOf(refusals);
        }
    }

    public static Decision decide(Inputs in) {
        List<String> no = new ArrayList<>();
        if (in.semantics() == SamplingSemantics.PER_INFERENCE) {
            no.add("one weight sample per inference (reads share the sample)");
        }
        if (in.quantizedSamples()) {
            no.add("quantized weight samples (not Gaussian)");
        }
        if (in.shape() != NoiseShape.GAUSSIAN) {
            no.add("non-Gaussian device noise (" + in.shape().id() + ")");
        }
        if (in.correlatedNoise()) {
            no.add("time-correlated noise (successive reads dependent)");
        }
        if (in.adcClipsPartialSums()) {
            no.add("ADC clipping on partial sums inside the column");
        }
        return new Decision(no.isEmpty(), no);
    }
}
