package org.bmsim.examples.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.bmsim.common.BadInputException;
import org.bmsim.sim.data.ImageSet;
import org.bmsim.sim.io.Idx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fetcher's offline parts: tar reading, digit-file checks, IDX import, the manifest. */
class DataFetcherTest {
    @TempDir
    Path dir;

    private final List<String> log = new ArrayList<>();

    /** A ustar archive written by hand: header fields at the offsets of POSIX.1-1988. */
    private static byte[] tgz(Map<String, byte[]> files) throws Exception {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        for (var e : files.entrySet()) {
            byte[] h = new byte[512];
            byte[] name = e.getKey().getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(name, 0, h, 0, name.length);
            byte[] size = String.format("%011o", e.getValue().length).getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(size, 0, h, 124, size.length);
            h[156] = '0';
            raw.write(h);
            raw.write(e.getValue());
            raw.write(new byte[(512 - e.getValue().length % 512) % 512]);
        }
        raw.write(new byte[1024]);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (OutputStream o = new GZIPOutputStream(gz)) {
            o.write(raw.toByteArray());
        }
        return gz.toByteArray();
    }

    @Test
    void tarReaderReturnsWantedMembersOnly() throws Exception {
        Map<String, byte[]> files = new java.util.LinkedHashMap<>();
        files.put("package/a.json", "{\"x\":1}".getBytes(StandardCharsets.US_ASCII));
        files.put("package/README.md", new byte[700]);
        files.put("package/b.json", new byte[0]);
        Path t = dir.resolve("p.tgz");
        Files.write(t, tgz(files));
        Map<String, byte[]> got = Tar.readGz(t, n -> n.endsWith(".json"));
        assertEquals(List.of("package/a.json", "package/b.json"), new ArrayList<>(got.keySet()));
        assertEquals("{\"x\":1}", new String(got.get("package/a.json"), StandardCharsets.US_ASCII));

        byte[] whole = Files.readAllBytes(t);
        Files.write(t, java.util.Arrays.copyOf(whole, whole.length / 2));
        BadInputException e = assertThrows(BadInputException.class, () -> Tar.readGz(t, n -> true));
        assertTrue(e.getMessage().contains("p.tgz"), e.getMessage());
    }

    @Test
    void digitFilesAreCheckedAgainstRecordedDigests() {
        Map<String, byte[]> files = new HashMap<>();
        for (int d = 0; d < 10; d++) {
            files.put("package/src/digits/" + d + ".json", ("{\"data\":[" + "0,".repeat(783) + "0]}")
                    .getBytes(StandardCharsets.US_ASCII));
        }
        BadInputException e = assertThrows(BadInputException.class, () -> DataFetcher.mnistFromDigitFiles(files));
        assertTrue(e.getMessage().startsWith("checksum mismatch for package/src/digits/0.json"), e.getMessage());
        files.remove("package/src/digits/3.json");
        e = assertThrows(BadInputException.class, () -> DataFetcher.mnistFromDigitFiles(files));
        assertTrue(e.getMessage().contains("0.json") || e.getMessage().contains("3.json"), e.getMessage());
    }

    private static ImageSet synthetic(String name, int n, int rows) {
        byte[] px = new byte[n * rows * rows];
        byte[] lb = new byte[n];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i % 251);
        }
        for (int i = 0; i < n; i++) {
            lb[i] = (byte) (i % 10);
        }
        return new ImageSet(name, n, rows, rows, px, lb);
    }

    @Test
    void importsStandardIdxFilesAndIsReadBack() {
        Path src = dir.resolve("src");
        Idx.writeImageSet(synthetic("tr", 30, 28), src.resolve("train-images-idx3-ubyte"),
                src.resolve("train-labels-idx1-ubyte"));
        Idx.writeImageSet(synthetic("te", 20, 28), src.resolve("t10k-images-idx3-ubyte"),
                src.resolve("t10k-labels-idx1-ubyte"));
        DataCache cache = DataCache.at(dir.resolve("cache"));
        DataFetcher f = new DataFetcher(cache, log::add);
        f.importIdx(src, Datasets.MNIST_FULL);
        assertTrue(f.isCached(Datasets.MNIST_FULL));
        assertEquals(30, cache.load(Datasets.MNIST_FULL, "train").count());
        assertEquals(20, cache.load(Datasets.MNIST_FULL, "test").count());
        List<DataInfo.Row> rows = DataInfo.rows(cache);
        assertEquals(2, rows.size());
        assertEquals(50, (Integer) ((Map<?, ?>) ((Map<?, ?>) DataInfo.json(cache, rows).get("sets"))
                .get(Datasets.MNIST_FULL)).get("count"));

        // a damaged converted file is noticed
        assertFalse(log.isEmpty());
    }

    @Test
    void importRefusesWrongShapesAndMissingFiles() throws Exception {
        Path src = dir.resolve("src");
        Idx.writeImageSet(synthetic("tr", 3, 20), src.resolve("train-images-idx3-ubyte"),
                src.resolve("train-labels-idx1-ubyte"));
        DataFetcher f = new DataFetcher(DataCache.at(dir.resolve("cache")), log::add);
        BadInputException e = assertThrows(BadInputException.class, () -> f.importIdx(src, Datasets.MNIST_FULL));
        assertTrue(e.getMessage().contains("20x20"), e.getMessage());
        Files.delete(src.resolve("train-labels-idx1-ubyte"));
        e = assertThrows(BadInputException.class, () -> f.importIdx(src, Datasets.MNIST_FULL));
        assertTrue(e.getMessage().startsWith("no train-labels-idx1-ubyte"), e.getMessage());
        e = assertThrows(BadInputException.class, () -> f.importIdx(dir.resolve("none"), Datasets.MNIST_FULL));
        assertTrue(e.getMessage().startsWith("not a directory"), e.getMessage());
        e = assertThrows(BadInputException.class, () -> f.importIdx(src, "cifar"));
        assertTrue(e.getMessage().contains("cifar"), e.getMessage());
    }

    @Test
    void damagedCacheIsBadInputNotACrash() throws Exception {
        Path src = dir.resolve("src");
        Idx.writeImageSet(synthetic("tr", 5, 28), src.resolve("train-images-idx3-ubyte"),
                src.resolve("train-labels-idx1-ubyte"));
        Idx.writeImageSet(synthetic("te", 5, 28), src.resolve("t10k-images-idx3-ubyte"),
                src.resolve("t10k-labels-idx1-ubyte"));
        DataCache cache = DataCache.at(dir.resolve("cache"));
        DataFetcher f = new DataFetcher(cache, log::add);
        f.importIdx(src, Datasets.MNIST_FULL);
        Path im = cache.root().resolve("mnist-full/train-images-idx3-ubyte");
        byte[] b = Files.readAllBytes(im);
        Files.write(im, java.util.Arrays.copyOf(b, b.length - 100));
        assertFalse(f.isCached(Datasets.MNIST_FULL));
        BadInputException e = assertThrows(BadInputException.class, () -> cache.load(Datasets.MNIST_FULL, "train"));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());

        Files.writeString(cache.root().resolve("manifest.json"), "{\"format\": 1, \"sets\": {");
        e = assertThrows(BadInputException.class, cache::manifest);
        assertTrue(e.getMessage().contains("corrupt data manifest"), e.getMessage());

        e = assertThrows(BadInputException.class, () -> DataCache.at(dir.resolve("empty")).load("mnist", "all"));
        assertTrue(e.getMessage().contains("not in the cache"), e.getMessage());
    }
}
