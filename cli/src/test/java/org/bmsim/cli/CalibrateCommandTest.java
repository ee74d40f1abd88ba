package org.bmsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bmsim.sim.machine.MachineDescription;
import org.bmsim.sim.machine.Machines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CalibrateCommandTest {
    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    /** synthesize, then calibrate: the YAML loads as a machine with the custom device; the report has its plots. */
    @Test
    void synthesizeThenCalibrate(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("m.csv");
        String[] s = run("calibrate", "synthesize", "--preset", "rram-milo2021", "--devices", "160", "--reads", "32",
                "--levels", "4", "--out", csv.toString(), "--seed", "2", "--threads", "2");
        assertEquals("0", s[0], s[2]);
        assertTrue(Files.readString(csv).startsWith("# synthesized by bmsim calibrate synthesize"));
        Path yaml = dir.resolve("dev.yaml");
        Path rep = dir.resolve("rep");
        String[] c = run("calibrate", "--data", csv.toString(), "--out", yaml.toString(), "--report", rep.toString(),
                "--bootstrap", "30", "--window", "62.5,110", "--threads", "2");
        assertEquals("0", c[0], c[2]);
        MachineDescription m = Machines.load(yaml.toString());
        assertEquals("custom", m.device().preset());
        assertEquals(62.5, m.device().custom().gMinUs());
        assertTrue(Files.readString(yaml).contains("input_sha256: "));
        // 32 reads of 0.1 s hold no transition for 2.8% of the traps (tau_0 0.5 s, tau_1 1 s), and are too few
        // for the family selection: two warning lines on stderr, in the file's provenance and in estimates.json
        assertEquals(2, c[2].lines().filter(l -> l.startsWith("bmsim: warning: ")).count(), c[2]);
        assertTrue(c[2].contains("show no transition in a trace of"), c[2]);
        assertTrue(c[2].contains("32 reads per device: the trend fit's leverage"), c[2]);
        assertTrue(Files.readString(yaml).contains("#   warning: "), "warning in the provenance");
        assertTrue(Files.readString(rep.resolve("estimates.json")).contains("show no transition"));
        for (String f : new String[] {"estimates.json", "report.md", "realisable.csv", "level0-qq.png", "level3-psd.png",
            "level2-hist.png"}) {
            assertTrue(Files.size(rep.resolve(f)) > 0, f);
        }
    }

    /** Each bad CSV: exit 2, one line naming the problem, no output file. */
    @Test
    void badCsvsExitTwoAndWriteNothing(@TempDir Path dir) throws Exception {
        String header = "device,target_us,read_index,time_s,g_us\n";
        String[][] cases = {
            {"", "empty file"},
            {"device,target_us,read_index,g_us\na,1,0,1\n", "missing column 'time_s'"},
            {header + "a,1,0,1,x\nb,2,0,1,1\n", "not a number: 'x'"},
            {header + "a,1,0,1,-1\nb,2,0,1,1\n", "conductance must be finite and >= 0"},
            {header + "a,1,0,1,NaN\nb,2,0,1,1\n", "conductance must be finite and >= 0"},
            {header + "a,1,0,1,1\nb,1,0,1,1\n", "only one level"},
            {"device,target_us,read_index,time_s,g_ms\na,1,0,1,1\n", "unknown unit 'ms'"},
        };
        int i = 0;
        for (String[] k : cases) {
            Path csv = dir.resolve("bad" + i + ".csv");
            Files.writeString(csv, k[0]);
            Path out = dir.resolve("out" + i + ".yaml");
            Path rep = dir.resolve("rep" + i);
            String[] r = run("calibrate", "--data", csv.toString(), "--out", out.toString(), "--report", rep.toString());
            assertEquals("2", r[0], k[1] + ": " + r[2]);
            assertEquals(1, r[2].strip().lines().count(), r[2]);
            assertTrue(r[2].contains(k[1]) && r[2].contains(csv.toString()), r[2]);
            assertFalse(Files.exists(out), "no output for " + k[1]);
            assertFalse(Files.exists(rep), "no report for " + k[1]);
            i++;
        }
    }

    /** --levels takes explicit targets in uS; a bad value exits 2 with one line and writes nothing. */
    @Test
    void levelTargets(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("t.csv");
        String[] s = run("calibrate", "synthesize", "--preset", "rram-wan2022", "--devices", "32", "--reads", "16",
                "--levels", "0.5,10,20,39", "--out", csv.toString(), "--threads", "1");
        assertEquals("0", s[0], s[2]);
        assertTrue(s[1].contains("targets (uS): 0.50000 10.000 20.000 39.000"), s[1]);
        assertTrue(Files.readString(csv).contains("\nd03,39.0,0,"));
        // the devices are checked against the levels asked for, not the default 8: 4 devices at 2 levels
        Path two = dir.resolve("two.csv");
        String[] s2 = run("calibrate", "synthesize", "--preset", "rram-wan2022", "--devices", "4", "--reads", "16",
                "--levels", "2", "--out", two.toString(), "--threads", "1");
        assertEquals("0", s2[0], s2[2]);
        String[] s3 = run("calibrate", "synthesize", "--preset", "rram-wan2022", "--devices", "3", "--reads", "16",
                "--levels", "2", "--out", dir.resolve("three.csv").toString(), "--threads", "1");
        assertEquals("2", s3[0], s3[2]);
        assertTrue(s3[2].contains("need at least 2 devices per level (4), got 3"), s3[2]);
        String[][] cases = {
            {"8x", "--levels: expected a count N or targets"},
            {"1,abc", "--levels: not a number: 'abc'"},
            {"10,5", "strictly increasing"},
            {"1,50", "inside the device's window"},
            {"1", "levels must be in [2, 64]"},
        };
        int i = 0;
        for (String[] k : cases) {
            Path out = dir.resolve("bad" + i++ + ".csv");
            String[] r = run("calibrate", "synthesize", "--preset", "rram-wan2022", "--devices", "32", "--reads", "16",
                    "--levels", k[0], "--out", out.toString());
            assertEquals("2", r[0], k[0] + ": " + r[2]);
            assertEquals(1, r[2].strip().lines().count(), r[2]);
            assertTrue(r[2].contains(k[1]), r[2]);
            assertFalse(Files.exists(out), "nothing written for " + k[0]);
        }
    }

    /**
     * --spectrum-data: a fast PCM series beside the slow one gives flicker.slope, the spectrum's levels in the
     * report (estimates, plots) and its provenance in the YAML; a missing spectrum file exits 2 and writes nothing.
     */
    @Test
    void spectrumData(@TempDir Path dir) throws Exception {
        Path slow = dir.resolve("slow.csv");
        Path fast = dir.resolve("fast.csv");
        String[] a = run("calibrate", "synthesize", "--preset", "pcm-joshi2020", "--devices", "160", "--reads", "64",
                "--out", slow.toString(), "--seed", "3", "--threads", "2");
        assertEquals("0", a[0], a[2]);
        String[] b = run("calibrate", "synthesize", "--preset", "pcm-joshi2020", "--devices", "16", "--reads", "1024",
                "--levels", "4", "--read-interval", "0.1", "--start-time", "500", "--rtn", "50,100,9.3", "--out",
                fast.toString(), "--seed", "4", "--threads", "2");
        assertEquals("0", b[0], b[2]);
        Path yaml = dir.resolve("dev.yaml");
        Path rep = dir.resolve("rep");
        String[] c = run("calibrate", "--data", slow.toString(), "--spectrum-data", fast.toString(), "--out", yaml.toString(),
                "--report", rep.toString(), "--bootstrap", "30", "--window", "0,25", "--threads", "2");
        assertEquals("0", c[0], c[2]);
        assertTrue(c[1].contains(fast + ": 16384 reads of 16 devices at 4 levels"), c[1]);
        String y = Files.readString(yaml);
        assertTrue(y.contains("#   spectrum_input: " + fast) && y.contains("#   spectrum_input_sha256: "), y);
        assertTrue(y.contains("#     spectrum.level2.flicker_slope: "), y);
        String json = Files.readString(rep.resolve("estimates.json"));
        assertTrue(json.contains("\"spectrum_devices\" : 16") && json.contains("\"spectrum_read_interval_s\" : "), json);
        assertTrue(y.contains("#   spectrum_data: 16 devices, 4 levels, 16384 reads, read interval 0.100000 s"), y);
        assertFalse(json.contains("\"name\" : \"flicker.slope\",\n    \"unit\" : \"1\",\n    \"value\" : null"),
                "the slope is resolved");
        assertTrue(Files.size(rep.resolve("spectrum-level3-psd.png")) > 0);
        assertTrue(Files.readString(rep.resolve("report.md")).contains("[PSD](spectrum-level0-psd.png)"));
        Path out = dir.resolve("none.yaml");
        Path rep2 = dir.resolve("rep2");
        String[] d = run("calibrate", "--data", slow.toString(), "--spectrum-data", dir.resolve("missing.csv").toString(),
                "--out", out.toString(), "--report", rep2.toString());
        assertEquals("2", d[0], d[2]);
        assertEquals(1, d[2].strip().lines().count(), d[2]);
        assertTrue(d[2].contains("missing.csv"), d[2]);
        assertFalse(Files.exists(out) || Files.exists(rep2));
        // a spectrum series the recovery cannot synthesize: one line naming it, exit 2, no JSON
        Path recJson = dir.resolve("rec.json");
        String[] e = run("calibrate", "recovery", "--preset", "pcm-joshi2020", "--repetitions", "1", "--spectrum-devices", "3",
                "--json", recJson.toString());
        assertEquals("2", e[0], e[2]);
        assertEquals(1, e[2].strip().lines().count(), e[2]);
        assertTrue(e[2].contains("the spectrum series (--spectrum-*): synthesize: need at least 2 devices per level (8), got 3"),
                e[2]);
        assertFalse(Files.exists(recJson));
    }

    /** calibrate check: what cannot be compared is one line, exit 2, before any data is loaded; no JSON. */
    @Test
    void checkRefusesBadInput(@TempDir Path dir) throws Exception {
        String model = dir.resolve("none.safetensors").toString();
        Path json = dir.resolve("c.json");
        String[][] cases = {
            {"programmed differently", "--fitted", "digital-jq4", "--machine", "rram-wan2022", "--strategy", "jq"},
            {"neither a preset", "--fitted", dir.resolve("fitted.yaml").toString(), "--machine", "rram-wan2022"},
            {"samples must be at least 1", "--fitted", "pcm-joshi2020", "--machine", "rram-wan2022", "--samples", "0"},
            {"--mapping must be plain or search, got 'best'", "--fitted", "pcm-joshi2020", "--machine", "rram-wan2022",
                "--mapping", "best"},
            {"--bits applies to a quantization strategy", "--fitted", "pcm-joshi2020", "--machine", "rram-wan2022",
                "--bits", "4"},
            {"file not found", "--fitted", "pcm-joshi2020", "--machine", "rram-wan2022"},
            {"--floor-seeds must be in [1, 32], got 33", "--fitted", "pcm-joshi2020", "--machine", "rram-wan2022",
                "--floor-seeds", "33"},
        };
        for (String[] k : cases) {
            String[] args = new String[k.length + 5];
            args[0] = "calibrate";
            args[1] = "check";
            System.arraycopy(k, 1, args, 2, k.length - 1);
            args[k.length + 1] = "--model";
            args[k.length + 2] = model;
            args[k.length + 3] = "--json";
            args[k.length + 4] = json.toString();
            String[] r = run(args);
            assertEquals("2", r[0], k[0] + ": " + r[2]);
            assertEquals(1, r[2].strip().lines().count(), r[2]);
            assertTrue(r[2].contains(k[0]), r[2]);
            assertFalse(Files.exists(json));
        }
    }
}
