package org.bmsim.examples.sweep;

import org.bmsim.common.BadInputException;

/** Shard {@code k} of {@code n} (1-based, {@code --shard k/N}): the points whose index mod n is k - 1. */
public record Shard(int k, int n) {
    public static final Shard ALL = new Shard(1, 1);

    public Shard {
        if (n < 1 || k < 1 || k > n) {
            throw new BadInputException("--shard must be k/N with 1 <= k <= N, got " + k + "/" + n);
        }
    }

    public static Shard parse(String s) {
        if (s == null) {
            return ALL;
        }
        String[] p = s.trim().split("/");
        try {
            if (p.length == 2) {
                return new Shard(Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim()));
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new BadInputException("--shard must be k/N (for example 3/16), got '" + s + "'");
    }

    public boolean contains(long index) {
        return index % n == k - 1;
    }

    /** Points of a sweep of {@code total} points in this shard. */
    public long count(long total) {
        return total / n + (total % n > k - 1 ? 1 : 0);
    }

    public String id() {
        return k + "/" + n;
    }
}
