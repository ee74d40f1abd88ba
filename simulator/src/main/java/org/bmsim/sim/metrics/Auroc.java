package org.bmsim.sim.metrics;

import java.util.Arrays;
import org.bmsim.common.BadInputException;

/**
 * Area under the ROC curve by the Mann-Whitney statistic with average ranks for ties (Mann and
 * Whitney 1947; Hanley and McNeil, "The meaning and use of the area under a receiver operating
 * characteristic (ROC) curve", Radiology 143, 1982): pool the scores, rank them 1..n with tied
 * scores sharing the average of their ranks, and
 * <pre>
 *   U    = R_pos - n_pos (n_pos + 1) / 2      (R_pos: sum of the positives' ranks)
 *   AUROC = U / (n_pos n_neg)
 * </pre>
 * which equals P(score of a positive &gt; score of a negative) + P(equal) / 2. A higher score means
 * "more likely positive". Stateless; the single place of this formula in bmsim.
 */
public final class Auroc {
    private Auroc() {
    }

    /**
     * AUROC of {@code positives} against {@code negatives}. Both must be non-empty and free of NaN
     * (bad input otherwise); -0.0 and 0.0 count as the same score.
     */
    public static double of(double[] negatives, double[] positives) {
        int nNeg = negatives.length;
        int nPos = positives.length;
        if (nNeg == 0 || nPos == 0) {
            throw new BadInputException("AUROC needs at least one positive and one negative (got " + nPos
                    + " positives, " + nNeg + " negatives)");
        }
        double[] pooled = new double[nNeg + nPos];
        for (int i = 0; i < nNeg; i++) {
            pooled[i] = clean(negatives[i]);
        }
        for (int i = 0; i < nPos; i++) {
            pooled[nNeg + i] = clean(positives[i]);
        }
        Arrays.sort(pooled);
        double rankSum = 0;
        for (double p : positives) {
            double v = clean(p);
            int first = firstIndex(pooled, v);
            int last = (v == Double.POSITIVE_INFINITY ? pooled.length : firstIndex(pooled, Math.nextUp(v))) - 1;
            rankSum += (first + last) / 2.0 + 1.0; // average 1-based rank of the tie group
        }
        double u = rankSum - nPos * (nPos + 1.0) / 2.0;
        return u / ((double) nPos * nNeg);
    }

    private static double clean(double v) {
        if (Double.isNaN(v)) {
            throw new BadInputException("AUROC score is NaN");
        }
        return v + 0.0; // folds -0.0 into 0.0
    }

    /** Index of the first element &gt;= v in sorted {@code a} (a.length when there is none). */
    private static int firstIndex(double[] a, double v) {
        int lo = 0;
        int hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
