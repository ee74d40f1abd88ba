package org.bmsim.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.bmsim.sim.data.FloatSet;
import org.bmsim.sim.nn.Activation;
import org.bmsim.sim.nn.Architecture;
import org.bmsim.sim.nn.MonteCarloInference;
import org.bmsim.sim.nn.Network;
import org.bmsim.sim.nn.Parallel;
import org.bmsim.sim.nn.SigmaTransform;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One Monte Carlo sample of a Bayesian LeNet-5 (one weight draw of 61,706 values, then 64 images
 * through the batch-minor engine, 26.7 M multiply-adds), on one thread: the unit of {@code bmsim eval}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class LenetInferenceBench {
    private Network lenet;
    private FloatSet images;
    private Parallel one;

    @Setup
    public void setup() {
        lenet = Network.initialised(Architecture.of("lenet5", Activation.RELU), true, SigmaTransform.SOFTPLUS, -5f, 1);
        SplittableRandom r = new SplittableRandom(1);
        float[] x = new float[64 * 784];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        images = new FloatSet("bench", 64, 1, 28, 28, x, new short[64], new byte[64], null, 10);
        one = Parallel.of(1);
    }

    @TearDown
    public void tearDown() {
        one.close();
    }

    @Benchmark
    public Object sample64() {
        return MonteCarloInference.predict(lenet, images, 1, 3, one, null);
    }
}
