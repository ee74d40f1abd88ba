package org.bmsim.sim.data;

import java.util.Objects;
import org.bmsim.common.BadInputException;

/**
 * Images as a network sees them: normalised floats, with a hard label (or -1 where there is none),
 * the subset each row belongs to, and optionally a soft label (a class distribution) per row.
 *
 * @param name       what the set is, for messages and reports
 * @param count      number of rows
 * @param channels   image channels (1 for MNIST-like data)
 * @param rows       image height
 * @param cols       image width
 * @param x          {@code count * channels * rows * cols} values, row after row, channel-major
 * @param labels     class index per row, -1 where the row has none (out-of-distribution data)
 * @param subset     per row: {@link #MNIST}, {@link #AMBIGUOUS} or {@link #OOD}
 * @param softLabels {@code count * classes} probabilities, or null when only hard labels exist
 * @param classes    number of classes
 */
public record FloatSet(String name, int count, int channels, int rows, int cols, float[] x, short[] labels,
        byte[] subset, float[] softLabels, int classes) {
    /** Subset code of clean in-distribution digits. */
    public static final byte MNIST = 0;
    /** Subset code of ambiguous digits (Dirty-MNIST's AmbiguousMNIST). */
    public static final byte AMBIGUOUS = 1;
    /** Subset code of out-of-distribution images (Fashion-MNIST). */
    public static final byte OOD = 2;

    public FloatSet {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(subset, "subset");
        if ((long) count * channels * rows * cols != x.length) {
            throw new BadInputException(name + ": " + x.length + " values for " + count + " images of " + channels + "x"
                    + rows + "x" + cols);
        }
        if (labels.length != count || subset.length != count) {
            throw new BadInputException(name + ": labels/subset length does not match " + count + " rows");
        }
        if (softLabels != null && softLabels.length != (long) count * classes) {
            throw new BadInputException(name + ": " + softLabels.length + " soft-label values for " + count + " rows of "
                    + classes + " classes");
        }
        for (int i = 0; i < count; i++) {
            if (labels[i] < -1 || labels[i] >= classes) {
                throw new BadInputException(name + ": label " + labels[i] + " of row " + i + " is outside -1.." + (classes - 1));
            }
            if (subset[i] < MNIST || subset[i] > OOD) {
                throw new BadInputException(name + ": subset code " + subset[i] + " of row " + i + " is not 0, 1 or 2");
            }
        }
    }

    /** Values per image. */
    public int imageSize() {
        return channels * rows * cols;
    }

    /** Number of rows in subset {@code code}. */
    public int countSubset(byte code) {
        int n = 0;
        for (byte s : subset) {
            if (s == code) {
                n++;
            }
        }
        return n;
    }

    /** MNIST normalisation (x / 255 - 0.1307) / 0.3081 used for every set (Dirty-MNIST recipe, step 5). */
    public static final float MNIST_MEAN = 0.1307f;
    public static final float MNIST_STD = 0.3081f;

    /** Normalises an 8-bit pixel with the MNIST statistics. */
    public static float normalise(int pixel) {
        return (pixel / 255f - MNIST_MEAN) / MNIST_STD;
    }
}
