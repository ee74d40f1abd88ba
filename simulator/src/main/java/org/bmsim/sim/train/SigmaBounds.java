package org.bmsim.sim.train;

import java.util.List;
import org.bmsim.common.BadInputException;
import org.bmsim.sim.nn.Network;
import org.bmsim.sim.nn.SigmaTransform;

/**
 * A posterior family bounded per weight by what a device realises (docs/device-aware.md): for a
 * weight of a bounded layer,
 * <pre>
 *   u = min(|mu| / wScale, 1),   wScale = scaleFactor x max |mu| of the layer (this step)
 *   sigma = wScale (lo(u) + (hi(u) - lo(u)) sigmoid(rho))
 * </pre>
 * or, for a layer mapped with row-column scales, wScale = the weight's own fixed scale
 * wScale rowGain_i colScale_j (weightScale).
 * with lo, hi the smallest and largest sigma / wScale the layer's cell makes for a mean u, tabulated
 * on {@code lo.length} evenly spaced u in [0, 1] and interpolated linearly. sigma is in [lo, hi]
 * whatever rho, so the mean-field posterior is always a law the array samples. wScale is held
 * constant within a step (no gradient through the layer's largest |mu|); the gradient through
 * lo(u), hi(u) to mu is kept ({@link #dSigmaDmu}).
 *
 * @param layers the bounded tensors
 */
public record SigmaBounds(List<Layer> layers) {
    /**
     * One bounded weight tensor.
     *
     * @param name the layer
     * @param muOffset offset of its mu in the parameters
     * @param rhoOffset offset of its rho
     * @param size weights
     * @param scaleFactor wScale / max |mu|
     * @param lo sigma / wScale floor at u = j / (K - 1)
     * @param hi sigma / wScale ceiling
     * @param describe the mapping the bounds come from (for the model file and the log)
     * @param weightScale per weight (the layer's parameter order), the fixed scale of a row-column
     *        mapping; null for the layer scale scaleFactor x max |mu|
     */
    public record Layer(String name, int muOffset, int rhoOffset, int size, double scaleFactor, float[] lo, float[] hi,
            String describe, float[] weightScale) {
        public Layer(String name, int muOffset, int rhoOffset, int size, double scaleFactor, float[] lo, float[] hi,
                String describe) {
            this(name, muOffset, rhoOffset, size, scaleFactor, lo, hi, describe, null);
        }

        public Layer {
            if (weightScale != null && weightScale.length != size) {
                throw new IllegalArgumentException("one weight scale per weight");
            }
            if (lo.length < 2 || lo.length != hi.length) {
                throw new IllegalArgumentException("tables of at least 2 equal lengths");
            }
            for (int j = 0; j < lo.length; j++) {
                if (!(lo[j] > 0 && hi[j] >= lo[j])) {
                    throw new BadInputException(name + ": the device's sigma band at u = " + j + "/" + (lo.length - 1)
                            + " is [" + lo[j] + ", " + hi[j] + "], need 0 < lo <= hi");
                }
            }
        }

        double wScale(float[] p) {
            float m = 0;
            for (int i = muOffset; i < muOffset + size; i++) {
                m = Math.max(m, Math.abs(p[i]));
            }
            return (m > 0 ? m : 1) * scaleFactor;
        }
    }

    public SigmaBounds {
        layers = List.copyOf(layers);
    }

    /**
     * SHA-256 of every layer's name, offsets, scale factor and tables (lo, hi, per-weight scales):
     * two bounds with the same digest confine the posterior alike (a checkpoint is bound to it).
     */
    public String sha256() {
        java.security.MessageDigest md = org.bmsim.common.Sha256.newDigest();
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(64);
        for (Layer l : layers) {
            md.update(l.name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            b.clear();
            b.putInt(l.muOffset).putInt(l.rhoOffset).putInt(l.size).putDouble(l.scaleFactor);
            md.update(b.array(), 0, b.position());
            for (float[] t : new float[][] {l.lo, l.hi, l.weightScale == null ? new float[0] : l.weightScale}) {
                java.nio.ByteBuffer f = java.nio.ByteBuffer.allocate(4 * t.length + 4);
                f.putInt(t.length);
                for (float v : t) {
                    f.putFloat(v);
                }
                md.update(f.array());
            }
        }
        return java.util.HexFormat.of().formatHex(md.digest());
    }

    /**
     * sigma, sigma^2, d sigma / d rho (rho slots) and d sigma / d mu (mu slots) of every bounded
     * weight from the current parameters; other slots are left as they are.
     */
    public void apply(float[] p, float[] sigma, float[] sigma2, float[] dSigma, float[] dSigmaDmu) {
        for (Layer l : layers) {
            double wl = l.weightScale == null ? l.wScale(p) : 0;
            int k = l.lo.length - 1;
            for (int i = 0; i < l.size; i++) {
                double ws = l.weightScale == null ? wl : l.weightScale[i];
                float mu = p[l.muOffset + i];
                double u = Math.min(Math.abs(mu) / ws, 1.0) * k;
                int j = Math.min((int) u, k - 1);
                double t = u - j;
                double lo = l.lo[j] + t * (l.lo[j + 1] - l.lo[j]);
                double hi = l.hi[j] + t * (l.hi[j + 1] - l.hi[j]);
                double s = SigmaTransform.sigmoid(p[l.rhoOffset + i]);
                double sg = ws * (lo + (hi - lo) * s);
                int r = l.rhoOffset + i;
                sigma[r] = (float) sg;
                if (sigma2 != null) {
                    sigma2[r] = (float) (sg * sg);
                }
                if (dSigma != null) {
                    dSigma[r] = (float) (ws * (hi - lo) * s * (1 - s));
                }
                if (dSigmaDmu != null) {
                    // d/d|mu| of ws (lo(u) + (hi(u) - lo(u)) s) = slope in u (per table step) x k / ws x ws
                    boolean clipped = Math.abs(mu) >= ws;
                    double dlo = (l.lo[j + 1] - l.lo[j]) * k;
                    double dhi = (l.hi[j + 1] - l.hi[j]) * k;
                    double d = clipped ? 0 : dlo + (dhi - dlo) * s;
                    dSigmaDmu[l.muOffset + i] = (float) (mu >= 0 ? d : -d);
                }
            }
        }
    }

    /** Sets every bounded rho so that the bounded sigma is the nearest to the network's current sigma. */
    public void initialiseFrom(Network net) {
        float[] p = net.params();
        SigmaTransform tr = net.transform();
        for (Layer l : layers) {
            double wl = l.weightScale == null ? l.wScale(p) : 0;
            int k = l.lo.length - 1;
            for (int i = 0; i < l.size; i++) {
                double ws = l.weightScale == null ? wl : l.weightScale[i];
                double u = Math.min(Math.abs(p[l.muOffset + i]) / ws, 1.0) * k;
                int j = Math.min((int) u, k - 1);
                double t = u - j;
                double lo = l.lo[j] + t * (l.lo[j + 1] - l.lo[j]);
                double hi = l.hi[j] + t * (l.hi[j + 1] - l.hi[j]);
                double target = tr.sigma(p[l.rhoOffset + i]) / ws;
                double s = hi > lo ? Math.min(Math.max((target - lo) / (hi - lo), 0.0025), 0.9975) : 0.5;
                p[l.rhoOffset + i] = (float) Math.log(s / (1 - s));
            }
        }
    }

    /** Writes the bounded sigmas back as the network's own rho (its transform's inverse), for the model file. */
    public void toNetworkRho(Network net) {
        float[] p = net.params();
        float[] sigma = new float[p.length];
        apply(p, sigma, null, null, null);
        SigmaTransform tr = net.transform();
        for (Layer l : layers) {
            for (int i = 0; i < l.size; i++) {
                p[l.rhoOffset + i] = tr.rho(sigma[l.rhoOffset + i]);
            }
        }
    }
}
