package org.bmsim.noise.device;

import java.util.List;
import java.util.Optional;

/**
 * A named device noise model from a publication: its conductance window, the noise processes the
 * source supports and the ones it leaves out. Immutable. Obtain one from {@link DevicePresets}.
 */
public final class DevicePreset {

    /** Builds the 1/f read-noise process of a preset for an inference time and read interval. */
    @FunctionalInterface
    interface FlickerFactory {
        FlickerNoise at(double tSeconds, double readIntervalSeconds, int componentsPerDecade);
    }

    private final String name;
    private final String citation;
    private final ConductanceRange range;
    private final ProgrammingNoise programmingNoise;
    private final PowerLawDrift drift;
    private final FlickerFactory flicker;
    private final List<String> processes;
    private final List<String> leavesOut;

    DevicePreset(String name, String citation, ConductanceRange range, ProgrammingNoise programmingNoise,
            PowerLawDrift drift, FlickerFactory flicker, List<String> processes, List<String> leavesOut) {
        this.name = name;
        this.citation = citation;
        this.range = range;
        this.programmingNoise = programmingNoise;
        this.drift = drift;
        this.flicker = flicker;
        this.processes = List.copyOf(processes);
        this.leavesOut = List.copyOf(leavesOut);
    }

    /**
     * A device described by a user (a machine file's {@code device.custom} block, or a calibration
     * of measured data): its window and state-dependent noise law, no drift and no 1/f process
     * unless given.
     *
     * @param name a name for reports, e.g. {@code custom}
     * @param citation where the law comes from (a paper, a measurement file and its checksum)
     * @param range the conductance window the law was measured on
     * @param programmingNoise the state-dependent spread sigma(G) that samples the weights
     * @param drift power-law drift, or null
     * @param processes the noise processes modelled, in words
     * @param leavesOut what is not modelled
     */
    public static DevicePreset of(String name, String citation, ConductanceRange range,
            ProgrammingNoise programmingNoise, PowerLawDrift drift, List<String> processes, List<String> leavesOut) {
        if (name == null || name.isBlank() || citation == null || range == null || programmingNoise == null
                || processes == null || leavesOut == null) {
            throw new NullPointerException("a device needs a name, a citation, a range, a noise law and its process lists");
        }
        return new DevicePreset(name, citation, range, programmingNoise, drift, null, processes, leavesOut);
    }

    /** The registry name, e.g. {@code pcm-joshi2020}. */
    public String name() {
        return name;
    }

    /** Full citation of the source. */
    public String citation() {
        return citation;
    }

    /** The conductance window [g_min, g_max] of the fit, in microsiemens. */
    public ConductanceRange range() {
        return range;
    }

    public double gMinMicroSiemens() {
        return range.gMinMicroSiemens();
    }

    public double gMaxMicroSiemens() {
        return range.gMaxMicroSiemens();
    }

    /** Programming noise (every preset has it). */
    public ProgrammingNoise programmingNoise() {
        return programmingNoise;
    }

    /** Power-law drift, if the source gives it. */
    public Optional<PowerLawDrift> drift() {
        return Optional.ofNullable(drift);
    }

    /**
     * 1/f read noise correlated across reads at inference time t (seconds since programming), if
     * the source gives it.
     *
     * @param componentsPerDecade OU components per decade of bandwidth (1 is usually enough; see
     *     {@link FlickerNoise})
     */
    public Optional<FlickerNoise> flickerNoise(double tSeconds, double readIntervalSeconds, int componentsPerDecade) {
        return flicker == null ? Optional.empty()
                : Optional.of(flicker.at(tSeconds, readIntervalSeconds, componentsPerDecade));
    }

    /** Stuck devices: none (no preset source publishes fault rates). */
    public StuckDevices stuckDevices() {
        return StuckDevices.none(range);
    }

    /** The noise processes this preset models, in words. */
    public List<String> processes() {
        return processes;
    }

    /** What the source (or this implementation of it) leaves out. */
    public List<String> leavesOut() {
        return leavesOut;
    }

    @Override
    public String toString() {
        return name + " [" + range.gMinMicroSiemens() + ", " + range.gMaxMicroSiemens() + "] uS (" + citation + ")";
    }
}
