package org.bmsim.noise.device;

import java.util.function.DoubleUnaryOperator;

/**
 * A state-dependent parameter of a noise model: a function of the conductance (in microsiemens)
 * defined on a {@link ConductanceRange}. The unit of the value is stated by the model that uses
 * it (a sigma in uS, a drift exponent, a relative amplitude). Implementations refuse a conductance
 * outside {@link #range()} with a one-line {@link org.bmsim.common.BadInputException}.
 */
public interface ConductanceFunction {

    /** The value at g; throws if g is outside {@link #range()}. */
    double at(double gMicroSiemens);

    /** Where the function is defined. */
    ConductanceRange range();

    /** A function given by a formula, range-checked on every call. */
    static ConductanceFunction of(DoubleUnaryOperator formula, ConductanceRange range) {
        return new Formula(formula, range);
    }

    /** The constant function, e.g. zero to switch a noise source off. */
    static ConductanceFunction constant(double value, ConductanceRange range) {
        if (!Double.isFinite(value)) {
            throw new org.bmsim.common.BadInputException(range.label() + ": constant value must be finite, got "
                    + value);
        }
        return new Formula(g -> value, range);
    }

    /** A formula with its range. */
    record Formula(DoubleUnaryOperator formula, ConductanceRange range) implements ConductanceFunction {
        public Formula {
            if (formula == null || range == null) {
                throw new NullPointerException("formula and range are required");
            }
        }

        @Override
        public double at(double gMicroSiemens) {
            return formula.applyAsDouble(range.require(gMicroSiemens));
        }
    }
}
