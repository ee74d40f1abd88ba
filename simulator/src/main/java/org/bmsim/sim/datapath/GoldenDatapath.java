package org.bmsim.sim.datapath;

import org.bmsim.noise.rng.GaussianSampler;
import org.bmsim.noise.rng.Taus88;

/**
 * The cycle-accurate Java golden model of the quantized sampling datapath: the reference the RTL is
 * co-verified against, and the implementation the simulator's JQ hardware mode runs. Ports, timing
 * and semantics are those of {@link Datapath}; the per-weight arithmetic is {@link JqArithmetic}'s,
 * the samplers those of {@code org.bmsim.noise.rng} (sampler spec, sections 1-5 and 8).
 *
 * <p>State mirrors the three register stages of the RTL: stage 1 holds an accepted beat's codes and
 * its random words, stage 2 its eps, stage 3 (the outputs) its weight code and accumulator. Hot
 * loops run on plain int arrays.
 */
public final class GoldenDatapath implements Datapath {
    private final DatapathConfig cfg;
    private final JqArithmetic jq;
    private final GaussianSampler sampler;
    private final int lanes;
    private final int wordsPerSample;
    private final int accShift;

    // taus88 state per lane
    private final int[] s1;
    private final int[] s2;
    private final int[] s3;
    private int seedBusy;

    // stage 1: accepted beat, random words
    private boolean v1;
    private boolean first1;
    private long src1;
    private final int[] mu1;
    private final int[] sig1;
    private final int[] x1;
    private final int[] words1;
    // stage 2: eps
    private boolean v2;
    private boolean first2;
    private long src2;
    private final int[] mu2;
    private final int[] sig2;
    private final int[] x2;
    private final int[] eps2;
    private final int[] word2;
    // stage 3: the output registers
    private boolean v3;
    private long src3;
    private final int[] w3;
    private final int[] acc3;
    private final int[] eps3;
    private final int[] word3;

    private long cycle;
    private boolean closed;

    public GoldenDatapath(DatapathConfig cfg) {
        this.cfg = cfg;
        this.jq = cfg.arithmetic();
        this.sampler = cfg.sampler().sampler();
        this.lanes = cfg.lanes();
        this.wordsPerSample = cfg.wordsPerSample();
        this.accShift = 32 - cfg.accBits();
        s1 = new int[lanes];
        s2 = new int[lanes];
        s3 = new int[lanes];
        mu1 = new int[lanes];
        sig1 = new int[lanes];
        x1 = new int[lanes];
        words1 = new int[lanes * wordsPerSample];
        mu2 = new int[lanes];
        sig2 = new int[lanes];
        x2 = new int[lanes];
        eps2 = new int[lanes];
        word2 = new int[lanes];
        w3 = new int[lanes];
        acc3 = new int[lanes];
        eps3 = new int[lanes];
        word3 = new int[lanes];
        reset();
    }

    @Override
    public DatapathConfig config() {
        return cfg;
    }

    @Override
    public void reset() {
        checkOpen();
        seedLanes(0);
        seedBusy = 0;
        v1 = v2 = v3 = false;
        first1 = first2 = false;
        src1 = src2 = src3 = -1;
        java.util.Arrays.fill(w3, 0);
        java.util.Arrays.fill(acc3, 0);
        java.util.Arrays.fill(eps3, 0);
        java.util.Arrays.fill(word3, 0);
        cycle = 0;
    }

    private void seedLanes(long globalSeed) {
        for (int l = 0; l < lanes; l++) {
            int[] s = Taus88.seedState(globalSeed ^ l);
            s1[l] = s[0];
            s2[l] = s[1];
            s3[l] = s[2];
        }
    }

    @Override
    public long cycle() {
        return cycle;
    }

    @Override
    public void run(Stimulus in, Trace out) {
        run(in, out, null);
    }

    /**
     * As {@link #run(Stimulus, Trace)}, and records in {@code srcCycle[c]} the cycle (since reset) in
     * which the beat on the outputs during cycle c was accepted, or -1 when out_valid is low: the
     * co-simulation's mismatch report uses it to show the inputs that produced a wrong output.
     */
    public void run(Stimulus in, Trace out, long[] srcCycle) {
        checkOpen();
        if (in.lanes() != lanes || out.lanes() != lanes || out.n() < in.n()) {
            throw new IllegalArgumentException("stimulus/trace shape does not match " + lanes + " lanes");
        }
        int n = in.n();
        int[] ctrl = in.ctrl();
        for (int c = 0; c < n; c++) {
            int k = ctrl[c];
            boolean outReady = (k & Stimulus.OUT_READY) != 0;
            boolean advance = !v3 || outReady;
            boolean inReady = advance && seedBusy == 0;
            // outputs of this cycle (registers, plus the combinational in_ready)
            out.flags()[c] = (inReady ? Trace.IN_READY : 0) | (v3 ? Trace.OUT_VALID : 0);
            int base = c * lanes;
            System.arraycopy(w3, 0, out.w(), base, lanes);
            System.arraycopy(acc3, 0, out.acc(), base, lanes);
            System.arraycopy(eps3, 0, out.eps(), base, lanes);
            System.arraycopy(word3, 0, out.word(), base, lanes);
            if (srcCycle != null) {
                srcCycle[c] = v3 ? src3 : -1;
            }
            // clock edge
            boolean accept = (k & Stimulus.IN_VALID) != 0 && inReady;
            if (advance) {
                if (v2) {
                    stage3(first2);
                    src3 = src2;
                }
                v3 = v2;
                if (v1) {
                    stage2();
                    first2 = first1;
                    src2 = src1;
                }
                v2 = v1;
                if (accept) {
                    stage1(in, base, (k & Stimulus.IN_FIRST) != 0);
                    src1 = cycle;
                }
                v1 = accept;
            }
            if ((k & Stimulus.SEED_LOAD) != 0) {
                seedLanes(in.seed()[c]);
                seedBusy = Datapath.seedCycles(lanes);
            } else if (seedBusy > 0) {
                seedBusy--;
            }
            cycle++;
        }
    }

    /** Stage 1: register the beat's codes and draw its random words, lane by lane. */
    private void stage1(Stimulus in, int base, boolean first) {
        first1 = first;
        System.arraycopy(in.mu(), base, mu1, 0, lanes);
        System.arraycopy(in.sigma(), base, sig1, 0, lanes);
        System.arraycopy(in.x(), base, x1, 0, lanes);
        for (int l = 0; l < lanes; l++) {
            int a = s1[l];
            int b = s2[l];
            int c = s3[l];
            for (int i = 0; i < wordsPerSample; i++) {
                // taus88 step, sampler spec section 2 (inlined: this loop is the model's hot path)
                int t = ((a << 13) ^ a) >>> 19;
                a = ((a & 0xFFFFFFFE) << 12) ^ t;
                t = ((b << 2) ^ b) >>> 25;
                b = ((b & 0xFFFFFFF8) << 4) ^ t;
                t = ((c << 3) ^ c) >>> 11;
                c = ((c & 0xFFFFFFF0) << 17) ^ t;
                words1[l * wordsPerSample + i] = a ^ b ^ c;
            }
            s1[l] = a;
            s2[l] = b;
            s3[l] = c;
        }
    }

    /** Stage 2: the sampler turns each lane's words into eps. */
    private void stage2() {
        for (int l = 0; l < lanes; l++) {
            eps2[l] = sampler.eps(words1, l * wordsPerSample);
            word2[l] = words1[l * wordsPerSample];
            mu2[l] = mu1[l];
            sig2[l] = sig1[l];
            x2[l] = x1[l];
        }
    }

    /** Stage 3: weight code and multiply-accumulate. */
    private void stage3(boolean first) {
        for (int l = 0; l < lanes; l++) {
            int w = jq.sampleWeightCode(mu2[l], sig2[l], eps2[l]);
            int sum = (first ? 0 : acc3[l]) + w * x2[l];
            acc3[l] = (sum << accShift) >> accShift;
            w3[l] = w;
            eps3[l] = eps2[l];
            word3[l] = word2[l];
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the golden datapath is closed");
        }
    }

    @Override
    public void close() {
        closed = true;
    }

}
