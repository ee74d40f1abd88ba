package org.bmsim.sim.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.bmsim.common.fuzz.FuzzTarget;
import org.bmsim.common.fuzz.Fuzzer;
import org.bmsim.common.fuzz.InputFilesTarget;
import org.bmsim.sim.machine.MachineFuzzTarget;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The short fuzz run of CI (docs/reliability.md): every file of every parser's stored corpus (the
 * seeds and the inputs that once found a bug), then a fixed number of seeded mutations, each judged
 * by {@link Fuzzer}'s oracle (only one-line bad-input errors, no hang over 1 s, no allocation beyond
 * the file's size). The seed is fixed, so a failure reproduces; {@code bmsim fuzz} runs the same
 * engine for longer.
 */
class ParserFuzzRegressionTest {
    /** Mutated inputs per parser here: about a second or two each. */
    static final long EXECUTIONS = 3000;

    static Stream<FuzzTarget> targets() {
        List<FuzzTarget> t = new ArrayList<>(FileFuzzTargets.all());
        t.add(MachineFuzzTarget.TARGET);
        t.add(InputFilesTarget.TARGET);
        return t.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void storedCorpusAndSeededMutationsFindNoBug(FuzzTarget target) {
        // the run starts with every stored file, judged like the mutations after it
        long n = target.name().equals("input-files") ? 300 : EXECUTIONS;
        Fuzzer.Report r = Fuzzer.run(target, 20261206L, n, Double.POSITIVE_INFINITY, null);
        assertEquals(n, r.executions());
        assertTrue(r.findings().isEmpty(), () -> target.name() + ": " + r.findings().size() + " bugs, first: "
                + r.findings().get(0).outcome());
        assertTrue(r.rejected() > 0, "mutations reach the parser's checks");
    }

    @org.junit.jupiter.api.Test
    void theOracleCatchesWhatItMustCatch() {
        FuzzTarget target = FileFuzzTargets.SAFETENSORS;
        // a parser that crashes, hangs, allocates by an untrusted length or prints two lines is caught
        assertEquals(Fuzzer.Kind.CRASH, Fuzzer.check(withParser(target, b -> {
            throw new ArrayIndexOutOfBoundsException(3);
        }), new byte[4]).kind());
        assertEquals(Fuzzer.Kind.HANG, Fuzzer.check(withParser(target, b -> {
            // a loop that stops after 2.5 s of CPU time (so the abandoned thread ends)
            long cpu = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
            while (java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu
                    < 2_500_000_000L) {
                b[0]++;
            }
        }), new byte[4]).kind());
        assertEquals(Fuzzer.Kind.ALLOCATION, Fuzzer.check(withParser(target, b -> {
            byte[] big = new byte[24 << 20];
            big[b.length] = 1;
        }), new byte[4]).kind());
        assertEquals(Fuzzer.Kind.BAD_MESSAGE, Fuzzer.check(withParser(target, b -> {
            throw new org.bmsim.common.BadInputException("two\nlines");
        }), new byte[4]).kind());
    }

    private static FuzzTarget withParser(FuzzTarget t, FuzzTarget.Parser p) {
        return new FuzzTarget(t.name(), p, t.anchor(), t.corpus(), t.dictionary());
    }
}
