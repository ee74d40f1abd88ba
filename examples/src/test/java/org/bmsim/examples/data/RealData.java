package org.bmsim.examples.data;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Assumptions;

/**
 * Access to the real data cache for tests. Without a fetched cache these tests are skipped, visibly;
 * with {@code -Dbmsim.data.required=true} (what {@code bin/test} and CI use) they fail instead.
 */
public final class RealData {
    private RealData() {
    }

    /** The cache, if it holds {@code set}; call from {@code @BeforeEach} so skips are reported. */
    public static DataCache requireSet(String set) {
        DataCache c = DataCache.fromEnvironment();
        if (c.entry(set).isEmpty()) {
            String msg = "data set '" + set + "' is not in " + c.root() + " (run bin/bmsim data fetch)";
            if (Boolean.getBoolean("bmsim.data.required")) {
                fail(msg);
            }
            Assumptions.abort(msg);
        }
        return c;
    }
}
