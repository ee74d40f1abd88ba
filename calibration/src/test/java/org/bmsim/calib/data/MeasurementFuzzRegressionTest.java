package org.bmsim.calib.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bmsim.common.fuzz.Fuzzer;
import org.junit.jupiter.api.Test;

/**
 * The short fuzz run of CI for the measurement CSV (as ParserFuzzRegressionTest for the simulator's
 * parsers): the stored corpus, then a fixed number of seeded mutations, judged by the fuzzer's
 * oracle. The seed is fixed, so a failure reproduces; {@code bmsim fuzz --target measurement-csv} runs longer.
 */
class MeasurementFuzzRegressionTest {
    static final long EXECUTIONS = 3000;

    @Test
    void storedCorpusAndSeededMutationsFindNoBug() {
        Fuzzer.Report r = Fuzzer.run(MeasurementFuzzTarget.TARGET, 20261206L, EXECUTIONS, Double.POSITIVE_INFINITY, null);
        assertEquals(EXECUTIONS, r.executions());
        assertTrue(r.findings().isEmpty(), () -> r.findings().size() + " bugs, first: " + r.findings().get(0).outcome());
        assertTrue(r.rejected() > 0, "mutations reach the parser's checks");
    }
}
