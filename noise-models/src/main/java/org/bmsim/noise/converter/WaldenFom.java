package org.bmsim.noise.converter;

import org.bmsim.common.BadInputException;

/**
 * ADC energy per conversion from the Walden figure of merit, the one place this formula lives:
 *
 * <pre>
 *   FoM_W = P / (2^ENOB f_s)   =&gt;   E_conv = P / f_s = FoM_W 2^ENOB
 *   E_conv [pJ] = FoM_W [fJ/conv-step] x 2^ENOB / 1000
 * </pre>
 *
 * R. H. Walden, "Analog-to-digital converter survey and analysis", IEEE J. Sel. Areas Commun.
 * 17(4), 539-550 (1999); compiled over ISSCC and VLSI designs in B. Murmann, "ADC Performance
 * Survey 1997-2022", github.com/bmurmann/ADC-survey (updated yearly).
 *
 * <p>Default {@value #DEFAULT_FOM_FJ_PER_STEP} fJ/conversion-step: a deliberately conservative
 * round number about 4.5x above the best Walden FoM reported at ISSCC 2013, 2.2 fJ/conv-step
 * (P. Harpe, E. Cantatore, A. van Roermund, "A 2.2/2.7fJ/conversion-step 10/12b 40kS/s SAR ADC with
 * data-driven noise reduction", ISSCC 2013), because column ADCs in compute-in-memory run far
 * faster and smaller than record designs. It is a project default, not a survey statistic: set
 * the FoM of your converter from the survey for your node and sampling rate.
 */
public final class WaldenFom {
    /** Default Walden FoM, fJ per conversion step. */
    public static final double DEFAULT_FOM_FJ_PER_STEP = 10.0;

    private WaldenFom() {
    }

    /** Energy per conversion in picojoules. */
    public static double energyPerConversionPj(double fomFjPerConversionStep, double enob) {
        if (!(fomFjPerConversionStep > 0) || !Double.isFinite(fomFjPerConversionStep)) {
            throw new BadInputException("Walden FoM must be finite and > 0 fJ/conv-step, got " + fomFjPerConversionStep);
        }
        if (!(enob >= 0) || !Double.isFinite(enob)) {
            throw new BadInputException("ENOB must be finite and >= 0, got " + enob);
        }
        return fomFjPerConversionStep * Math.pow(2.0, enob) / 1000.0;
    }
}
