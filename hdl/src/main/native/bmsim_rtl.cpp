// JNI bridge and plain C ABI over the Verilated datapath models (docs/rtl.md).
// One library holds every generated configuration; models.inc (written by build.sh) includes each
// model's header and lists it in BMSIM_MODELS(X) as X(id). Port and cycle semantics are those of
// org.bmsim.sim.datapath.Datapath: per cycle, apply the inputs with the clock low, evaluate, read
// the outputs (registers and the combinational in_ready), then raise the clock and evaluate.
#include <jni.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>

#include "verilated.h"
#include "verilated_vcd_c.h"
#include "models.inc"
#include "org_bmsim_hdl_RtlNative.h"

namespace {

inline uint32_t lowMask(int bits) { return bits >= 32 ? 0xFFFFFFFFu : ((1u << bits) - 1u); }

// Bit-field access for every Verilator port type: CData/SData/IData/QData and VlWide<N>.
template <typename T>
inline void setField(T& port, int pos, int bits, uint32_t v) {
    const uint64_t m = static_cast<uint64_t>(lowMask(bits)) << pos;
    uint64_t p = static_cast<uint64_t>(port);
    p = (p & ~m) | ((static_cast<uint64_t>(v & lowMask(bits)) << pos) & m);
    port = static_cast<T>(p);
}
template <std::size_t N>
inline void setField(VlWide<N>& port, int pos, int bits, uint32_t v) {
    // a field of at most 32 bits spans at most two 32-bit words
    const uint64_t m = static_cast<uint64_t>(lowMask(bits)) << (pos & 31);
    const uint64_t f = (static_cast<uint64_t>(v & lowMask(bits))) << (pos & 31);
    const int i = pos >> 5;
    port[i] = static_cast<uint32_t>((port[i] & ~m) | f);
    if ((m >> 32) != 0) port[i + 1] = static_cast<uint32_t>((port[i + 1] & ~(m >> 32)) | (f >> 32));
}
template <typename T>
inline uint32_t getField(const T& port, int pos, int bits) {
    return static_cast<uint32_t>(static_cast<uint64_t>(port) >> pos) & lowMask(bits);
}
template <std::size_t N>
inline uint32_t getField(const VlWide<N>& port, int pos, int bits) {
    const int i = pos >> 5;
    uint64_t w = port[i];
    if ((pos & 31) + bits > 32) w |= static_cast<uint64_t>(port[i + 1]) << 32;
    return static_cast<uint32_t>(w >> (pos & 31)) & lowMask(bits);
}
inline int32_t signExtend(uint32_t v, int bits) {
    return bits >= 32 ? static_cast<int32_t>(v) : static_cast<int32_t>(v << (32 - bits)) >> (32 - bits);
}

struct Shape {
    int lanes, muBits, sigmaBits, xBits, wBits, accBits;
};

// Parses "l8_mu4_s4_x4_w4_a20_icdf_half" (DatapathConfig.id()).
Shape parseShape(const std::string& id) {
    Shape s{};
    std::sscanf(id.c_str(), "l%d_mu%d_s%d_x%d_w%d_a%d", &s.lanes, &s.muBits, &s.sigmaBits, &s.xBits, &s.wBits,
                &s.accBits);
    return s;
}

struct Model {
    virtual ~Model() = default;
    virtual void reset() = 0;
    virtual void run(int n, const int32_t* ctrl, const int64_t* seed, const int32_t* mu, const int32_t* sigma,
                     const int32_t* x, int32_t* flags, int32_t* w, int32_t* acc, int32_t* eps, int32_t* word) = 0;
    virtual bool traceOpen(const char* path) = 0;
    virtual void traceClose() = 0;
};

template <class V>
struct ModelImpl final : Model {
    Shape s;
    std::unique_ptr<VerilatedContext> ctx;
    std::unique_ptr<V> top;
    std::unique_ptr<VerilatedVcdC> vcd;
    uint64_t time = 0;

    explicit ModelImpl(const std::string& id) : s(parseShape(id)), ctx(new VerilatedContext) {
        ctx->traceEverOn(true);
        top.reset(new V(ctx.get(), "dp"));
        reset();
    }
    ~ModelImpl() override {
        traceClose();
        top->final();
    }

    void dump() {
        if (vcd) vcd->dump(time);
        time += 5;
    }

    void reset() override {
        top->reset = 1;
        top->in_valid = 0;
        top->out_ready = 0;
        top->seed_load = 0;
        top->clock = 0;
        top->eval();
        dump();
        top->clock = 1;
        top->eval();
        dump();
        top->reset = 0;
    }

    void run(int n, const int32_t* ctrl, const int64_t* seed, const int32_t* mu, const int32_t* sigma,
             const int32_t* x, int32_t* flags, int32_t* w, int32_t* acc, int32_t* eps, int32_t* word) override {
        const int L = s.lanes;
        V* t = top.get();
        for (int c = 0; c < n; c++) {
            const int k = ctrl[c];
            t->in_valid = k & 1;
            t->in_first = (k >> 1) & 1;
            t->out_ready = (k >> 2) & 1;
            t->seed_load = (k >> 3) & 1;
            t->seed = static_cast<uint64_t>(seed[c]);
            const int base = c * L;
            for (int l = 0; l < L; l++) {
                setField(t->in_mu, l * s.muBits, s.muBits, static_cast<uint32_t>(mu[base + l]));
                setField(t->in_sigma, l * s.sigmaBits, s.sigmaBits, static_cast<uint32_t>(sigma[base + l]));
                setField(t->in_x, l * s.xBits, s.xBits, static_cast<uint32_t>(x[base + l]));
            }
            t->clock = 0;
            t->eval();
            dump();
            flags[c] = (t->in_ready ? 1 : 0) | (t->out_valid ? 2 : 0);
            for (int l = 0; l < L; l++) {
                w[base + l] = signExtend(getField(t->out_w, l * s.wBits, s.wBits), s.wBits);
                acc[base + l] = signExtend(getField(t->out_acc, l * s.accBits, s.accBits), s.accBits);
                eps[base + l] = signExtend(getField(t->out_eps, l * 16, 16), 16);
                word[base + l] = static_cast<int32_t>(getField(t->out_word, l * 32, 32));
            }
            t->clock = 1;
            t->eval();
            dump();
        }
        if (vcd) vcd->flush();
    }

    bool traceOpen(const char* path) override {
        traceClose();
        vcd.reset(new VerilatedVcdC);
        top->trace(vcd.get(), 99);
        vcd->open(path);
        if (!vcd->isOpen()) {
            vcd.reset();
            return false;
        }
        return true;
    }

    void traceClose() override {
        if (vcd) {
            vcd->close();
            vcd.reset();
        }
    }
};

#define BMSIM_STR2(x) #x
#define BMSIM_STR(x) BMSIM_STR2(x)

Model* createModel(const char* id) {
#define BMSIM_TRY(ID) \
    if (std::strcmp(id, BMSIM_STR(ID)) == 0) return new ModelImpl<Vdp_##ID>(id);
    BMSIM_MODELS(BMSIM_TRY)
#undef BMSIM_TRY
    return nullptr;
}

const char* modelList() {
    static const std::string list = [] {
        std::string s;
#define BMSIM_NAME(ID) s += BMSIM_STR(ID) "\n";
        BMSIM_MODELS(BMSIM_NAME)
#undef BMSIM_NAME
        return s;
    }();
    return list.c_str();
}

}  // namespace

// ---- plain C ABI (usable from C, Python ctypes, Java FFM) ----
extern "C" {
__attribute__((visibility("default"))) const char* bmsim_rtl_models() { return modelList(); }
__attribute__((visibility("default"))) void* bmsim_rtl_create(const char* id) { return createModel(id); }
__attribute__((visibility("default"))) void bmsim_rtl_destroy(void* h) { delete static_cast<Model*>(h); }
__attribute__((visibility("default"))) void bmsim_rtl_reset(void* h) { static_cast<Model*>(h)->reset(); }
__attribute__((visibility("default"))) void bmsim_rtl_run(void* h, int32_t n, const int32_t* ctrl,
                                                          const int64_t* seed, const int32_t* mu,
                                                          const int32_t* sigma, const int32_t* x, int32_t* flags,
                                                          int32_t* w, int32_t* acc, int32_t* eps, int32_t* word) {
    static_cast<Model*>(h)->run(n, ctrl, seed, mu, sigma, x, flags, w, acc, eps, word);
}
__attribute__((visibility("default"))) int bmsim_rtl_trace_open(void* h, const char* path) {
    return static_cast<Model*>(h)->traceOpen(path) ? 1 : 0;
}
__attribute__((visibility("default"))) void bmsim_rtl_trace_close(void* h) { static_cast<Model*>(h)->traceClose(); }
}

// ---- JNI (org.bmsim.hdl.RtlNative); the Java side validates handles and array lengths ----
extern "C" {
JNIEXPORT jstring JNICALL Java_org_bmsim_hdl_RtlNative_models(JNIEnv* env, jclass) {
    return env->NewStringUTF(bmsim_rtl_models());
}
JNIEXPORT jlong JNICALL Java_org_bmsim_hdl_RtlNative_create(JNIEnv* env, jclass, jstring id) {
    const char* s = env->GetStringUTFChars(id, nullptr);
    void* h = bmsim_rtl_create(s);
    env->ReleaseStringUTFChars(id, s);
    return reinterpret_cast<jlong>(h);
}
JNIEXPORT void JNICALL Java_org_bmsim_hdl_RtlNative_destroy(JNIEnv*, jclass, jlong h) {
    bmsim_rtl_destroy(reinterpret_cast<void*>(h));
}
JNIEXPORT void JNICALL Java_org_bmsim_hdl_RtlNative_reset(JNIEnv*, jclass, jlong h) {
    bmsim_rtl_reset(reinterpret_cast<void*>(h));
}
JNIEXPORT void JNICALL Java_org_bmsim_hdl_RtlNative_run(JNIEnv* env, jclass, jlong h, jint n, jintArray ctrl,
                                                        jlongArray seed, jintArray mu, jintArray sigma,
                                                        jintArray x, jintArray flags, jintArray w, jintArray acc,
                                                        jintArray eps, jintArray word) {
    jintArray ins[] = {ctrl, mu, sigma, x};
    jintArray outs[] = {flags, w, acc, eps, word};
    jint* pin[4];
    jint* pout[5];
    for (int i = 0; i < 4; i++) pin[i] = static_cast<jint*>(env->GetPrimitiveArrayCritical(ins[i], nullptr));
    jlong* pseed = static_cast<jlong*>(env->GetPrimitiveArrayCritical(seed, nullptr));
    for (int i = 0; i < 5; i++) pout[i] = static_cast<jint*>(env->GetPrimitiveArrayCritical(outs[i], nullptr));
    bmsim_rtl_run(reinterpret_cast<void*>(h), n, pin[0], reinterpret_cast<const int64_t*>(pseed), pin[1], pin[2],
                  pin[3], pout[0], pout[1], pout[2], pout[3], pout[4]);
    for (int i = 4; i >= 0; i--) env->ReleasePrimitiveArrayCritical(outs[i], pout[i], 0);
    env->ReleasePrimitiveArrayCritical(seed, pseed, JNI_ABORT);
    for (int i = 3; i >= 0; i--) env->ReleasePrimitiveArrayCritical(ins[i], pin[i], JNI_ABORT);
}
JNIEXPORT jboolean JNICALL Java_org_bmsim_hdl_RtlNative_traceOpen(JNIEnv* env, jclass, jlong h, jstring path) {
    const char* s = env->GetStringUTFChars(path, nullptr);
    int ok = bmsim_rtl_trace_open(reinterpret_cast<void*>(h), s);
    env->ReleaseStringUTFChars(path, s);
    return ok ? JNI_TRUE : JNI_FALSE;
}
JNIEXPORT void JNICALL Java_org_bmsim_hdl_RtlNative_traceClose(JNIEnv*, jclass, jlong h) {
    bmsim_rtl_trace_close(reinterpret_cast<void*>(h));
}
}
