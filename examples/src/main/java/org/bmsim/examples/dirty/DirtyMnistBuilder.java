package org.bmsim.examples.dirty;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.bmsim.common.BadInputException;
import org.bmsim.sim.data.FloatSet;
import org.bmsim.sim.data.ImageSet;
import org.bmsim.sim.metrics.McPredictions;
import org.bmsim.sim.metrics.UncertaintyMetrics;
import org.bmsim.sim.nn.Classifier;
import org.bmsim.sim.nn.ClassifierTrainer;

/**
 * Builds Dirty-MNIST-lite from the 10,000 real MNIST digits and the Fashion-MNIST test set, exactly
 * as docs/dirty-mnist.md describes: a faithful small equivalent of Dirty-MNIST (Mukhoti et al.,
 * "Deep Deterministic Uncertainty: A New Simple Baseline", CVPR 2023), whose AmbiguousMNIST files
 * cannot be downloaded here.
 * <ol>
 * <li>stratified 7,000 / 1,000 / 2,000 split of the digits;</li>
 * <li>blended candidates of confusable pairs, made separately from the train and the test split;</li>
 * <li>a teacher ensemble trained on the train split labels and filters them: ensemble entropy in
 * range, mutual information at most 0.15 nats, top-2 classes = the source pair, acceptance stratified
 * over 5 entropy bins (the widest range that fills every bin), unique images; 10 labels per A-train
 * image drawn from the ensemble's mean;</li>
 * <li>the sets: MNIST normalisation for all, seeded N(0, 0.05^2) noise on the ambiguous images.</li>
 * </ol>
 * Every random choice draws from its own {@link Rng} stream keyed by (seed, purpose, index), and
 * parallel work writes to fixed positions, so the result is bit-identical at any thread count
 * (given a teacher trainer that is deterministic, as {@link ClassifierTrainer} promises). Teachers
 * are trained one after the other and each {@link Classifier} is called from one thread at a time.
 */
public final class DirtyMnistBuilder {
    /** Images are 28 x 28. */
    public static final int SIDE = 28;
    public static final int PIXELS = SIDE * SIDE;
    public static final int CLASSES = 10;
    /** Candidates per teacher call. */
    private static final int CHUNK = 2048;
    /** Width of the informational entropy histogram of eligible candidates. */
    private static final double HIST_STEP = 0.1;

    private final ClassifierTrainer trainer;
    private final String teacherId;
    private final Consumer<String> log;

    /**
     * @param trainer   trains one deterministic teacher network on the MNIST train split
     * @param teacherId what the trainer is (architecture, epochs, optimiser ...): recorded in the
     *                  summary and part of the cache key
     * @param log       progress messages
     */
    public DirtyMnistBuilder(ClassifierTrainer trainer, String teacherId, Consumer<String> log) {
        this.trainer = Objects.requireNonNull(trainer, "trainer");
        this.teacherId = Objects.requireNonNull(teacherId, "teacherId");
        this.log = Objects.requireNonNull(log, "log");
    }

    public String teacherId() {
        return teacherId;
    }

    /** The split: indices into the MNIST source set. */
    record Split(int[] train, int[] val, int[] test) {
    }

    /**
     * Stratified split. Each class's digits are shuffled (stream SPLIT, class), the q-th of n_c digits
     * of a class gets the key (q + 1/2) / n_c, and all digits are ordered by key (then class): every
     * prefix of that order holds each class in proportion, within one digit. The test split is the
     * first {@code test} digits, then validation, then train.
     */
    static Split split(ImageSet mnist, DirtyMnistRecipe r) {
        int total = r.mnistTrain() + r.mnistVal() + r.mnistTest();
        if (total > mnist.count()) {
            throw new BadInputException("the recipe needs " + total + " MNIST digits but " + mnist.name() + " has "
                    + mnist.count());
        }
        int[][] byClass = indicesByClass(mnist, IntStream.range(0, mnist.count()).toArray());
        double[] key = new double[mnist.count()];
        for (int c = 0; c < CLASSES; c++) {
            int[] idx = byClass[c].clone();
            shuffle(idx, Rng.stream(r.seed(), Rng.Purpose.SPLIT, c));
            for (int q = 0; q < idx.length; q++) {
                key[idx[q]] = (q + 0.5) / idx.length;
            }
        }
        Integer[] order = new Integer[mnist.count()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> key[i]).thenComparingInt(mnist::label)
                .thenComparingInt(i -> i));
        int[] all = Arrays.stream(order).mapToInt(Integer::intValue).toArray();
        int[] test = Arrays.copyOfRange(all, 0, r.mnistTest());
        int[] val = Arrays.copyOfRange(all, r.mnistTest(), r.mnistTest() + r.mnistVal());
        int[] train = Arrays.copyOfRange(all, r.mnistTest() + r.mnistVal(), total);
        return new Split(train, val, test);
    }

    static int[][] indicesByClass(ImageSet s, int[] indices) {
        int[] n = new int[CLASSES];
        for (int i : indices) {
            n[s.label(i)]++;
        }
        int[][] out = new int[CLASSES][];
        for (int c = 0; c < CLASSES; c++) {
            out[c] = new int[n[c]];
        }
        int[] fill = new int[CLASSES];
        for (int i : indices) {
            int c = s.label(i);
            out[c][fill[c]++] = i;
        }
        return out;
    }

    /** Fisher-Yates. */
    static void shuffle(int[] a, Rng g) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = g.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** MNIST digits as a normalised float set, subset MNIST, one-hot soft labels. */
    static FloatSet mnistRows(String name, ImageSet mnist, int[] idx) {
        int n = idx.length;
        float[] x = new float[n * PIXELS];
        short[] labels = new short[n];
        float[] soft = new float[n * CLASSES];
        IntStream.range(0, n).parallel().forEach(i -> {
            for (int p = 0; p < PIXELS; p++) {
                x[i * PIXELS + p] = FloatSet.normalise(mnist.pixel(idx[i], p));
            }
            labels[i] = (short) mnist.label(idx[i]);
            soft[i * CLASSES + labels[i]] = 1f;
        });
        return new FloatSet(name, n, 1, SIDE, SIDE, x, labels, new byte[n], soft, CLASSES);
    }

    /** Blended candidates of one split. */
    record Candidates(int count, byte[] pixels, int[] pair, int[] sourceA, int[] sourceB, double[] lambda) {
    }

    static Candidates candidates(ImageSet mnist, int[] splitIdx, DirtyMnistRecipe r, Rng.Purpose purpose) {
        int m = r.candidatesPerSplit();
        int[][] byClass = indicesByClass(mnist, splitIdx);
        for (int[] pair : DirtyMnistRecipe.PAIRS) {
            for (int c : pair) {
                if (byClass[c].length == 0) {
                    throw new BadInputException("the split has no digit of class " + c + " to blend");
                }
            }
        }
        Candidates out = new Candidates(m, new byte[m * PIXELS], new int[m], new int[m], new int[m], new double[m]);
        IntStream.range(0, m).parallel().forEach(k -> {
            Rng g = Rng.stream(r.seed(), purpose, k);
            int pi = g.nextInt(DirtyMnistRecipe.PAIRS.size());
            int[] pair = DirtyMnistRecipe.PAIRS.get(pi);
            int a = byClass[pair[0]][g.nextInt(byClass[pair[0]].length)];
            int b = byClass[pair[1]][g.nextInt(byClass[pair[1]].length)];
            double l = g.uniform(r.lambdaLow(), r.lambdaHigh());
            byte[] img = Blend.blend(Blend.centred(mnist.pixels(), a * PIXELS, SIDE, SIDE),
                    Blend.centred(mnist.pixels(), b * PIXELS, SIDE, SIDE), l);
            System.arraycopy(img, 0, out.pixels(), k * PIXELS, PIXELS);
            out.pair()[k] = pi;
            out.sourceA()[k] = a;
            out.sourceB()[k] = b;
            out.lambda()[k] = l;
        });
        return out;
    }

    /** Ensemble statistics of a list of images: entropy of the mean, mutual information, the mean. */
    record Ensemble(double[] entropy, double[] mutualInfo, double[] meanProbs) {
    }

    /**
     * Runs every teacher on {@code n} 8-bit images (normalised with the MNIST statistics) and
     * combines them with {@link UncertaintyMetrics} (the teachers play the role of weight samples:
     * entropy = PE, mutual information = EU).
     */
    static Ensemble ensemble(List<Classifier> teachers, byte[] pixels, int n) {
        double[] h = new double[n];
        double[] mi = new double[n];
        double[] mean = new double[n * CLASSES];
        int t = teachers.size();
        for (int from = 0; from < n; from += CHUNK) {
            int len = Math.min(CHUNK, n - from);
            float[] x = new float[len * PIXELS];
            int base = from * PIXELS;
            IntStream.range(0, len).parallel().forEach(i -> {
                for (int p = 0; p < PIXELS; p++) {
                    x[i * PIXELS + p] = FloatSet.normalise(pixels[base + i * PIXELS + p] & 0xFF);
                }
            });
            float[] probs = new float[t * len * CLASSES];
            for (int ti = 0; ti < t; ti++) {
                float[] p = teachers.get(ti).predictProbabilities(x, len);
                if (p.length != len * CLASSES) {
                    throw new IllegalStateException("teacher " + ti + " returned " + p.length + " values for " + len
                            + " images");
                }
                System.arraycopy(p, 0, probs, ti * len * CLASSES, len * CLASSES);
            }
            UncertaintyMetrics.Uncertainties u = UncertaintyMetrics.uncertainties(
                    new McPredictions(t, len, CLASSES, probs, new short[len], new byte[len]));
            System.arraycopy(u.predictive(), 0, h, from, len);
            System.arraycopy(u.epistemic(), 0, mi, from, len);
            System.arraycopy(u.meanProbs(), 0, mean, from * CLASSES, len * CLASSES);
        }
        return new Ensemble(h, mi, mean);
    }

    /** Whether the two most probable classes of row {@code i} are exactly {@code pair} (in any order). */
    static boolean topTwoIs(double[] mean, int i, int[] pair) {
        int off = i * CLASSES;
        int first = UncertaintyMetrics.argmax(mean, off, CLASSES);
        int second = -1;
        for (int c = 0; c < CLASSES; c++) {
            if (c != first && (second < 0 || mean[off + c] > mean[off + second])) {
                second = c;
            }
        }
        return (first == pair[0] && second == pair[1]) || (first == pair[1] && second == pair[0]);
    }

    /**
     * Candidates that pass every filter but the upper entropy end: MI at most the limit, top-2 =
     * the source pair, entropy at least the lower end, and unique (the first candidate of each
     * unordered source pair, and of each distinct image, in candidate order).
     */
    static boolean[] eligible(Candidates c, Ensemble e, DirtyMnistRecipe r) {
        boolean[] ok = new boolean[c.count()];
        Set<Long> sources = new HashSet<>();
        Set<String> images = new HashSet<>();
        for (int k = 0; k < c.count(); k++) {
            if (e.mutualInfo()[k] <= r.maxMutualInfo() && e.entropy()[k] >= r.entropyLow()
                    && topTwoIs(e.meanProbs(), k, DirtyMnistRecipe.PAIRS.get(c.pair()[k]))) {
                long key = (long) Math.min(c.sourceA()[k], c.sourceB()[k]) << 32 | Math.max(c.sourceA()[k], c.sourceB()[k]);
                String img = new String(c.pixels(), k * PIXELS, PIXELS, java.nio.charset.StandardCharsets.ISO_8859_1);
                if (sources.add(key) && images.add(img)) {
                    ok[k] = true;
                }
            }
        }
        return ok;
    }

    /** Bin of an entropy among {@code bins} equal-width bins over [low, high] (the last one closed), or -1 outside. */
    static int bin(double h, double low, double high, int bins) {
        if (h < low || h > high) {
            return -1;
        }
        return Math.min(bins - 1, (int) ((h - low) / (high - low) * bins));
    }

    /**
     * The first {@code perBin} eligible candidates of each bin in candidate order (a seeded random
     * sample, since candidates are made in random order), or null when a bin cannot be filled.
     */
    static int[] select(boolean[] eligible, double[] entropy, double low, double high, int bins, int perBin) {
        int[] filled = new int[bins];
        List<Integer> chosen = new ArrayList<>();
        for (int k = 0; k < eligible.length && chosen.size() < bins * perBin; k++) {
            if (!eligible[k]) {
                continue;
            }
            int b = bin(entropy[k], low, high, bins);
            if (b >= 0 && filled[b] < perBin) {
                filled[b]++;
                chosen.add(k);
            }
        }
        return chosen.size() == bins * perBin ? chosen.stream().mapToInt(Integer::intValue).toArray() : null;
    }

    /** Builds the data set in memory. */
    public DirtyMnistLite build(DirtyMnistRecipe r, ImageSet mnist, ImageSet fashion) {
        long t0 = System.nanoTime();
        for (ImageSet s : List.of(mnist, fashion)) {
            if (s.rows() != SIDE || s.cols() != SIDE) {
                throw new BadInputException(s.name() + " has " + s.rows() + "x" + s.cols() + " images, not 28x28");
            }
        }
        Split split = split(mnist, r);
        FloatSet mnistTrain = mnistRows("dirty-mnist-lite/teacher-train", mnist, split.train());
        FloatSet mnistTest = mnistRows("dirty-mnist-lite/mnist-test", mnist, split.test());

        List<Classifier> teachers = new ArrayList<>();
        List<Double> teacherAcc = new ArrayList<>();
        float[] testProbs = new float[r.teachers() * mnistTest.count() * CLASSES];
        for (int t = 0; t < r.teachers(); t++) {
            long seed = Rng.stream(r.seed(), Rng.Purpose.TEACHER, t).nextLong();
            long ts = System.nanoTime();
            Classifier c = trainer.train(mnistTrain, seed);
            teachers.add(c);
            float[] p = c.predictProbabilities(mnistTest.x(), mnistTest.count());
            System.arraycopy(p, 0, testProbs, t * p.length, p.length);
            teacherAcc.add(UncertaintyMetrics.report(new McPredictions(1, mnistTest.count(), CLASSES, p,
                    mnistTest.labels(), mnistTest.subset())).accuracy());
            log.accept(String.format("teacher %d/%d trained in %.1f s: %.2f%% on the MNIST test split", t + 1,
                    r.teachers(), (System.nanoTime() - ts) / 1e9, 100 * teacherAcc.get(t)));
        }
        double ensembleAcc = UncertaintyMetrics.report(new McPredictions(r.teachers(), mnistTest.count(), CLASSES,
                testProbs, mnistTest.labels(), mnistTest.subset())).accuracy();

        Candidates[] cand = new Candidates[2];
        Ensemble[] ens = new Ensemble[2];
        boolean[][] elig = new boolean[2][];
        String[] names = {"train", "test"};
        int[][] splitIdx = {split.train(), split.test()};
        Rng.Purpose[] purposes = {Rng.Purpose.CANDIDATE_TRAIN, Rng.Purpose.CANDIDATE_TEST};
        for (int s = 0; s < 2; s++) {
            long ts = System.nanoTime();
            cand[s] = candidates(mnist, splitIdx[s], r, purposes[s]);
            ens[s] = ensemble(teachers, cand[s].pixels(), cand[s].count());
            elig[s] = eligible(cand[s], ens[s], r);
            log.accept(String.format("%d candidates from the %s split labelled by the teachers in %.1f s; %d eligible",
                    cand[s].count(), names[s], (System.nanoTime() - ts) / 1e9, count(elig[s])));
        }

        // the widest range [low, high] (high from the start value down in steps) that fills every bin of both splits
        int[] perBin = {r.ambiguousTrain() / r.entropyBins(), r.ambiguousTest() / r.entropyBins()};
        double high = Double.NaN;
        int[][] chosen = new int[2][];
        for (int j = 0;; j++) {
            double h = Math.round((r.entropyHighStart() - j * r.entropyStep()) * 1e9) / 1e9;
            if (h <= r.entropyLow() + 1e-9) {
                throw new BadInputException(String.format("Dirty-MNIST-lite: not enough eligible candidates (%d and %d)"
                        + " to fill %d entropy bins with %d and %d images at any upper end; raise the candidate count",
                        count(elig[0]), count(elig[1]), r.entropyBins(), perBin[0], perBin[1]));
            }
            chosen[0] = select(elig[0], ens[0].entropy(), r.entropyLow(), h, r.entropyBins(), perBin[0]);
            chosen[1] = select(elig[1], ens[1].entropy(), r.entropyLow(), h, r.entropyBins(), perBin[1]);
            if (chosen[0] != null && chosen[1] != null) {
                high = h;
                break;
            }
        }
        log.accept(String.format("entropy range [%.2f, %.2f] fills all %d bins", r.entropyLow(), high, r.entropyBins()));

        // ambiguous images and their provenance
        List<DirtyMnistLite.AmbiguousImage> meta = new ArrayList<>();
        byte[][] ambPixels = new byte[2][];
        double[][] ambMean = new double[2][];
        Map<String, List<Integer>> accepted = new LinkedHashMap<>();
        Map<String, Double> meanH = new LinkedHashMap<>();
        Map<String, Double> meanMi = new LinkedHashMap<>();
        for (int s = 0; s < 2; s++) {
            int[] ch = chosen[s];
            ambPixels[s] = new byte[ch.length * PIXELS];
            ambMean[s] = new double[ch.length * CLASSES];
            Integer[] perBinCount = new Integer[r.entropyBins()];
            Arrays.fill(perBinCount, 0);
            double sh = 0;
            double smi = 0;
            for (int j = 0; j < ch.length; j++) {
                int k = ch[j];
                Candidates c = cand[s];
                System.arraycopy(c.pixels(), k * PIXELS, ambPixels[s], j * PIXELS, PIXELS);
                System.arraycopy(ens[s].meanProbs(), k * CLASSES, ambMean[s], j * CLASSES, CLASSES);
                int[] pair = DirtyMnistRecipe.PAIRS.get(c.pair()[k]);
                double h = ens[s].entropy()[k];
                int b = bin(h, r.entropyLow(), high, r.entropyBins());
                perBinCount[b]++;
                sh += h;
                smi += ens[s].mutualInfo()[k];
                meta.add(new DirtyMnistLite.AmbiguousImage(names[s], j, k, pair[0], pair[1], c.sourceA()[k],
                        c.sourceB()[k], c.lambda()[k], h, ens[s].mutualInfo()[k], b));
            }
            accepted.put(names[s], List.of(perBinCount));
            meanH.put(names[s], sh / ch.length);
            meanMi.put(names[s], smi / ch.length);
        }

        FloatSet train = trainSet(r, mnist, split, ambPixels[0], ambMean[0]);
        FloatSet val = mnistRows("dirty-mnist-lite/val", mnist, split.val());
        int[] ood = oodIndices(r, fashion);
        FloatSet test = testSet(r, mnistTest, ambPixels[1], ambMean[1], fashion, ood);

        List<Double> edges = new ArrayList<>();
        for (int b = 0; b <= r.entropyBins(); b++) {
            edges.add(r.entropyLow() + (high - r.entropyLow()) * b / r.entropyBins());
        }
        List<Double> histEdges = new ArrayList<>();
        int histBins = (int) Math.round((r.entropyHighStart() - r.entropyLow()) / HIST_STEP);
        for (int b = 0; b <= histBins; b++) {
            histEdges.add(Math.round((r.entropyLow() + b * HIST_STEP) * 1e9) / 1e9);
        }
        Map<String, List<Integer>> hist = new LinkedHashMap<>();
        for (int s = 0; s < 2; s++) {
            Integer[] hc = new Integer[histBins + 1];
            Arrays.fill(hc, 0);
            for (int k = 0; k < elig[s].length; k++) {
                if (elig[s][k]) {
                    double h = ens[s].entropy()[k];
                    int b = h >= r.entropyHighStart() ? histBins
                            : Math.min(histBins - 1, (int) ((h - r.entropyLow()) / HIST_STEP));
                    hc[b]++;
                }
            }
            hist.put(names[s], List.of(hc));
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("train_mnist", train.countSubset(FloatSet.MNIST));
        counts.put("train_ambiguous", train.countSubset(FloatSet.AMBIGUOUS));
        counts.put("val_mnist", val.count());
        counts.put("test_mnist", test.countSubset(FloatSet.MNIST));
        counts.put("test_ambiguous", test.countSubset(FloatSet.AMBIGUOUS));
        counts.put("test_ood", test.countSubset(FloatSet.OOD));
        DirtyMnistSummary summary = new DirtyMnistSummary(r, teacherId, teacherAcc, ensembleAcc,
                pairOf(cand[0].count(), cand[1].count()), pairOf(count(elig[0]), count(elig[1])), edges, accepted, histEdges, hist, meanH,
                meanMi, counts, (System.nanoTime() - t0) / 1e9);
        return new DirtyMnistLite(train, val, test, ambPixels[0], ambPixels[1], meta, summary);
    }

    private static Map<String, Integer> pairOf(int train, int test) {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("train", train);
        m.put("test", test);
        return m;
    }

    private static int count(boolean[] b) {
        int n = 0;
        for (boolean v : b) {
            if (v) {
                n++;
            }
        }
        return n;
    }

    /** Normalised ambiguous pixels plus N(0, noiseStd^2) from the row's own stream. */
    private static void noisyRow(byte[] pixels, int image, float[] x, int row, double noiseStd, Rng g) {
        for (int p = 0; p < PIXELS; p++) {
            x[row * PIXELS + p] = FloatSet.normalise(pixels[image * PIXELS + p] & 0xFF) + (float) (noiseStd * g.nextGaussian());
        }
    }

    static FloatSet trainSet(DirtyMnistRecipe r, ImageSet mnist, Split split, byte[] amb, double[] mean) {
        FloatSet m = mnistRows("m", mnist, split.train());
        int images = amb.length / PIXELS;
        int labelsPer = r.labelsPerImage();
        int nm = m.count();
        int n = nm + images * labelsPer;
        float[] x = Arrays.copyOf(m.x(), n * PIXELS);
        short[] labels = Arrays.copyOf(m.labels(), n);
        byte[] subset = new byte[n];
        float[] soft = Arrays.copyOf(m.softLabels(), n * CLASSES);
        IntStream.range(0, images).parallel().forEach(j -> {
            Rng lg = Rng.stream(r.seed(), Rng.Purpose.LABELS, j);
            for (int k = 0; k < labelsPer; k++) {
                int row = nm + j * labelsPer + k;
                noisyRow(amb, j, x, row, r.noiseStd(), Rng.stream(r.seed(), Rng.Purpose.NOISE_TRAIN, j * labelsPer + k));
                labels[row] = (short) lg.categorical(mean, j * CLASSES, CLASSES);
                subset[row] = FloatSet.AMBIGUOUS;
                for (int c = 0; c < CLASSES; c++) {
                    soft[row * CLASSES + c] = (float) mean[j * CLASSES + c];
                }
            }
        });
        return new FloatSet("dirty-mnist-lite/train", n, 1, SIDE, SIDE, x, labels, subset, soft, CLASSES);
    }

    static int[] oodIndices(DirtyMnistRecipe r, ImageSet fashion) {
        int[] idx = IntStream.range(0, fashion.count()).toArray();
        if (r.oodCount() == 0) {
            return idx;
        }
        if (r.oodCount() > fashion.count()) {
            throw new BadInputException("the recipe wants " + r.oodCount() + " OOD images but " + fashion.name()
                    + " has " + fashion.count());
        }
        Rng g = Rng.stream(r.seed(), Rng.Purpose.OOD, 0);
        for (int i = 0; i < r.oodCount(); i++) { // partial Fisher-Yates: a uniform sample without replacement
            int j = i + g.nextInt(idx.length - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        return Arrays.copyOf(idx, r.oodCount());
    }

    static FloatSet testSet(DirtyMnistRecipe r, FloatSet mnistTest, byte[] amb, double[] mean, ImageSet fashion,
            int[] ood) {
        int nm = mnistTest.count();
        int na = amb.length / PIXELS;
        int no = ood.length;
        int n = nm + na + no;
        float[] x = Arrays.copyOf(mnistTest.x(), n * PIXELS);
        short[] labels = Arrays.copyOf(mnistTest.labels(), n);
        byte[] subset = new byte[n];
        float[] soft = Arrays.copyOf(mnistTest.softLabels(), n * CLASSES);
        IntStream.range(0, na).parallel().forEach(j -> {
            int row = nm + j;
            noisyRow(amb, j, x, row, r.noiseStd(), Rng.stream(r.seed(), Rng.Purpose.NOISE_TEST, j));
            labels[row] = (short) UncertaintyMetrics.argmax(mean, j * CLASSES, CLASSES);
            subset[row] = FloatSet.AMBIGUOUS;
            for (int c = 0; c < CLASSES; c++) {
                soft[row * CLASSES + c] = (float) mean[j * CLASSES + c];
            }
        });
        IntStream.range(0, no).parallel().forEach(j -> {
            int row = nm + na + j;
            for (int p = 0; p < PIXELS; p++) {
                x[row * PIXELS + p] = FloatSet.normalise(fashion.pixel(ood[j], p));
            }
            labels[row] = -1;
            subset[row] = FloatSet.OOD;
        });
        return new FloatSet("dirty-mnist-lite/test", n, 1, SIDE, SIDE, x, labels, subset, soft, CLASSES);
    }
}
