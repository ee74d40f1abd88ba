package org.bmsim.examples.dirty;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.bmsim.common.AtomicFiles;
import org.bmsim.common.BadInputException;
import org.bmsim.common.Sha256;
import org.bmsim.examples.data.DataCache;
import org.bmsim.examples.data.Datasets;
import org.bmsim.sim.data.FloatSet;
import org.bmsim.sim.data.ImageSet;
import org.bmsim.sim.io.Npy;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Dirty-MNIST-lite in the data cache: {@code <cache>/dirty-mnist-lite-<key>/}, where the key is the
 * first 16 hex digits of the SHA-256 of the recipe, the teacher identifier and the checksums of the
 * source files, so a different recipe, seed, teacher or source is a different folder and a second
 * build of the same is a cache hit. The folder holds NumPy files (readable by any tool) and
 * {@code build.json} with the summary and the SHA-256 of every file, checked on every load. The
 * folder is written under a temporary name and renamed when complete.
 * <pre>
 *   {train,val,test}-x.npy       float32 [N, 1, 28, 28], normalised (MNIST statistics), noise included
 *   {train,val,test}-labels.npy  int16 [N], -1 = none
 *   {train,val,test}-subset.npy  int8 [N], 0 mnist, 1 ambiguous, 2 ood
 *   {train,val,test}-soft.npy    float32 [N, 10], soft labels
 *   ambiguous-{train,test}-images.npy  uint8 [n, 28, 28], the blends before normalisation and noise
 *   ambiguous.json               provenance of each ambiguous image
 *   build.json                   key inputs, summary, file checksums
 * </pre>
 */
public final class DirtyMnistStore {
    /** Version of the folder layout; part of the key. */
    public static final int FORMAT = 1;
    public static final String PREFIX = "dirty-mnist-lite-";
    static final String BUILD_JSON = "build.json";
    static final String AMBIGUOUS_JSON = "ambiguous.json";
    private static final List<String> SETS = List.of("train", "val", "test");

    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT)
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();

    private DirtyMnistStore() {
    }

    /** What the cache key is made of. */
    public record KeyInputs(@JsonProperty("format") int format, @JsonProperty("recipe") DirtyMnistRecipe recipe,
            @JsonProperty("teacher") String teacher, @JsonProperty("sources") Map<String, String> sources) {
    }

    /** {@code build.json}. */
    public record BuildRecord(@JsonProperty("key") String key, @JsonProperty("key_inputs") KeyInputs keyInputs,
            @JsonProperty("summary") DirtyMnistSummary summary, @JsonProperty("files") Map<String, String> files) {
    }

    /** A loaded or freshly built data set and where it lives. */
    public record Cached(DirtyMnistLite data, Path dir, boolean built) {
    }

    /** The key of a recipe, teacher and sources. */
    public static String key(KeyInputs in) {
        return Sha256.of(JSON.writeValueAsBytes(in)).substring(0, 16);
    }

    static KeyInputs keyInputs(DataCache cache, DirtyMnistRecipe r, String teacher) {
        Map<String, String> src = new LinkedHashMap<>();
        DataCache.Split m = split(cache, Datasets.MNIST, "all");
        DataCache.Split f = split(cache, Datasets.FASHION, "test");
        src.put("mnist/all images", m.imagesSha256());
        src.put("mnist/all labels", m.labelsSha256());
        src.put("fashion-mnist/test images", f.imagesSha256());
        src.put("fashion-mnist/test labels", f.labelsSha256());
        return new KeyInputs(FORMAT, r, teacher, src);
    }

    private static DataCache.Split split(DataCache cache, String set, String split) {
        DataCache.SetEntry e = cache.entry(set).orElseThrow(() -> new BadInputException("data set '" + set
                + "' is not in the cache " + cache.root() + "; run 'bmsim data fetch'"));
        DataCache.Split s = e.splits().get(split);
        if (s == null) {
            throw new BadInputException("data set '" + set + "' has no split '" + split + "'; run 'bmsim data fetch --force'");
        }
        return s;
    }

    /**
     * The data set of {@code recipe} built with {@code builder}'s teacher from the sources in
     * {@code cache}: loaded from the cache when it is there (and {@code force} is false), else built
     * and stored. Two processes building the same set wait for each other.
     */
    public static Cached loadOrBuild(DataCache cache, DirtyMnistRecipe recipe, DirtyMnistBuilder builder, boolean force,
            Consumer<String> log) {
        KeyInputs in = keyInputs(cache, recipe, builder.teacherId());
        String key = key(in);
        Path dir = cache.root().resolve(PREFIX + key);
        try {
            Files.createDirectories(cache.root());
            try (FileChannel ch = FileChannel.open(cache.root().resolve(".dirty-mnist-lite.lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE); FileLock ignored = ch.lock()) {
                if (Files.exists(dir) && !force) {
                    log.accept("loading Dirty-MNIST-lite from " + dir);
                    return new Cached(load(dir), dir, false);
                }
                ImageSet mnist = cache.load(Datasets.MNIST, "all");
                ImageSet fashion = cache.load(Datasets.FASHION, "test");
                log.accept("building Dirty-MNIST-lite into " + dir);
                DirtyMnistLite data = builder.build(recipe, mnist, fashion);
                write(dir, key, in, data);
                return new Cached(data, dir, true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use the data cache " + cache.root() + ": " + e.getMessage(), e);
        }
    }

    /** Writes a built data set into {@code dir} (replacing it), through a temporary folder renamed at the end. */
    public static void write(Path dir, String key, KeyInputs in, DirtyMnistLite d) throws IOException {
        Path parent = dir.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempDirectory(parent, "." + dir.getFileName() + ".");
        try {
            Map<String, String> files = new LinkedHashMap<>();
            List<FloatSet> sets = List.of(d.train(), d.val(), d.test());
            for (int s = 0; s < 3; s++) {
                FloatSet f = sets.get(s);
                String n = SETS.get(s);
                Npy.writeFloat32(tmp.resolve(n + "-x.npy"), new int[] {f.count(), 1, f.rows(), f.cols()}, f.x());
                Npy.writeInt16(tmp.resolve(n + "-labels.npy"), new int[] {f.count()}, f.labels());
                Npy.writeInt8(tmp.resolve(n + "-subset.npy"), new int[] {f.count()}, f.subset());
                Npy.writeFloat32(tmp.resolve(n + "-soft.npy"), new int[] {f.count(), f.classes()}, f.softLabels());
            }
            int side = DirtyMnistBuilder.SIDE;
            Npy.writeUint8(tmp.resolve("ambiguous-train-images.npy"),
                    new int[] {d.ambiguousTrainImages().length / (side * side), side, side}, d.ambiguousTrainImages());
            Npy.writeUint8(tmp.resolve("ambiguous-test-images.npy"),
                    new int[] {d.ambiguousTestImages().length / (side * side), side, side}, d.ambiguousTestImages());
            AtomicFiles.writeString(tmp.resolve(AMBIGUOUS_JSON), JSON.writeValueAsString(d.ambiguous()) + "\n");
            try (Stream<Path> list = Files.list(tmp)) {
                for (Path p : list.sorted().toList()) {
                    files.put(p.getFileName().toString(), Sha256.of(p));
                }
            }
            AtomicFiles.writeString(tmp.resolve(BUILD_JSON),
                    JSON.writeValueAsString(new BuildRecord(key, in, d.summary(), files)) + "\n");
            deleteTree(dir);
            AtomicFiles.move(tmp, dir);
            tmp = null;
        } finally {
            if (tmp != null) {
                deleteTree(tmp);
            }
        }
    }

    /** The build record of a stored data set. */
    public static BuildRecord record(Path dir) {
        Path b = dir.resolve(BUILD_JSON);
        if (!Files.exists(b)) {
            throw new BadInputException(dir + " is not a complete Dirty-MNIST-lite build (no " + BUILD_JSON
                    + "); run 'bmsim data build dirty-mnist-lite --force'");
        }
        try {
            return JSON.readValue(b.toFile(), BuildRecord.class);
        } catch (JacksonException e) {
            throw new BadInputException(b + ": unreadable (" + e.getOriginalMessage()
                    + "); run 'bmsim data build dirty-mnist-lite --force'");
        }
    }

    /** Loads a stored data set, checking every file's SHA-256 against {@code build.json}. */
    public static DirtyMnistLite load(Path dir) {
        BuildRecord rec = record(dir);
        for (Map.Entry<String, String> f : rec.files().entrySet()) {
            Path p = dir.resolve(f.getKey());
            if (!Files.exists(p) || !Sha256.of(p).equals(f.getValue())) {
                throw new BadInputException("Dirty-MNIST-lite file " + p + " is missing or damaged (checksum mismatch);"
                        + " run 'bmsim data build dirty-mnist-lite --force'");
            }
        }
        FloatSet[] sets = new FloatSet[3];
        for (int s = 0; s < 3; s++) {
            String n = SETS.get(s);
            Npy.Array x = Npy.read(dir.resolve(n + "-x.npy"));
            Npy.Array soft = Npy.read(dir.resolve(n + "-soft.npy"));
            int[] sh = x.shape();
            if (sh.length != 4 || soft.shape().length != 2) {
                throw new BadInputException(dir + ": " + n + " arrays have unexpected shapes " + Arrays.toString(sh));
            }
            sets[s] = new FloatSet("dirty-mnist-lite/" + n, sh[0], sh[1], sh[2], sh[3], x.floats(),
                    Npy.read(dir.resolve(n + "-labels.npy")).int16s(), Npy.read(dir.resolve(n + "-subset.npy")).int8s(),
                    soft.floats(), soft.shape()[1]);
        }
        List<DirtyMnistLite.AmbiguousImage> amb;
        try {
            amb = JSON.readValue(dir.resolve(AMBIGUOUS_JSON).toFile(),
                    new TypeReference<List<DirtyMnistLite.AmbiguousImage>>() { });
        } catch (JacksonException e) {
            throw new BadInputException(dir.resolve(AMBIGUOUS_JSON) + ": unreadable (" + e.getOriginalMessage() + ")");
        }
        return new DirtyMnistLite(sets[0], sets[1], sets[2],
                Npy.read(dir.resolve("ambiguous-train-images.npy")).uint8s(),
                Npy.read(dir.resolve("ambiguous-test-images.npy")).uint8s(), amb, rec.summary());
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
