package org.bmsim.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.bmsim.noise.device.NoiseRandom;
import org.bmsim.sim.nn.Parallel;
import org.bmsim.sim.tile.MvmKernels;
import org.bmsim.sim.tile.TileMatrix;
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
 * The tile kernels behind {@code bmsim bench mvm} (faithful per-read sampling and the
 * output-referred fast path, on 2 threads) and the two Gaussian generators they can use
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

    private int batch;
    private TileMatrix tile;
    private float[] x;
    private float[] y;
    private Parallel par;
    private long key;
    private final float[] z = new float[4096];
    private final VectorGaussian vg = VectorGaussian.of(1);
    private final NoiseRandom zig = NoiseRandom.of(1);

    @Setup
    public void setup() {
        String[] s = shape.split("x");
        int rows = Integer.parseInt(s[0]);
        int cols = Integer.parseInt(s[1]);
        batch = Integer.parseInt(s[2]);
        SplittableRandom r = new SplittableRandom(1);
        float[] mu = new float[rows * cols];
        float[] sg = new float[rows * cols];
        for (int i = 0; i < mu.length; i++) {
            mu[i] = (float) r.nextGaussian() * 0.3f;
            sg[i] = 0.05f * (float) r.nextDouble();
        }
        tile = TileMatrix.of(rows, cols, mu, sg);
        x = new float[batch * rows];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble();
        }
        y = new float[batch * cols];
        par = Parallel.of(2);
    }

    @TearDown
    public void tearDown() {
        par.close();
    }

    @Benchmark
    public float[] faithfulPerRead() {
        MvmKernels.perRead(tile, x, batch, y, key++, par);
        return y;
    }

    @Benchmark
    public float[] fastOutputReferred() {
        MvmKernels.outputReferred(tile, x, batch, y, key++, par);
        return y;
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
