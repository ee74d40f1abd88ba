package org.bmsim.examples;

import java.io.PrintStream;
import java.util.List;
import org.bmsim.examples.data.DataCache;
import org.bmsim.examples.data.DataFetcher;
import org.bmsim.examples.data.DataInfo;

/**
 * The main job, {@code bmsim demo}: every stage of the pipeline a new user should see, end to end,
 * on real data. Each stage prints what it did; the whole run is reproducible from its seed.
 *
 * <p>Stages so far: fetch the data sets and summarise them.
 */
public final class Demo {
    private final DataCache cache;
    private final PrintStream out;
    private final PrintStream log;

    public Demo(DataCache cache, PrintStream out, PrintStream log) {
        this.cache = cache;
        this.out = out;
        this.log = log;
    }

    /** Runs the demo; returns normally on success, throws on bad input or failure. */
    public void run() {
        long t0 = System.nanoTime();
        out.println("== bmsim demo: 1. data");
        new DataFetcher(cache, log::println).fetchAll(false);
        List<DataInfo.Row> rows = DataInfo.rows(cache);
        out.print(DataInfo.table(rows));
        out.printf("== demo finished in %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }
}
