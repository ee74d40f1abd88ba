package org.bmsim.examples.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.bmsim.common.AtomicFiles;
import org.bmsim.common.BadInputException;
import org.bmsim.sim.data.ImageSet;
import org.bmsim.sim.io.Idx;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The local data cache: {@code $BMSIM_DATA}, by default {@code $XDG_CACHE_HOME/bmsim} or
 * {@code ~/.cache/bmsim}. Each set lives in a
 * folder of its own as uncompressed IDX pairs (the compact binary: a 16-byte header and the raw
 * bytes, readable by numpy or any MNIST tool), and {@code manifest.json} lists what is there with
 * counts, shapes and SHA-256 checksums.
 */
public final class DataCache {
    /** The environment variable that moves the cache. */
    public static final String ENV = "BMSIM_DATA";

    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private final Path root;

    private DataCache(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** The cache at {@code root}. */
    public static DataCache at(Path root) {
        return new DataCache(root);
    }

    /** System property that overrides {@link #ENV} (used by tests that run the CLI in-process). */
    public static final String PROPERTY = "bmsim.data";

    /**
     * The cache named by {@code -Dbmsim.data}, else {@code $BMSIM_DATA}, else
     * {@code $XDG_CACHE_HOME/bmsim}, else {@code $HOME/.cache/bmsim}.
     */
    public static DataCache fromEnvironment() {
        String prop = System.getProperty(PROPERTY);
        if (prop != null && !prop.isBlank()) {
            return new DataCache(Path.of(prop));
        }
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            return new DataCache(Path.of(env));
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return new DataCache(Path.of(xdg, "bmsim"));
        }
        String home = System.getenv("HOME");
        if (home == null || home.isBlank()) {
            home = System.getProperty("user.home");
        }
        return new DataCache(Path.of(home, ".cache", "bmsim"));
    }

    public Path root() {
        return root;
    }

    /** One split of a set as recorded in the manifest; paths are relative to the cache root. */
    public record Split(int count, int rows, int cols, int classes, String images, String labels,
            String imagesSha256, String labelsSha256) {
    }

    /** One set: where it came from and its splits (for example train and test). */
    public record SetEntry(String source, Map<String, Split> splits) {
    }

    /** The manifest file's content. */
    public record Manifest(int format, Map<String, SetEntry> sets) {
        static Manifest empty() {
            return new Manifest(1, new TreeMap<>());
        }
    }

    Path manifestPath() {
        return root.resolve("manifest.json");
    }

    /** The manifest; an empty one when the cache does not exist yet. */
    public Manifest manifest() {
        Path m = manifestPath();
        if (!Files.exists(m)) {
            return Manifest.empty();
        }
        try {
            Manifest read = JSON.readValue(m.toFile(), Manifest.class);
            if (read.sets() == null) {
                throw new BadInputException(m + ": corrupt data manifest (no sets); run 'bmsim data fetch --force'");
            }
            return new Manifest(read.format(), new TreeMap<>(read.sets()));
        } catch (JacksonException e) {
            throw new BadInputException(m + ": corrupt data manifest (" + e.getOriginalMessage()
                    + "); run 'bmsim data fetch --force'");
        }
    }

    void writeManifest(Manifest m) {
        AtomicFiles.writeString(manifestPath(), JSON.writeValueAsString(m) + "\n");
    }

    /** Records a set in the manifest (replacing an older entry of that name). */
    void record(String set, SetEntry entry) {
        Manifest m = manifest();
        m.sets().put(set, entry);
        writeManifest(m);
    }

    /** The entry of {@code set}, if it was fetched. */
    public Optional<SetEntry> entry(String set) {
        return Optional.ofNullable(manifest().sets().get(set));
    }

    /**
     * Loads one split of a fetched set. A set that was never fetched, or whose files are gone, is
     * bad input with a message that says how to fetch it.
     */
    public ImageSet load(String set, String split) {
        SetEntry e = entry(set).orElseThrow(() -> new BadInputException("data set '" + set + "' is not in the cache "
                + root + "; run 'bmsim data fetch'"));
        Split s = e.splits().get(split);
        if (s == null) {
            throw new BadInputException("data set '" + set + "' has no split '" + split + "' (it has "
                    + String.join(", ", e.splits().keySet()) + ")");
        }
        Path im = root.resolve(s.images());
        Path lb = root.resolve(s.labels());
        if (!Files.exists(im) || !Files.exists(lb)) {
            throw new BadInputException("data set '" + set + "/" + split + "' is missing from " + root
                    + "; run 'bmsim data fetch --force'");
        }
        ImageSet loaded = Idx.readImageSet(set + "/" + split, im, lb, s.classes());
        if (loaded.count() != s.count() || loaded.rows() != s.rows() || loaded.cols() != s.cols()) {
            throw new BadInputException("data set '" + set + "/" + split + "' does not match its manifest entry; run"
                    + " 'bmsim data fetch --force'");
        }
        return loaded;
    }

    /** Runs {@code body} holding an exclusive lock on the cache, so two fetches never interleave. */
    <T> T locked(java.util.function.Supplier<T> body) {
        try {
            Files.createDirectories(root);
            try (FileChannel ch = FileChannel.open(root.resolve(".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock ignored = ch.lock()) {
                return body.get();
            }
        } catch (java.nio.file.FileSystemException e) {
            throw new BadInputException("cannot use the data cache " + root + ": " + e.getMessage()
                    + " (set BMSIM_DATA to a writable folder)");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock the data cache " + root + ": " + e.getMessage(), e);
        }
    }
}
