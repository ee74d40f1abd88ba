package org.bmsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bmsim.examples.data.DataCache;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exit codes and one-line errors of the command line, run in-process. */
class MainTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @AfterEach
    void clearProperty() {
        System.clearProperty(DataCache.PROPERTY);
    }

    /** Exit 2 and one line "bmsim: error: ..." that contains fragment: what every command does with bad input. */
    static void assertExitTwoOneLine(Run r, String fragment) {
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith("bmsim: error: "), r.err());
        assertTrue(r.err().contains(fragment), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
    }

    private static void assertOneLineError(Run r, String fragment) {
        assertExitTwoOneLine(r, fragment);
        assertFalse(r.err().contains("Exception"), r.err());
    }

    @Test
    void versionAndHelp() {
        Run v = run("--version");
        assertEquals(0, v.code());
        assertTrue(v.out().startsWith("bmsim "), v.out());
        Run h = run("--help");
        assertEquals(0, h.code());
        assertTrue(h.out().contains("data") && h.out().contains("demo"), h.out());
        Run dh = run("data", "fetch", "--help");
        assertEquals(0, dh.code());
        assertTrue(dh.out().contains("--from"), dh.out());
    }

    /** Every command's help renders without picocli's format warnings (an unescaped '%' in a description). */
    @Test
    void everyHelpRendersCleanly() {
        java.io.PrintStream saved = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true));
        try {
            java.util.List<java.util.List<String>> paths = new java.util.ArrayList<>();
            commandPaths(new picocli.CommandLine(new BmsimCommand()), new java.util.ArrayList<>(), paths);
            assertTrue(paths.size() > 15, "the whole command tree: " + paths);
            for (java.util.List<String> path : paths) {
                java.util.List<String> args = new java.util.ArrayList<>(path);
                args.add("--help");
                Run h = run(args.toArray(new String[0]));
                assertEquals(0, h.code(), String.join(" ", path));
                assertFalse(h.out().contains("%n"), path + ": " + h.out());
            }
        } finally {
            System.setErr(saved);
        }
        assertFalse(captured.toString().contains("picocli WARN"), captured.toString());
    }

    /** Every command and subcommand below {@code cl} (help excepted), as argument paths. */
    private static void commandPaths(picocli.CommandLine cl, java.util.List<String> prefix,
            java.util.List<java.util.List<String>> out) {
        for (java.util.Map.Entry<String, picocli.CommandLine> e : cl.getSubcommands().entrySet()) {
            if (e.getKey().equals("help") || !e.getValue().getCommandName().equals(e.getKey())) {
                continue; // the help command, and aliases of a command already listed
            }
            java.util.List<String> p = new java.util.ArrayList<>(prefix);
            p.add(e.getKey());
            out.add(p);
            commandPaths(e.getValue(), p, out);
        }
    }

    @Test
    void usageErrorsAreOneLineAndExitTwo() {
        assertOneLineError(run("frobnicate"), "frobnicate");
        assertOneLineError(run(), "no command given");
        assertOneLineError(run("data"), "missing subcommand");
        assertOneLineError(run("data", "info", "--jsn"), "--jsn");
        assertOneLineError(run("data", "fetch", "--from"), "--from");
    }

    @Test
    void emptyCacheAndBadImports() {
        System.setProperty(DataCache.PROPERTY, dir.resolve("cache").toString());
        assertOneLineError(run("data", "info", "--json"), "no data cache at");
        assertOneLineError(run("data", "fetch", "--from", dir.resolve("nope").toString()), "not a directory");
        assertOneLineError(run("data", "fetch", "--from", dir.toString(), "--set", "cifar"), "cifar");
    }

    @Test
    void dataBuildRefusesUnknownSetsAndAMissingSource() {
        System.setProperty(DataCache.PROPERTY, dir.resolve("cache").toString());
        assertOneLineError(run("data", "build", "cifar"), "unknown set 'cifar'");
        assertOneLineError(run("data", "build"), "SET");
        assertOneLineError(run("data", "build", "dirty-mnist-lite", "--seed", "x"), "--seed");
        assertOneLineError(run("data", "build", "dirty-mnist-lite"), "run 'bmsim data fetch'");
        Run h = run("data", "build", "--help");
        assertEquals(0, h.code());
        assertTrue(h.out().contains("--ood-all") && h.out().contains("--force"), h.out());
    }

    @Test
    void corruptCacheIsBadInput() throws Exception {
        Path cache = dir.resolve("cache");
        Files.createDirectories(cache);
        Files.writeString(cache.resolve("manifest.json"), "not json");
        System.setProperty(DataCache.PROPERTY, cache.toString());
        assertOneLineError(run("data", "info"), "corrupt data manifest");
        Files.writeString(cache.resolve("manifest.json"), "{\"format\":1,\"sets\":{\"mnist\":{\"source\":\"x\","
                + "\"splits\":{\"all\":{\"count\":1,\"rows\":28,\"cols\":28,\"classes\":10,\"images\":\"mnist/i\","
                + "\"labels\":\"mnist/l\",\"imagesSha256\":\"0\",\"labelsSha256\":\"0\"}}}}}");
        assertOneLineError(run("data", "info"), "missing");
        Files.createDirectories(cache.resolve("mnist"));
        Files.write(cache.resolve("mnist/i"), new byte[] {0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 28, 0, 0, 0, 28, 1, 2});
        Files.write(cache.resolve("mnist/l"), new byte[] {0, 0, 8, 1, 0, 0, 0, 1, 3});
        assertOneLineError(run("data", "info", "--json"), "truncated");
    }

    @Test
    void unusableCacheLocationIsBadInput() throws Exception {
        Path file = dir.resolve("a-file");
        Files.writeString(file, "x");
        System.setProperty(DataCache.PROPERTY, file.resolve("cache").toString());
        assertOneLineError(run("data", "fetch"), "cannot use the data cache");
    }

    @Test
    void debugPrintsTheStackTrace() {
        System.setProperty(DataCache.PROPERTY, dir.resolve("cache").toString());
        Run r = run("--debug", "data", "fetch", "--from", dir.resolve("nope").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("BadInputException"), r.err());
    }
}
