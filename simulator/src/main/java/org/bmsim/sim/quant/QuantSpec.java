package org.bmsim.sim.quant;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bmsim.common.BadInputException;

/**
 * One quantization strategy at one width, as written on the command line: {@code fp},
 * {@code vpq:B}, {@code spq:B}, {@code jq:B} (B = bits of mu, of the sigma exponent, of the
 * sampled weight and of the activations, 2..8), {@code share:K} (stochastic weight sharing with K
 * Gaussians per layer, 2..4096) or {@code share} ({@link #DEFAULT_CLUSTERS} Gaussians).
 *
 * @param strategy the strategy
 * @param bits     code width (0 for fp; for share the label width ceil(log2 K))
 * @param clusters Gaussians per layer for share, 0 otherwise
 */
public record QuantSpec(Strategy strategy, int bits, int clusters) {
    /** Bit widths the quantized strategies accept. */
    public static final int MIN_BITS = 2;
    public static final int MAX_BITS = 8;
    /** Gaussians per layer of {@code share} without a K (documented in docs/quantization.md). */
    public static final int DEFAULT_CLUSTERS = 192;
    public static final int MAX_CLUSTERS = 4096;

    public QuantSpec {
        if (strategy == null) {
            throw new BadInputException("quantization strategy missing");
        }
        switch (strategy) {
            case FP -> {
                if (bits != 0 || clusters != 0) {
                    throw new BadInputException("fp takes no bit width");
                }
            }
            case SHARE -> {
                if (clusters < 2 || clusters > MAX_CLUSTERS) {
                    throw new BadInputException("share:K needs K in 2.." + MAX_CLUSTERS + ", got " + clusters);
                }
                if (bits != labelBits(clusters)) {
                    throw new BadInputException("share:" + clusters + " has " + labelBits(clusters) + "-bit labels");
                }
            }
            default -> {
                if (bits < MIN_BITS || bits > MAX_BITS) {
                    throw new BadInputException(strategy.id() + " bits must be in " + MIN_BITS + ".." + MAX_BITS
                            + ", got " + bits);
                }
                if (clusters != 0) {
                    throw new BadInputException(strategy.id() + " takes no cluster count");
                }
            }
        }
    }

    /** The float reference. */
    public static QuantSpec fp() {
        return new QuantSpec(Strategy.FP, 0, 0);
    }

    /** A quantized strategy (vpq, spq, jq) at {@code bits}. */
    public static QuantSpec of(Strategy strategy, int bits) {
        if (strategy == Strategy.SHARE) {
            return share(bits);
        }
        return new QuantSpec(strategy, strategy == Strategy.FP ? 0 : bits, 0);
    }

    /** Weight sharing with K Gaussians per layer. */
    public static QuantSpec share(int clusters) {
        if (clusters < 2 || clusters > MAX_CLUSTERS) {
            throw new BadInputException("share:K needs K in 2.." + MAX_CLUSTERS + ", got " + clusters);
        }
        return new QuantSpec(Strategy.SHARE, labelBits(clusters), clusters);
    }

    /** ceil(log2 K): the label width of K Gaussians. */
    public static int labelBits(int clusters) {
        return 32 - Integer.numberOfLeadingZeros(clusters - 1);
    }

    /** Parses {@code fp}, {@code vpq:4}, {@code spq:4}, {@code jq:4}, {@code share:32} or {@code share}. */
    public static QuantSpec parse(String text) {
        if (text == null || text.isBlank()) {
            throw new BadInputException("empty quantization strategy (expected fp, vpq:B, spq:B, jq:B, share[:K])");
        }
        String t = text.trim().toLowerCase(Locale.ROOT);
        int colon = t.indexOf(':');
        String name = colon < 0 ? t : t.substring(0, colon);
        Strategy s = strategy(name, text);
        if (colon < 0) {
            return switch (s) {
                case FP -> fp();
                case SHARE -> share(DEFAULT_CLUSTERS);
                default -> throw new BadInputException("'" + text + "': " + s.id() + " needs a bit width, for example "
                        + s.id() + ":4");
            };
        }
        if (s == Strategy.FP) {
            throw new BadInputException("'" + text + "': fp takes no bit width");
        }
        int v;
        try {
            v = Integer.parseInt(t.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new BadInputException("'" + text + "': '" + t.substring(colon + 1) + "' is not an integer");
        }
        return s == Strategy.SHARE ? share(v) : of(s, v);
    }

    /** Parses a strategy name alone (fp, vpq, spq, jq, share). */
    public static Strategy strategy(String name, String context) {
        for (Strategy s : Strategy.values()) {
            if (s.id().equals(name.trim().toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        throw new BadInputException("unknown quantization strategy '" + context + "' (expected fp, vpq, spq, jq or share)");
    }

    /** Parses a comma-separated list of bit widths, each in 2..8. */
    public static List<Integer> parseBits(String text) {
        List<Integer> out = new ArrayList<>();
        for (String p : text.split(",")) {
            try {
                int b = Integer.parseInt(p.trim());
                if (b < MIN_BITS || b > MAX_BITS) {
                    throw new BadInputException("bit width " + b + " out of range " + MIN_BITS + ".." + MAX_BITS);
                }
                out.add(b);
            } catch (NumberFormatException e) {
                throw new BadInputException("'" + p.trim() + "' is not a bit width (expected a list like 2,3,4,6,8)");
            }
        }
        return out;
    }

    /** The text form that {@link #parse} reads back. */
    public String id() {
        return switch (strategy) {
            case FP -> "fp";
            case SHARE -> "share:" + clusters;
            default -> strategy.id() + ":" + bits;
        };
    }

    @Override
    public String toString() {
        return id();
    }
}
