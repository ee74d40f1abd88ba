package org.bmsim.common.fuzz;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One parser under fuzzing: a name, the adapter that feeds it the bytes of a file, the seed corpus
 * (a class-path directory with an {@code index.txt} listing its files, one per line) and a dictionary
 * of format tokens the mutator splices in (magic bytes, keys, type names, extreme numbers).
 *
 * <p>Adding a parser is one adapter and one corpus directory, for example
 * <pre>  FuzzTarget.of("idx", b -&gt; Idx.decode("fuzz", b), Idx.class, "fuzz/idx", List.of("\u0000\u0000\u0008\u0003"))</pre>
 * The adapter must either return (the input was accepted) or throw
 * {@link org.bmsim.common.BadInputException} with a one-line message; anything else is a bug
 * ({@link Fuzzer}).
 *
 * @param anchor a class of the parser's module: the corpus is read with its class loader
 */
public record FuzzTarget(String name, Parser parser, Class<?> anchor, String corpus, List<byte[]> dictionary) {
    /** The adapter: parse these bytes as a file of the target's format. */
    @FunctionalInterface
    public interface Parser {
        void parse(byte[] file) throws Exception;
    }

    public FuzzTarget {
        Objects.requireNonNull(name);
        Objects.requireNonNull(parser);
        Objects.requireNonNull(anchor);
        Objects.requireNonNull(corpus);
        dictionary = List.copyOf(dictionary);
        if (!name.matches("[a-z0-9-]+")) {
            throw new IllegalArgumentException("target names are lower-case words joined by '-': " + name);
        }
    }

    /** A target with a dictionary of text tokens (ISO-8859-1, so "\u0093" is the byte 0x93). */
    public static FuzzTarget of(String name, Parser parser, Class<?> anchor, String corpus, List<String> tokens) {
        List<byte[]> d = new ArrayList<>();
        for (String t : tokens) {
            d.add(t.getBytes(StandardCharsets.ISO_8859_1));
        }
        return new FuzzTarget(name, parser, anchor, corpus, d);
    }

    /** The seed corpus: every file listed in {@code <corpus>/index.txt}, in that order. */
    public List<Seed> seeds() {
        String dir = corpus.endsWith("/") ? corpus : corpus + "/";
        List<Seed> out = new ArrayList<>();
        for (String line : new String(resource(dir + "index.txt"), StandardCharsets.UTF_8).split("\n")) {
            String f = line.strip();
            if (!f.isEmpty() && !f.startsWith("#")) {
                out.add(new Seed(f, resource(dir + f)));
            }
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("empty fuzz corpus " + dir);
        }
        return out;
    }

    private byte[] resource(String path) {
        try (InputStream in = anchor.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("fuzz corpus file missing from the class path: " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A corpus file: its name and bytes. */
    public record Seed(String name, byte[] bytes) {
    }
}
