package org.bmsim.cli;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bmsim replay}: strategies a machine cannot run, bad files and values are one-line errors, exit 2. */
class ReplayCommandTest {
    @TempDir
    Path dir;

    private void badInput(String fragment, String... args) {
        MainTest.Run r = MainTest.run(args);
        MainTest.assertExitTwoOneLine(r, fragment);
    }

    @Test
    void refusesWhatTheMachineCannotRunBeforeLoadingData() {
        String model = dir.resolve("none.safetensors").toString();
        String json = dir.resolve("r.json").toString();
        badInput("digital-jq cells, which hold JQ codes: use --strategy jq --bits 4", "replay", "--model", model,
                "--machine", "digital-jq4", "--strategy", "fp", "--json", json);
        badInput("needs all three at 3", "replay", "--model", model, "--machine", "ideal", "--bits", "3", "--json", json);
        badInput("replay supports --strategy fp, vpq or jq, not 'share'", "replay", "--model", model, "--strategy",
                "share", "--json", json);
        badInput("--bits applies to a quantization strategy", "replay", "--model", model, "--machine", "rram-wan2022",
                "--strategy", "fp", "--bits", "4", "--json", json);
        badInput("neither a preset", "replay", "--model", model, "--machine", "no-such-machine", "--json", json);
        badInput("file not found", "replay", "--model", model, "--machine", "rram-wan2022", "--json", json);
        badInput("samples must be at least 1", "replay", "--model", model, "--samples", "0", "--json", json);
        badInput("--mapping must be plain or search, got 'best'", "replay", "--model", model, "--machine", "rram-wan2022",
                "--mapping", "best", "--json", json);
        badInput("--mapping-machine digital-jq4 has no device model", "replay", "--model", model, "--machine",
                "rram-wan2022", "--strategy", "fp", "--mapping-machine", "digital-jq4", "--json", json);
        badInput("neither a preset", "replay", "--model", model, "--machine", "rram-wan2022", "--strategy", "fp",
                "--mapping-machine", "no-such-machine", "--json", json);
        badInput("--mapping-machine is for analog machines; digital-jq4 has digital-jq cells", "replay", "--model", model,
                "--mapping-machine", "rram-wan2022", "--json", json);
        badInput("its device window [0.0, 25.0] uS differs from rram-wan2022's [0.0, 39.26] uS", "replay", "--model", model,
                "--machine", "rram-wan2022", "--strategy", "fp", "--mapping-machine", "pcm-joshi2020", "--json", json);
    }

    @Test
    void badMachineFilesAreOneLineErrorsWithExitTwo() throws java.io.IOException {
        String model = dir.resolve("none.safetensors").toString();
        String json = dir.resolve("r.json").toString();
        String rram = org.bmsim.sim.machine.Machines.presetText("rram-wan2022");
        Path neg = dir.resolve("neg.yaml");
        java.nio.file.Files.writeString(neg, rram + "mapping:\n  search: true\n  replicas: [4, -1]\n");
        badInput("neg.yaml: mapping.replicas: a replica count must be in [1, 1024], got -1", "replay", "--model", model,
                "--machine", neg.toString(), "--json", json);
        String custom = rram.replaceFirst("preset: rram-wan2022[^\n]*\n", "preset: custom\n").replace(
                "  realisable_tolerance: 0.1", "  realisable_tolerance: 0.1\n  custom:\n    source: \"test\"\n");
        Path window = dir.resolve("window.yaml");
        java.nio.file.Files.writeString(window, custom.replace("source: \"test\"\n",
                "source: \"test\"\n    g_min_us: 30.0\n    g_max_us: 10.0\n    sigma_us: [1.0]\n"));
        badInput("impossible conductance window", "replay", "--model", model, "--machine", window.toString(), "--json", json);
        Path law = dir.resolve("law.yaml");
        java.nio.file.Files.writeString(law, custom.replace("source: \"test\"\n",
                "source: \"test\"\n    g_min_us: 0.0\n    g_max_us: 20.0\n    sigma_us: [1.0, -0.1]\n"));
        badInput("the noise law must be positive over the window", "replay", "--model", model, "--machine", law.toString(),
                "--json", json);
        badInput("--machine fine-tunes a Bayesian --init model", "train", "--machine", "rram-wan2022", "--out", json);
    }
}
