package org.bmsim.sim.tile;

import org.bmsim.sim.datapath.JqArithmetic;

/**
 * Float (mu, sigma) to JQ codes for digital cells, per output column (channel) j:
 *
 * <pre>
 *   scale_j   = 2^ceil(log2(max_i |mu_ij| / wMax))          power of two, the weight LSB
 *   muCode    = clamp(rint(mu / scale_j / 2^(wBits - muBits)), -(2^(muBits-1) - 1), 2^(muBits-1) - 1)
 *   sigmaCode = 0 when sigma / scale_j &lt; sigmaLsb(1) / 2^(step/4) (below the grid), else the code c &gt;= 1
 *               whose sigmaLsb(c) is nearest in log2 (the half-octave or octave grid of {@link JqArithmetic})
 * </pre>
 *
 * This is the machine's own encoder for digital cells; the quantization work's JQ strategy
 * (issue 5) replaces it when it is on main, so that the ideal machine reproduces its table row.
 */
public final class JqEncoder {
    private JqEncoder() {
    }

    /** Codes row-major [rows x cols] and one scale per column. */
    public record Codes(int[] muCode, int[] sigmaCode, float[] columnScale) {
    }

    public static Codes encode(float[] mu, float[] sigma, int rows, int cols, JqArithmetic jq) {
        int[] mc = new int[rows * cols];
        int[] sc = new int[rows * cols];
        float[] scale = new float[cols];
        int muMax = (1 << (jq.muBits() - 1)) - 1;
        double muStep = Math.pow(2, jq.wBits() - jq.muBits());
        double lowest = jq.sigmaLsb(1);
        double halfStep = Math.pow(2, jq.step().halfOctaves() / 4.0); // half a grid step, as a ratio
        for (int j = 0; j < cols; j++) {
            double m = 0;
            for (int i = 0; i < rows; i++) {
                m = Math.max(m, Math.abs(mu[i * cols + j]));
            }
            double s = m > 0 ? Math.pow(2, Math.ceil(Math.log(m / jq.wMax()) / Math.log(2))) : 1.0;
            scale[j] = (float) s;
            for (int i = 0; i < rows; i++) {
                int k = i * cols + j;
                mc[k] = (int) Math.max(-muMax, Math.min(muMax, Math.rint(mu[k] / s / muStep)));
                double sl = sigma == null ? 0 : sigma[k] / s;
                if (sl < lowest / halfStep) {
                    sc[k] = JqArithmetic.SIGMA_ZERO_CODE;
                } else {
                    int best = 1;
                    double err = Double.POSITIVE_INFINITY;
                    for (int c = 1; c <= jq.sigmaCodeMax(); c++) {
                        double e = Math.abs(Math.log(jq.sigmaLsb(c) / sl));
                        if (e < err) {
                            err = e;
                            best = c;
                        }
                    }
                    sc[k] = best;
                }
            }
        }
        return new Codes(mc, sc, scale);
    }
}
