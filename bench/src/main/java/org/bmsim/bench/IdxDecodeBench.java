package org.bmsim.bench;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.bmsim.sim.io.Idx;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Decoding a 10,000-image IDX file held in memory (the cost of loading a test set). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class IdxDecodeBench {
    private byte[] file;

    @Setup
    public void setup() {
        int n = 10_000;
        ByteBuffer b = ByteBuffer.allocate(16 + n * 784);
        b.put((byte) 0).put((byte) 0).put((byte) 8).put((byte) 3).putInt(n).putInt(28).putInt(28);
        for (int i = 16; i < b.capacity(); i++) {
            b.put(i, (byte) (i * 131));
        }
        file = b.array();
    }

    @Benchmark
    public Idx.Tensor decode() {
        return Idx.decode("bench", file);
    }
}
