package org.bmsim.noise.device;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bmsim.common.BadInputException;

/**
 * The registry of named device presets:
 *
 * <table>
 *   <caption>presets</caption>
 *   <tr><th>name</th><th>window (uS)</th><th>processes</th><th>source</th></tr>
 *   <tr><td>{@code pcm-joshi2020}</td><td>[0, 25]</td><td>programming, drift, 1/f read</td>
 *       <td>Joshi et al., Nat. Commun. 11, 2473 (2020)</td></tr>
 *   <tr><td>{@code rram-wan2022}</td><td>[0, 39.26]</td><td>programming</td>
 *       <td>Wan et al., Nature 608, 504 (2022)</td></tr>
 *   <tr><td>{@code rram-milo2021}</td><td>[62.5, 110]</td><td>programming</td>
 *       <td>Milo et al., IRPS 2021</td></tr>
 * </table>
 */
public final class DevicePresets {
    public static final String PCM_JOSHI_2020 = "pcm-joshi2020";
    public static final String RRAM_WAN_2022 = "rram-wan2022";
    public static final String RRAM_MILO_2021 = "rram-milo2021";

    private static final Map<String, DevicePreset> PRESETS = build();

    private DevicePresets() {
    }

    /** Preset names, in a fixed order. */
    public static List<String> names() {
        return List.copyOf(PRESETS.keySet());
    }

    /** The preset called {@code name}; an unknown name is a one-line error listing the known ones. */
    public static DevicePreset get(String name) {
        DevicePreset p = PRESETS.get(name);
        if (p == null) {
            throw new BadInputException("unknown device preset '" + name + "'; known: " + String.join(", ", names()));
        }
        return p;
    }

    private static Map<String, DevicePreset> build() {
        Map<String, DevicePreset> m = new LinkedHashMap<>();
        double gMax = JoshiPcm2020.G_MAX_REFERENCE_MICRO_SIEMENS;
        m.put(PCM_JOSHI_2020, new DevicePreset(PCM_JOSHI_2020,
                "V. Joshi et al., \"Accurate deep neural network inference "
                        + "using computational phase-change memory\", Nature Communications 11, 2473 (2020)",
                JoshiPcm2020.range(gMax),
                ProgrammingNoise.of(JoshiPcm2020.programmingSigma(gMax)),
                JoshiPcm2020.driftOf(gMax),
                (t, dt, perDecade) -> JoshiPcm2020.flickerNoise(gMax, t, dt, perDecade),
                List.of("programming noise: Gaussian, sigma = 0.26348 + 1.9650 g_r - 1.1731 g_r^2 uS",
                        "drift: g_prog (t/20 s)^-nu, nu ~ N(mu_nu(g_r), sigma_nu(g_r)) clamped, nu >= 0",
                        "1/f read noise: sigma = |g| Q_s(g_r) sqrt(ln((t + 250 ns)/(500 ns))), correlated across reads"),
                List.of("time-independent read noise beyond the 1/f term",
                        "temperature dependence of drift and noise",
                        "device-to-device variation of g_max",
                        "stuck devices (no rates published)",
                        "non-stationarity of 1/f noise during a run (band frozen at the inference time)")));
        m.put(RRAM_WAN_2022, new DevicePreset(RRAM_WAN_2022,
                "W. Wan et al., \"A compute-in-memory chip based on resistive random-access memory\", "
                        + "Nature 608, 504-512 (2022)",
                WanRram2022.range(),
                ProgrammingNoise.of(WanRram2022.programmingSigma()),
                null, null,
                List.of("programming noise: Gaussian, sigma = max(1.536e-4 G^3 - 1.167e-2 G^2 + 0.2374 G + 1.053, 0) uS "
                        + "(1 s after programming)"),
                List.of("read noise (per read)", "drift and relaxation after 1 s", "random telegraph noise",
                        "stuck devices (no rates published)")));
        m.put(RRAM_MILO_2021, new DevicePreset(RRAM_MILO_2021,
                "V. Milo et al., IEEE International Reliability Physics Symposium (IRPS), 2021",
                MiloRram2021.range(),
                ProgrammingNoise.of(MiloRram2021.programmingSigma()),
                null, null,
                List.of("programming noise: Gaussian, sigma = max(-0.009107 G + 4.782321, 0) uS"),
                List.of("I-V nonlinearity I = G V + NL2 V^2 + NL3 V^3 (coefficients not reproduced; reads are linear)",
                        "read noise (per read)", "drift", "random telegraph noise",
                        "stuck devices (no rates published)")));
        return m;
    }
}
