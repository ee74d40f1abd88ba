package org.bmsim.bench;

import java.util.concurrent.TimeUnit;
import org.bmsim.noise.device.NoiseRandom;
import org.bmsim.sim.nn.Parallel;
import org.bmsim.sim.tile.MvmWorkload;
import org.bmsim.sim.tile.VectorGaussian;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The tile workload of {@code bmsim bench mvm} ({@link MvmWorkload}: faithful per-read sampling
 * and the output-referred fast path, on 2 threads) and the two Gaussian generators they can use
 * (4096 variates per call). MAC/s = rows x cols x batch / time per call.
 * Run: {@code java -jar bench/target/bmsim-bench.jar MvmBench}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class MvmBench {
    @Param({"256x256x1", "256x256x64", "1024x1024x1", "1024x1024x64"})
    public String shape;

    private MvmWorkload workload;
    private Parallel par;
    private long key;
    private final float[] z = new float[4096];
    private final VectorGaussian vg = VectorGaussian.of(1);
    private final NoiseRandom zig = NoiseRandom.of(1);

    @Setup
    public void setup() {
        String[] s = shape.split("x");
        workload = MvmWorkload.of(Integer.parseInt(s[0]), Integer.parseInt(s[1]), Integer.parseInt(s[2]), 1);
        par = Parallel.of(2);
    }

    @TearDown
    public void tearDown() {
        par.close();
    }

    @Benchmark
    public float[] faithfulPerRead() {
        return workload.read(MvmWorkload.Mode.FAITHFUL, key++, par);
    }

    @Benchmark
    public float[] fastOutputReferred() {
        return workload.read(MvmWorkload.Mode.FAST, key++, par);
    }

    @Benchmark
    public float[] vectorGaussian4096() {
        vg.fill(z, 0, z.length);
        return z;
    }

    @Benchmark
    public float[] zigguratGaussian4096() {
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) zig.gaussian();
        }
        return z;
    }
}
