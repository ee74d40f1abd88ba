package org.bmsim.calib.fit;

/** The default conductance window of a calibration: the ends of the device means' end piles (docs/calibration.md section 4). */
final class WindowEnds {
    private WindowEnds() {
    }

    /** Device means that must lie within one end margin of a window end for it to be an end pile. */
    static final int END_PILE = 5;

    /**
     * The window's ends from the sorted device means: the lowest mean at or below {@code loLimit} (the
     * lowest level's median) with END_PILE - 1 others within {@code margin} / 2 above it, and the highest
     * at or above {@code hiLimit} (the highest level's median) with END_PILE - 1 others within
     * {@code margin} / 2 below it, each among the outermost END_PILE + n / 1000 means; the extremes when
     * there is no such pile. Stuck and clipped devices pile up at the ends, within a few sd of the noise
     * of a mean (the margin is 6 sd). A device whose RTN went undetected (no transition in its trace:
     * about 0.2% of trap devices at 50 reads with a 10-read dwell time) sits
     * up to one RTN step beyond them, alone. As the end it moved the upper end of every level's
     * interior above the stuck pile, whose devices then entered the spread fits (Wan, 8,000 devices x
     * 50 reads: level 0's spread 15.6 uS for a true 1.57). Should a tail still pass for a pile, the end
     * falls inside the outermost level's tail, where its spread fit truncates (an exact likelihood) and
     * the stuck fractions count the tail beyond it as the Gaussian's own mass.
     */
    static double[] pileEnds(double[] sorted, double margin, double loLimit, double hiLimit) {
        int n = sorted.length;
        int k = END_PILE - 1;
        double lo = sorted[0];
        double hi = sorted[n - 1];
        // a pile is END_PILE means within half the margin (3 sd of the noise of a mean), looked for
        // among the outermost END_PILE + 0.1% of the devices only (lone devices are few): else a dense
        // stretch of an outer level's tail passes for one (a Wan file without stuck devices, 3 levels of 133
        // devices, whole margin and 0.5%: the window came out [5.03, 35.1] uS, inside the levels' tails)
        double width = margin / 2;
        int maxSkip = END_PILE + n / 1000;
        for (int i = 0; i + k < n && i <= maxSkip && sorted[i] <= loLimit; i++) {
            if (sorted[i + k] - sorted[i] <= width) {
                lo = sorted[i];
                break;
            }
        }
        for (int i = n - 1; i - k >= 0 && n - 1 - i <= maxSkip && sorted[i] >= hiLimit; i--) {
            if (sorted[i] - sorted[i - k] <= width) {
                hi = sorted[i];
                break;
            }
        }
        return hi > lo ? new double[] {lo, hi} : new double[] {sorted[0], sorted[n - 1]};
    }
}
