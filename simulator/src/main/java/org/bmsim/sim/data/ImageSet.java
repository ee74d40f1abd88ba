package org.bmsim.sim.data;

import java.util.Objects;
import org.bmsim.common.BadInputException;

/**
 * A labelled set of 8-bit grey images, stored as plain arrays: {@code pixels} holds
 * {@code count * rows * cols} unsigned bytes, image after image, row-major; {@code labels} holds one
 * unsigned byte per image (a class index).
 *
 * @param name   what the set is (for messages and reports), for example {@code fashion-mnist/test}
 * @param count  number of images
 * @param rows   image height in pixels
 * @param cols   image width in pixels
 * @param pixels the pixels, unsigned, 0 = black
 * @param labels the class of each image
 */
public record ImageSet(String name, int count, int rows, int cols, byte[] pixels, byte[] labels) {

    public ImageSet {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(pixels, "pixels");
        Objects.requireNonNull(labels, "labels");
        if (count < 0 || rows <= 0 || cols <= 0) {
            throw new BadInputException(name + ": bad shape " + count + "x" + rows + "x" + cols);
        }
        if ((long) count * rows * cols != pixels.length) {
            throw new BadInputException(name + ": " + pixels.length + " pixel bytes for " + count + " images of "
                    + rows + "x" + cols);
        }
        if (labels.length != count) {
            throw new BadInputException(name + ": " + labels.length + " labels for " + count + " images");
        }
    }

    /** Pixels per image. */
    public int imageSize() {
        return rows * cols;
    }

    /** Class index of image {@code i}. */
    public int label(int i) {
        return labels[i] & 0xFF;
    }

    /** Pixel {@code p} (row-major) of image {@code i}, 0..255. */
    public int pixel(int i, int p) {
        return pixels[i * imageSize() + p] & 0xFF;
    }

    /** Number of images per class, for classes 0..{@code classes-1}. */
    public int[] classCounts(int classes) {
        int[] c = new int[classes];
        for (int i = 0; i < count; i++) {
            int l = label(i);
            if (l >= classes) {
                throw new BadInputException(name + ": label " + l + " of image " + i + " is not below " + classes);
            }
            c[l]++;
        }
        return c;
    }

    /** Sum of all pixel values (0..255 each), a cheap content fingerprint for tests and reports. */
    public long pixelSum() {
        long s = 0;
        for (byte b : pixels) {
            s += b & 0xFF;
        }
        return s;
    }

    /** The images {@code from .. to-1} as a new set. */
    public ImageSet slice(String newName, int from, int to) {
        Objects.checkFromToIndex(from, to, count);
        int n = imageSize();
        byte[] px = java.util.Arrays.copyOfRange(pixels, from * n, to * n);
        byte[] lb = java.util.Arrays.copyOfRange(labels, from, to);
        return new ImageSet(newName, to - from, rows, cols, px, lb);
    }
}
