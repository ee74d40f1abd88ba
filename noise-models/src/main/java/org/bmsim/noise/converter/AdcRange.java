package org.bmsim.noise.converter;

import java.util.Arrays;
import org.bmsim.common.BadInputException;

/**
 * The input range of an ADC: fixed, or calibrated from data by percentiles (as CrossSim and
 * aihwkit users calibrate column ADCs on sample partial sums).
 */
public sealed interface AdcRange {

    /**
     * A fixed range: code 0 at {@code minInput}, the top code at {@code maxInput}.
     *
     * @param minInput lower end, finite
     * @param maxInput upper end, finite, &gt; minInput
     */
    record Fixed(double minInput, double maxInput) implements AdcRange {
        public Fixed {
            if (!Double.isFinite(minInput) || !Double.isFinite(maxInput) || !(maxInput > minInput)) {
                throw new BadInputException("ADC range must be finite with max > min, got [" + minInput + ", "
                        + maxInput + "]");
            }
        }
    }

    /**
     * A range calibrated from data: [lowPercent-th percentile, highPercent-th percentile], with
     * linear interpolation between order statistics (numpy's default, Hyndman and Fan type 7).
     *
     * @param lowPercent in [0, 100)
     * @param highPercent in (lowPercent, 100]
     */
    record Percentile(double lowPercent, double highPercent) implements AdcRange {
        public Percentile {
            if (!(lowPercent >= 0) || !(highPercent <= 100) || !(highPercent > lowPercent)) {
                throw new BadInputException("ADC range percentiles must satisfy 0 <= low < high <= 100, got "
                        + lowPercent + " and " + highPercent);
            }
        }

        /** The fixed range these percentiles give on {@code data}. */
        public Fixed calibrate(float[] data) {
            if (data.length == 0) {
                throw new BadInputException("ADC range calibration needs data, got none");
            }
            double[] sorted = new double[data.length];
            for (int i = 0; i < data.length; i++) {
                if (!Float.isFinite(data[i])) {
                    throw new BadInputException("ADC range calibration: value " + i + " is not finite: " + data[i]);
                }
                sorted[i] = data[i];
            }
            Arrays.sort(sorted);
            double lo = percentile(sorted, lowPercent);
            double hi = percentile(sorted, highPercent);
            if (!(hi > lo)) {
                throw new BadInputException("ADC range calibration: the " + lowPercent + "th and " + highPercent
                        + "th percentiles of the data coincide (" + lo + "); the range would be empty");
            }
            return new Fixed(lo, hi);
        }

        static double percentile(double[] sorted, double percent) {
            double pos = percent / 100.0 * (sorted.length - 1);
            int i = (int) Math.floor(pos);
            if (i >= sorted.length - 1) {
                return sorted[sorted.length - 1];
            }
            double w = pos - i;
            return sorted[i] + w * (sorted[i + 1] - sorted[i]);
        }
    }

    static Fixed fixed(double minInput, double maxInput) {
        return new Fixed(minInput, maxInput);
    }

    static Percentile percentile(double lowPercent, double highPercent) {
        return new Percentile(lowPercent, highPercent);
    }
}
