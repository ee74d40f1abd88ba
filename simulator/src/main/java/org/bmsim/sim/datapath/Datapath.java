package org.bmsim.sim.datapath;

/**
 * The cycle-level ports of the quantized sampling datapath, implemented bit- and cycle-exactly by
 * the Java golden model ({@link GoldenDatapath}) and by the Verilated RTL ({@code org.bmsim.hdl.RtlDatapath}),
 * so a layer can run on either. Clock and synchronous reset are implicit; {@link #run} advances
 * one clock per stimulus row.
 *
 * <h2>Ports (per cycle)</h2>
 * Inputs: {@code in_valid}, {@code in_first}, per lane {@code mu} (signed muBits), {@code sigma}
 * (unsigned sigmaBits exponent code, 0 = sigma 0), {@code x} (unsigned xBits); {@code out_ready};
 * {@code seed_load} and the 64-bit {@code seed}. Outputs: {@code in_ready}, {@code out_valid}, per lane
 * {@code w} (signed wBits), {@code acc} (signed accBits), {@code eps} and {@code word} (observability).
 *
 * <h2>Handshake and timing</h2>
 * A beat enters when {@code in_valid && in_ready} during a cycle (Chisel {@code Decoupled}: an
 * unaccepted beat may change or be withdrawn). The pipeline has {@link #LATENCY_CYCLES} register
 * stages with a global stall: it advances when {@code !out_valid || out_ready}, and
 * {@code in_ready = (!out_valid || out_ready) && !seeding} (combinational from {@code out_ready}). A
 * beat accepted in cycle k is presented in cycle k + 3 when nothing stalls; throughput one beat per
 * cycle. An output beat transfers when {@code out_valid && out_ready}.
 *
 * <h2>Per accepted beat, per lane</h2>
 * The lane draws one sample from its own taus88 generator (1 word for ICDF, 6 for CLT12), then
 * {@code w = JqArithmetic.sampleWeightCode(mu, sigma, eps)} and
 * {@code acc = wrap_accBits((in_first ? 0 : acc) + w * x)}. Random-word consumption order: each
 * lane's stream is consumed beat by beat; a driver that maps output column j to lane j mod lanes and
 * presents weights in the order sample -&gt; layer -&gt; output column -&gt; input row consumes every lane's
 * stream in the spec's order (sampler spec, section 8).
 *
 * <h2>Seeding</h2>
 * After reset each lane l holds the taus88 state of SplitMix64 seed {@code 0 ^ l}. A cycle with
 * {@code seed_load} starts reseeding with {@code seed}: lane l gets the state of {@code seed ^ l}
 * (sampler spec, section 1), computed sequentially by one SplitMix64 unit, three outputs per lane,
 * one per cycle: {@code in_ready} is low for the next {@link #seedCycles(int) 3 x lanes} cycles.
 * A beat accepted in the seed_load cycle itself still draws from the old state.
 */
public interface Datapath extends AutoCloseable {
    /** Clock cycles from accepting a beat to presenting its outputs, without stalls. */
    int LATENCY_CYCLES = 3;

    /** Cycles during which in_ready is low after a seed_load: three SplitMix64 outputs per lane. */
    static int seedCycles(int lanes) {
        return 3 * lanes;
    }

    DatapathConfig config();

    /** Synchronous reset: empty pipeline, accumulators 0, lanes seeded with 0, cycle count 0. */
    void reset();

    /**
     * Runs {@code in.n()} clock cycles: for each row c applies the inputs, records the outputs of that
     * cycle into row c of {@code out}, then clocks.
     */
    void run(Stimulus in, Trace out);

    /** Clock cycles since the last reset. */
    long cycle();

    /** Releases the model; any later call throws {@link IllegalStateException}. */
    @Override
    void close();
}
