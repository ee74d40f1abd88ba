package org.bmsim.examples.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sweep report opened in headless Chromium (Debian's package {@code chromium}): the DOM holds
 * every plot as an inline PNG that the browser decoded, and the screenshot is not blank. Without
 * Chromium a developer's build skips the test; with {@code -Dbmsim.browser.required=true} (bin/test,
 * CI) it fails.
 */
class SweepReportBrowserTest {
    @TempDir
    Path dir;

    private Path chromium;

    static Optional<Path> findChromium() {
        for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
            for (String p : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
                Path c = Path.of(p, name);
                if (Files.isExecutable(c)) {
                    return Optional.of(c);
                }
            }
        }
        return Optional.empty();
    }

    @BeforeEach
    void requireChromium() {
        Optional<Path> c = findChromium();
        if (c.isEmpty()) {
            String msg = "chromium is not installed (apt-get install chromium; bin/setup-tools does it)";
            if (Boolean.getBoolean("bmsim.browser.required")) {
                fail("browser required (-Dbmsim.browser.required=true) but " + msg);
            }
            Assumptions.abort(msg + ", skipped");
        }
        chromium = c.get();
    }

    /** A sweep folder of 2 x 3 points with metrics that vary smoothly (the report does not care where they came from). */
    private Path folder() throws Exception {
        Path out = dir.resolve("sweep");
        Files.createDirectories(out);
        Files.writeString(out.resolve(SweepOutput.MANIFEST), "{\"sweep\":\"browser\",\"points_total\":6,\"parameters\":"
                + "[\"bits\",\"adc.bits\"],\"seeds\":[1],\"seeding\":\"common\",\"samples\":2,\"subsample\":1,"
                + "\"complete\":true,\"environment\":{\"git_commit\":\"test\"}}\n");
        StringBuilder jl = new StringBuilder();
        int i = 0;
        for (int bits : new int[] {3, 4}) {
            for (int adc : new int[] {4, 6, 8}) {
                Map<String, String> values = new LinkedHashMap<>();
                values.put("bits", String.valueOf(bits));
                values.put("adc.bits", String.valueOf(adc));
                Map<String, Double> m = new LinkedHashMap<>();
                for (String name : PointResult.METRICS) {
                    m.put(name, 1.0 + bits * 0.1 + adc * 0.01);
                }
                m.put("energy_pj_per_inference", 1000.0 * adc + 10 * bits);
                m.put("uncertainty_error_vs_model_mean_pct", 40.0 / adc + 5.0 / bits);
                m.put("accuracy", 0.9 - 0.1 / adc - 0.05 / bits);
                m.put("auroc_amb", null);
                jl.append(new SweepRecord(i, SweepSpec.key(Map.of(), 1L) + i, 1, 1, values, m, 1.0, Map.of()).jsonLine())
                        .append('\n');
                i++;
            }
        }
        Files.writeString(out.resolve(SweepOutput.JSONL), jl.toString());
        return out;
    }

    private String chrome(Path html, String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-dev-shm-usage", "--user-data-dir=" + dir.resolve("profile-" + extra.length)));
        cmd.addAll(List.of(extra));
        cmd.add(html.toUri().toString());
        Process p = new ProcessBuilder(cmd).redirectError(dir.resolve("chromium-" + extra.length + ".log").toFile()).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium finished");
        assertEquals(0, p.exitValue(), Files.readString(dir.resolve("chromium-" + extra.length + ".log")));
        return out;
    }

    @Test
    void chromiumRendersEveryPlot() throws Exception {
        Path out = folder();
        Path html = SweepReport.write(out);
        String source = Files.readString(html);
        int expected = source.split("<img ", -1).length - 1;
        // 2 Pareto plots + 15 defined metrics x 2 axes (auroc_amb is undefined everywhere)
        assertEquals(2 + 15 * 2, expected);

        String dom = chrome(html, "--dump-dom");
        Matcher m = Pattern.compile("<img alt=\"([^\"]*)\" src=\"data:image/png;base64,").matcher(dom);
        int found = 0;
        while (m.find()) {
            found++;
        }
        assertEquals(expected, found, "every plot in the rendered DOM");
        assertTrue(dom.contains("Pareto front: energy per inference vs uncertainty error"), "the Pareto plot");

        Path png = dir.resolve("shot.png");
        chrome(html, "--screenshot=" + png, "--window-size=1400,1800", "--hide-scrollbars");
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(1400, img.getWidth());
        // non-blank: a real page of plots has many non-white pixels and many colours
        int nonWhite = 0;
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 2) {
            for (int x = 0; x < img.getWidth(); x += 2) {
                int rgb = img.getRGB(x, y) & 0xffffff;
                colours.add(rgb);
                nonWhite += rgb != 0xffffff ? 1 : 0;
            }
        }
        int samples = (img.getHeight() / 2) * (img.getWidth() / 2);
        assertTrue(nonWhite > samples / 50, "non-white pixels: " + nonWhite + " of " + samples);
        assertTrue(colours.size() > 50, "colours: " + colours.size());
    }
}
