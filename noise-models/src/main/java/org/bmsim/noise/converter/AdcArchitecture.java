package org.bmsim.noise.converter;

/** How an {@link Adc} converts, which fixes its static errors, its noise and its timing. */
public enum AdcArchitecture {
    /** Exact uniform quantizer: no static errors, no noise; timed like a SAR (one step per bit). */
    IDEAL,
    /**
     * Successive approximation: one comparison per bit against a binary-weighted capacitor DAC
     * whose unit capacitors mismatch (static errors largest at major carries); comparator noise
     * drawn afresh for every comparison; conversion time = bits x step time.
     */
    SAR,
    /**
     * Single-slope (ramp): one comparator against a ramp whose steps have random widths (DNL
     * independent per code, INL a random walk); comparator noise drawn once per conversion;
     * conversion time = 2^bits x step time.
     */
    RAMP
}
