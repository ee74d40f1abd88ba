package org.bmsim.hdl;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.bmsim.common.AtomicFiles;
import org.bmsim.common.Sha256;

/**
 * Finds and loads the native co-simulation library {@code libbmsim_rtl.so}, once per JVM.
 *
 * <p>Where it comes from, in order: the system property {@code bmsim.rtl.lib} (an absolute path;
 * the hdl tests set it to {@code hdl/target/native/libbmsim_rtl.so}), else the copy the build put
 * into the hdl jar as the resource {@code org/bmsim/hdl/native/libbmsim_rtl.so} (so it is inside the
 * CLI's shaded jar too). A resource is extracted once to
 * {@code $XDG_CACHE_HOME/bmsim/native/<sha256>/libbmsim_rtl.so} (default {@code ~/.cache}), keyed
 * by the SHA-256 the build recorded beside it, written atomically, and checked before loading; a
 * rebuilt library gets a new folder, an unchanged one is reused.
 */
public final class RtlLibrary {
    public static final String PROPERTY = "bmsim.rtl.lib";
    static final String RESOURCE = "native/libbmsim_rtl.so";
    static final String RESOURCE_SHA = "native/libbmsim_rtl.sha256";

    /** What to do when the library is missing: the one command that installs Verilator, then the rebuild. */
    static final String SETUP = "run bin/setup-tools to install Verilator, then rebuild with "
            + "mvn -B -pl cli -am package -DskipTests";

    private static Optional<String> loadError;
    private static Set<String> models = Set.of();

    private RtlLibrary() {
    }

    /** Loads the library if not yet done; empty when loaded, else the one-line reason it is unavailable. */
    public static synchronized Optional<String> load() {
        if (loadError == null) {
            loadError = tryLoad();
        }
        return loadError;
    }

    /** True when the library is loaded. */
    public static boolean available() {
        return load().isEmpty();
    }

    /** Configuration ids the loaded library was built with (empty if unavailable). */
    public static synchronized Set<String> models() {
        load();
        return models;
    }

    private static Optional<String> tryLoad() {
        Path lib;
        try {
            String prop = System.getProperty(PROPERTY);
            if (prop != null && !prop.isBlank()) {
                lib = Path.of(prop).toAbsolutePath();
                if (!Files.isRegularFile(lib)) {
                    return Optional.of("the RTL library " + lib + " does not exist (" + SETUP + ")");
                }
            } else {
                Optional<Path> extracted = extract();
                if (extracted.isEmpty()) {
                    return Optional.of("this bmsim was built without the RTL library (Verilator was missing at build "
                            + "time; " + SETUP + ")");
                }
                lib = extracted.get();
            }
            System.load(lib.toString());
            Set<String> ids = new LinkedHashSet<>();
            for (String line : RtlNative.models().split("\n")) {
                if (!line.isBlank()) {
                    ids.add(line.strip());
                }
            }
            models = Set.copyOf(ids);
            return Optional.empty();
        } catch (UnsatisfiedLinkError | IOException | SecurityException e) {
            return Optional.of("cannot load the RTL library: " + oneLine(e.getMessage()));
        }
    }

    private static Optional<Path> extract() throws IOException {
        String sha;
        try (InputStream in = RtlLibrary.class.getResourceAsStream(RESOURCE_SHA)) {
            if (in == null) {
                return Optional.empty();
            }
            sha = new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
        }
        if (!sha.matches("[0-9a-f]{64}")) {
            throw new IOException("corrupt library checksum resource");
        }
        String base = System.getenv("XDG_CACHE_HOME");
        Path cache = (base == null || base.isBlank() ? Path.of(System.getProperty("user.home"), ".cache") : Path.of(base))
                .resolve("bmsim").resolve("native").resolve(sha);
        Path lib = cache.resolve("libbmsim_rtl.so");
        if (Files.isRegularFile(lib) && Sha256.of(lib).equals(sha)) {
            return Optional.of(lib);
        }
        try (InputStream in = RtlLibrary.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return Optional.empty();
            }
            byte[] bytes = in.readAllBytes();
            if (!Sha256.of(bytes).equals(sha)) {
                throw new IOException("the packaged RTL library does not match its recorded SHA-256");
            }
            AtomicFiles.write(lib, bytes);
        }
        return Optional.of(lib);
    }

    private static String oneLine(String s) {
        return s == null ? "(no message)" : s.strip().lines().findFirst().orElse("(no message)");
    }
}
