package org.bmsim.noise.device;

import java.util.Arrays;
import org.bmsim.common.BadInputException;

/**
 * A polynomial in the scaled conductance, floored at zero: the form in which published
 * programming-noise curves are given.
 *
 * <pre>
 *   x      = g / xScaleMicroSiemens
 *   f(g)   = max(yScale * sum_i c_i x^i, 0)          for g in range
 * </pre>
 *
 * Examples: Joshi et al. 2020 PCM (x = g / 25 uS), Wan et al. 2022 RRAM (x = g in uS), Milo et
 * al. 2021 RRAM (linear in g); see {@link JoshiPcm2020}, {@link WanRram2022}, {@link MiloRram2021}.
 * Evaluated by Horner's rule.
 *
 * @param coefficients c_0, c_1, ... (ascending powers), at least one, all finite
 * @param xScaleMicroSiemens the conductance that maps to x = 1, &gt; 0
 * @param yScale factor applied to the polynomial, finite and &gt;= 0
 * @param range where the fit is valid; evaluation outside it is refused
 */
public record PolynomialCurve(double[] coefficients, double xScaleMicroSiemens, double yScale,
        ConductanceRange range) implements ConductanceFunction {

    public PolynomialCurve {
        if (range == null) {
            throw new NullPointerException("range");
        }
        if (coefficients == null || coefficients.length == 0) {
            throw new BadInputException(range.label() + ": a polynomial needs at least one coefficient");
        }
        coefficients = coefficients.clone();
        for (double c : coefficients) {
            if (!Double.isFinite(c)) {
                throw new BadInputException(range.label() + ": polynomial coefficients must be finite, got "
                        + Arrays.toString(coefficients));
            }
        }
        if (!(xScaleMicroSiemens > 0) || !Double.isFinite(xScaleMicroSiemens)) {
            throw new BadInputException(range.label() + ": x scale must be a finite conductance > 0 uS, got "
                    + xScaleMicroSiemens);
        }
        if (!(yScale >= 0) || !Double.isFinite(yScale)) {
            throw new BadInputException(range.label() + ": y scale must be finite and >= 0, got " + yScale);
        }
    }

    /** A polynomial in g itself (x = g in uS, no output scaling). */
    public static PolynomialCurve of(ConductanceRange range, double... coefficients) {
        return new PolynomialCurve(coefficients, 1.0, 1.0, range);
    }

    @Override
    public double at(double gMicroSiemens) {
        double x = range.require(gMicroSiemens) / xScaleMicroSiemens;
        double acc = 0;
        for (int i = coefficients.length - 1; i >= 0; i--) {
            acc = acc * x + coefficients[i];
        }
        return Math.max(yScale * acc, 0.0);
    }

    @Override
    public double[] coefficients() {
        return coefficients.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PolynomialCurve p && Arrays.equals(coefficients, p.coefficients)
                && Double.compare(xScaleMicroSiemens, p.xScaleMicroSiemens) == 0
                && Double.compare(yScale, p.yScale) == 0 && range.equals(p.range);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(coefficients) + range.hashCode();
    }

    @Override
    public String toString() {
        return "PolynomialCurve" + Arrays.toString(coefficients) + " in g/" + xScaleMicroSiemens
                + " uS x " + yScale + " on " + range;
    }
}
