package org.bmsim.hdl;

/**
 * The JNI entry points of {@code libbmsim_rtl.so} (hdl/src/main/native/bmsim_rtl.cpp). Raw and
 * unchecked: use {@link RtlDatapath}, which validates handles and array lengths before every call.
 * The same functions are exported as a plain C ABI ({@code bmsim_rtl_create}, {@code bmsim_rtl_run},
 * ...) for other hosts.
 */
final class RtlNative {
    private RtlNative() {
    }

    /** Configuration ids of the models in the library, one per line. */
    static native String models();

    /** A new model instance after reset, or 0 if the library has no such configuration. */
    static native long create(String id);

    static native void destroy(long handle);

    static native void reset(long handle);

    static native void run(long handle, int n, int[] ctrl, long[] seed, int[] mu, int[] sigma, int[] x, int[] flags,
            int[] w, int[] acc, int[] eps, int[] word);

    static native boolean traceOpen(long handle, String path);

    static native void traceClose(long handle);
}
