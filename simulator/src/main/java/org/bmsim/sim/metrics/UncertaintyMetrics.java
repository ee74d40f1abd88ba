package org.bmsim.sim.metrics;

import java.util.LinkedHashMap;
import java.util.Map;
import org.bmsim.common.BadInputException;
import org.bmsim.sim.data.FloatSet;

/**
 * The uncertainty metrics of a Bayesian network's Monte Carlo predictions: the one place in bmsim
 * where these formulas live (every report calls this class). Natural logarithms, {@link #EPS} =
 * 1e-12 inside every logarithm, all sums in double precision in a fixed order (so the result does
 * not depend on thread count). With p_s = softmax output of weight sample s = 1..S and
 * pbar = (1/S) sum_s p_s:
 * <ul>
 * <li>predictive entropy PE = -sum_c pbar_c ln(pbar_c + eps);</li>
 * <li>aleatoric uncertainty AU = (1/S) sum_s ( -sum_c p_sc ln(p_sc + eps) ), the expected entropy;</li>
 * <li>epistemic uncertainty EU = max(0, PE - AU), the mutual information between the prediction and
 * the weights (the decomposition of Depeweg et al., "Decomposition of Uncertainty in Bayesian Deep
 * Learning for Efficient and Risk-sensitive Learning", ICML 2018; also Smith and Gal 2018).</li>
 * </ul>
 * The prediction is argmax_c pbar_c (the lowest class index on ties). Over a set of labelled rows
 * with label y:
 * <ul>
 * <li>accuracy = fraction of rows whose prediction is y;</li>
 * <li>NLL = mean of -ln(pbar_y + eps);</li>
 * <li>ECE (Guo et al., "On Calibration of Modern Neural Networks", ICML 2017) with {@link #ECE_BINS} = 15
 * equal-width confidence bins B_m = ((m-1)/15, m/15], confidence = max_c pbar_c:
 * ECE = sum_m |B_m|/n * |acc(B_m) - conf(B_m)|;</li>
 * <li>Brier score (Brier 1950, multi-class form) = mean of sum_c (pbar_c - [c = y])^2, in [0, 2].</li>
 * </ul>
 * Which rows: the top-level accuracy, NLL, ECE and Brier of {@link MetricsReport} are taken over the
 * labelled rows of the mnist subset (the clean in-distribution test digits: the numbers the
 * Dirty-MNIST literature, Mukhoti et al., "Deep Deterministic Uncertainty", CVPR 2023, quotes);
 * each {@link SubsetSummary} has its own accuracy over its labelled rows. Soft labels (the teacher
 * distribution of an ambiguous row) are not used by any metric: {@link McPredictions} carries only
 * the hard label, which for an ambiguous row is whatever its data set put in the label field (for
 * Dirty-MNIST-lite's ambiguous test rows, the argmax of the teacher ensemble's mean prediction).
 * OOD rows carry no label (-1) and enter only the uncertainty means and the AUROCs:
 * <ul>
 * <li>AUROC_OOD: score EU, negatives mnist and ambiguous, positives ood; also with negatives mnist only;</li>
 * <li>AUROC_amb: score AU, negatives mnist, positives ambiguous;</li>
 * </ul>
 * both by {@link Auroc} (Mann-Whitney with average ranks for ties).
 */
public final class UncertaintyMetrics {
    /** Added to every probability inside a logarithm. */
    public static final double EPS = 1e-12;
    /** Equal-width confidence bins of the ECE. */
    public static final int ECE_BINS = 15;
    /** How far a row of probabilities may sum away from 1 before it is refused as bad input. */
    public static final double SUM_TOLERANCE = 1e-3;

    private UncertaintyMetrics() {
    }

    /**
     * Per-input quantities of an evaluation.
     *
     * @param count      inputs N
     * @param classes    classes C
     * @param meanProbs  pbar, N * C values
     * @param predictive PE per input
     * @param aleatoric  AU per input
     * @param epistemic  EU per input
     */
    public record Uncertainties(int count, int classes, double[] meanProbs, double[] predictive, double[] aleatoric,
            double[] epistemic) {
    }

    /** -sum_c p_c ln(p_c + eps) of {@code p[off .. off+classes-1]}. */
    public static double entropy(double[] p, int off, int classes) {
        double h = 0;
        for (int c = 0; c < classes; c++) {
            double v = p[off + c];
            h -= v * Math.log(v + EPS);
        }
        return h;
    }

    /**
     * PE, AU and EU of every input. Probabilities must be finite, non-negative, and each row must
     * sum to 1 within {@link #SUM_TOLERANCE} (logits or a wrong layout are refused as bad input).
     */
    public static Uncertainties uncertainties(McPredictions p) {
        int s = p.samples();
        int n = p.count();
        int k = p.classes();
        float[] probs = p.probs();
        double[] mean = new double[n * k];
        double[] au = new double[n];
        double[] row = new double[k];
        for (int si = 0; si < s; si++) {
            for (int i = 0; i < n; i++) {
                int off = (si * n + i) * k;
                double sum = 0;
                for (int c = 0; c < k; c++) {
                    float v = probs[off + c];
                    if (!(v >= 0f) || Float.isInfinite(v)) {
                        throw new BadInputException("probability " + v + " at sample " + si + ", input " + i
                                + ", class " + c + " is not a finite non-negative number");
                    }
                    row[c] = v;
                    sum += v;
                    mean[i * k + c] += v;
                }
                if (Math.abs(sum - 1.0) > SUM_TOLERANCE) {
                    throw new BadInputException("probabilities of sample " + si + ", input " + i + " sum to " + sum
                            + ", not 1 (softmax outputs expected, not logits)");
                }
                au[i] += entropy(row, 0, k);
            }
        }
        double[] pe = new double[n];
        double[] eu = new double[n];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < k; c++) {
                mean[i * k + c] /= s;
            }
            au[i] /= s;
            pe[i] = entropy(mean, i * k, k);
            eu[i] = Math.max(0.0, pe[i] - au[i]);
        }
        return new Uncertainties(n, k, mean, pe, au, eu);
    }

    /** argmax_c of {@code p[off .. off+classes-1]}, the lowest index on ties. */
    public static int argmax(double[] p, int off, int classes) {
        int best = 0;
        for (int c = 1; c < classes; c++) {
            if (p[off + c] > p[off + best]) {
                best = c;
            }
        }
        return best;
    }

    /** The full summary of an evaluation. */
    public static MetricsReport report(McPredictions p) {
        return report(p, uncertainties(p));
    }

    /** The full summary, reusing per-input quantities already computed for {@code p}. */
    public static MetricsReport report(McPredictions p, Uncertainties u) {
        if (u.count() != p.count() || u.classes() != p.classes()) {
            throw new BadInputException("uncertainties of " + u.count() + " inputs do not belong to predictions of "
                    + p.count());
        }
        short[] labels = p.labels();
        byte[] subset = p.subset();
        boolean[] mnistLabelled = new boolean[p.count()];
        for (int i = 0; i < p.count(); i++) {
            if (labels[i] < -1 || labels[i] >= p.classes()) {
                throw new BadInputException("label " + labels[i] + " of input " + i + " is outside -1.." + (p.classes() - 1));
            }
            if (subset[i] < FloatSet.MNIST || subset[i] > FloatSet.OOD) {
                throw new BadInputException("subset code " + subset[i] + " of input " + i + " is not 0, 1 or 2");
            }
            mnistLabelled[i] = subset[i] == FloatSet.MNIST && labels[i] >= 0;
        }
        Map<String, SubsetSummary> subsets = new LinkedHashMap<>();
        subsets.put(MetricsReport.MNIST, subsetSummary(p, u, FloatSet.MNIST));
        subsets.put(MetricsReport.AMBIGUOUS, subsetSummary(p, u, FloatSet.AMBIGUOUS));
        subsets.put(MetricsReport.OOD, subsetSummary(p, u, FloatSet.OOD));
        return new MetricsReport(p.samples(), p.count(),
                accuracy(u, labels, mnistLabelled), nll(u, labels, mnistLabelled), ece(u, labels, mnistLabelled),
                brier(u, labels, mnistLabelled),
                auroc(u.epistemic(), subset, new byte[] {FloatSet.MNIST, FloatSet.AMBIGUOUS}, FloatSet.OOD),
                auroc(u.epistemic(), subset, new byte[] {FloatSet.MNIST}, FloatSet.OOD),
                auroc(u.aleatoric(), subset, new byte[] {FloatSet.MNIST}, FloatSet.AMBIGUOUS),
                subsets);
    }

    private static SubsetSummary subsetSummary(McPredictions p, Uncertainties u, byte code) {
        int n = 0;
        boolean[] labelled = new boolean[p.count()];
        double pe = 0;
        double au = 0;
        double eu = 0;
        for (int i = 0; i < p.count(); i++) {
            if (p.subset()[i] == code) {
                n++;
                pe += u.predictive()[i];
                au += u.aleatoric()[i];
                eu += u.epistemic()[i];
                labelled[i] = p.labels()[i] >= 0;
            }
        }
        if (n == 0) {
            return new SubsetSummary(0, null, null, null, null);
        }
        return new SubsetSummary(n, accuracy(u, p.labels(), labelled), pe / n, au / n, eu / n);
    }

    /** AUROC of {@code score} with rows of subset {@code positive} against rows of {@code negatives}; null if either is empty. */
    private static Double auroc(double[] score, byte[] subset, byte[] negatives, byte positive) {
        int nNeg = 0;
        int nPos = 0;
        for (byte s : subset) {
            if (s == positive) {
                nPos++;
            } else if (contains(negatives, s)) {
                nNeg++;
            }
        }
        if (nNeg == 0 || nPos == 0) {
            return null;
        }
        double[] neg = new double[nNeg];
        double[] pos = new double[nPos];
        nNeg = 0;
        nPos = 0;
        for (int i = 0; i < subset.length; i++) {
            if (subset[i] == positive) {
                pos[nPos++] = score[i];
            } else if (contains(negatives, subset[i])) {
                neg[nNeg++] = score[i];
            }
        }
        return Auroc.of(neg, pos);
    }

    private static boolean contains(byte[] set, byte v) {
        for (byte b : set) {
            if (b == v) {
                return true;
            }
        }
        return false;
    }

    private static int rows(boolean[] mask) {
        int n = 0;
        for (boolean b : mask) {
            if (b) {
                n++;
            }
        }
        return n;
    }

    /** Accuracy over the rows where {@code mask} is set (their labels must be >= 0); null for no rows. */
    public static Double accuracy(Uncertainties u, short[] labels, boolean[] mask) {
        int n = rows(mask);
        if (n == 0) {
            return null;
        }
        int k = u.classes();
        int right = 0;
        for (int i = 0; i < u.count(); i++) {
            if (mask[i] && argmax(u.meanProbs(), i * k, k) == labels[i]) {
                right++;
            }
        }
        return (double) right / n;
    }

    /** Mean of -ln(pbar_y + eps) over the rows where {@code mask} is set; null for no rows. */
    public static Double nll(Uncertainties u, short[] labels, boolean[] mask) {
        int n = rows(mask);
        if (n == 0) {
            return null;
        }
        int k = u.classes();
        double sum = 0;
        for (int i = 0; i < u.count(); i++) {
            if (mask[i]) {
                sum -= Math.log(u.meanProbs()[i * k + labels[i]] + EPS);
            }
        }
        return sum / n;
    }

    /** Multi-class Brier score over the rows where {@code mask} is set; null for no rows. */
    public static Double brier(Uncertainties u, short[] labels, boolean[] mask) {
        int n = rows(mask);
        if (n == 0) {
            return null;
        }
        int k = u.classes();
        double sum = 0;
        for (int i = 0; i < u.count(); i++) {
            if (mask[i]) {
                for (int c = 0; c < k; c++) {
                    double d = u.meanProbs()[i * k + c] - (c == labels[i] ? 1.0 : 0.0);
                    sum += d * d;
                }
            }
        }
        return sum / n;
    }

    /**
     * Bin of a confidence among {@code bins} equal-width bins ((m-1)/bins, m/bins], m = 1..bins, as
     * in Guo et al. 2017 (a confidence of 0 goes to the first bin).
     */
    public static int eceBin(double confidence, int bins) {
        int b = (int) Math.ceil(confidence * bins) - 1;
        b = Math.max(0, Math.min(bins - 1, b));
        // guard against rounding in confidence * bins: the bin boundaries are m / bins
        if (b > 0 && confidence <= (double) b / bins) {
            b--;
        } else if (b < bins - 1 && confidence > (double) (b + 1) / bins) {
            b++;
        }
        return b;
    }

    /** Expected calibration error with {@link #ECE_BINS} bins over the rows where {@code mask} is set; null for no rows. */
    public static Double ece(Uncertainties u, short[] labels, boolean[] mask) {
        int n = rows(mask);
        if (n == 0) {
            return null;
        }
        int k = u.classes();
        int[] count = new int[ECE_BINS];
        double[] conf = new double[ECE_BINS];
        int[] right = new int[ECE_BINS];
        for (int i = 0; i < u.count(); i++) {
            if (mask[i]) {
                int pred = argmax(u.meanProbs(), i * k, k);
                double c = u.meanProbs()[i * k + pred];
                int b = eceBin(c, ECE_BINS);
                count[b]++;
                conf[b] += c;
                if (pred == labels[i]) {
                    right[b]++;
                }
            }
        }
        double ece = 0;
        for (int b = 0; b < ECE_BINS; b++) {
            if (count[b] > 0) {
                ece += (double) count[b] / n * Math.abs((double) right[b] / count[b] - conf[b] / count[b]);
            }
        }
        return ece;
    }
}
