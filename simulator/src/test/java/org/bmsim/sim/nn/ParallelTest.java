package org.bmsim.sim.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** The worker pool: every task once, worker indices in range, errors rethrown, nested calls inline. */
class ParallelTest {
    @Test
    void everyTaskRunsOnceOnAValidWorker() {
        for (int threads = 1; threads <= 4; threads++) {
            try (Parallel par = Parallel.of(threads)) {
                for (int call = 0; call < 2000; call++) {
                    int count = 1 + call % 37;
                    AtomicIntegerArray runs = new AtomicIntegerArray(count);
                    int t = threads;
                    par.forEach(count, (task, worker) -> {
                        assertTrue(worker >= 0 && worker < t, "worker " + worker);
                        runs.incrementAndGet(task);
                    });
                    for (int k = 0; k < count; k++) {
                        assertEquals(1, runs.get(k), "task " + k + " of call " + call + " on " + threads + " threads");
                    }
                }
            }
        }
    }

    @Test
    void aTaskExceptionIsRethrownAndThePoolStaysUsable() {
        try (Parallel par = Parallel.of(3)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> par.forEach(50, (task, w) -> {
                if (task == 17) {
                    throw new IllegalArgumentException("task 17");
                }
            }));
            assertEquals("task 17", e.getMessage());
            AtomicIntegerArray runs = new AtomicIntegerArray(10);
            par.forEach(10, (task, w) -> runs.incrementAndGet(task));
            for (int k = 0; k < 10; k++) {
                assertEquals(1, runs.get(k));
            }
        }
    }

    @Test
    void aNestedCallRunsOnTheCallingThread() {
        try (Parallel par = Parallel.of(2)) {
            AtomicIntegerArray inner = new AtomicIntegerArray(4 * 5);
            par.forEach(4, (outer, w) -> par.forEach(5, (task, w2) -> {
                assertEquals(w, w2, "nested tasks run inline with the outer task's worker index");
                inner.incrementAndGet(outer * 5 + task);
            }));
            for (int k = 0; k < 20; k++) {
                assertEquals(1, inner.get(k));
            }
        }
    }
}
