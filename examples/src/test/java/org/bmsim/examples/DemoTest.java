package org.bmsim.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.bmsim.examples.data.DataCache;
import org.bmsim.sim.train.TrainConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's model cache: one file per training configuration and training data. */
class DemoTest {
    @TempDir
    Path dir;

    @Test
    void modelIsCachedUnderItsConfigurationAndData() {
        DataCache cache = DataCache.at(dir);
        TrainConfig a = TrainConfig.reference("lenet5", 60, 1);
        Path p = Demo.modelPath(cache, a, "aa");
        assertEquals(p, Demo.modelPath(cache, TrainConfig.reference("lenet5", 60, 1), "aa"));
        assertNotEquals(p, Demo.modelPath(cache, a, "ab"), "other data");
        assertNotEquals(p, Demo.modelPath(cache, TrainConfig.reference("lenet5", 60, 2), "aa"), "other seed");
        assertNotEquals(p, Demo.modelPath(cache, TrainConfig.reference("lenet5", 59, 1), "aa"), "other epochs");
        assertTrue(p.startsWith(dir.resolve("models")) && p.getFileName().toString().startsWith("lenet5-"), p.toString());
    }
}
