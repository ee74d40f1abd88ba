package org.bmsim.examples.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.bmsim.common.Sha256;
import org.bmsim.examples.data.DataCache;
import org.bmsim.examples.data.RealData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety of training with a real child process (docs/reliability.md): a LeNet-5 run on 3,000
 * MNIST digits is killed with SIGKILL ({@link Process#destroyForcibly}, kill -9 on Linux) at seeded
 * random moments, from JVM start-up to the final write, then started again with the same arguments
 * ({@link TrainRun#AUTO}, what {@code bmsim train --resume} does), until it finishes; every model
 * file must equal the uninterrupted run's, byte for byte, and no temporary file may stay behind.
 * {@code bin/kill-resume} measures the same through the command line, 20 kills.
 */
class TrainKillResumeTest {
    static final int EPOCHS = 3;
    static final int KILL_ROUNDS = 2;

    @TempDir
    Path dir;
    private DataCache cache;

    @BeforeEach
    void data() {
        cache = RealData.requireSet("mnist");
    }

    private Process start(Path out) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of(java, "-XX:+UseParallelGC", "--add-modules", "jdk.incubator.vector",
                "-D" + DataCache.PROPERTY + "=" + cache.root(), "-cp", System.getProperty("java.class.path"),
                KillableTraining.class.getName(), out.toString(), Integer.toString(EPOCHS), "2");
        return new ProcessBuilder(cmd).redirectOutput(new File("/dev/null"))
                .redirectError(dir.resolve(out.getFileName() + ".log").toFile()).start();
    }

    private static void finish(Process p) throws Exception {
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child finished");
        assertEquals(0, p.exitValue(), "child exit code");
    }

    @Test
    void killedRunsResumeToTheSameModelFile() throws Exception {
        Path ref = dir.resolve("reference.safetensors");
        long t0 = System.nanoTime();
        finish(start(ref));
        long runMillis = (System.nanoTime() - t0) / 1_000_000;
        String want = Sha256.of(ref);
        SplittableRandom rng = new SplittableRandom(14);
        List<String> seen = new ArrayList<>();
        for (int round = 0; round < KILL_ROUNDS; round++) {
            Path out = dir.resolve("run" + round + ".safetensors");
            // first kill anywhere in the run, then up to two more kills of the resumed runs
            int kills = 0;
            for (int k = 0; k < 3; k++) {
                Process p = start(out);
                long at = rng.nextLong(Math.max(1, runMillis));
                if (p.waitFor(at, TimeUnit.MILLISECONDS)) {
                    assertEquals(0, p.exitValue());
                    break; // finished before the kill point
                }
                p.destroyForcibly();
                assertTrue(p.waitFor(30, TimeUnit.SECONDS));
                kills++;
            }
            finish(start(out));
            String log = Files.readString(dir.resolve(out.getFileName() + ".log"), StandardCharsets.UTF_8);
            seen.add(kills + " kills: " + (log.contains("resuming from") ? "resumed" : "restarted"));
            assertEquals(want, Sha256.of(out), "round " + round + " (" + seen + ")");
            assertFalse(Files.exists(TrainRun.checkpointFor(out)), "checkpoint removed at the end");
        }
        try (var s = Files.list(dir)) {
            assertTrue(s.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no temporary file left");
        }
        // the same command line once more: the model is there, nothing is trained, the file is unchanged
        finish(start(ref));
        assertEquals(want, Sha256.of(ref));
        assertTrue(Files.readString(dir.resolve("reference.safetensors.log")).contains("nothing to train"));
    }
}
