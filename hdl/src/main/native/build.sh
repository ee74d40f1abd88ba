#!/usr/bin/env bash
# Native build of the RTL co-simulation library (run by Maven at process-classes; docs/rtl.md).
#   build.sh RTL_DIR OUT_DIR CLASSES_DIR JNI_HEADERS_DIR JAVA_HOME
# Verilates every dp_<id>.sv listed in RTL_DIR/models.txt with its own --prefix Vdp_<id>, builds the
# Verilator runtime objects once (Verilator 5.006 --build makes no libverilated.a), and links all
# models with the JNI/C glue into OUT_DIR/libbmsim_rtl.so (-fPIC, OPT_FAST=-O3, -Wl,--no-undefined).
# The library is rebuilt only when the SHA-256 of its inputs (Verilog, glue, this script, tool
# versions) changes. It is then copied into CLASSES_DIR/org/bmsim/hdl/native/ so the hdl jar and
# the CLI's shaded jar carry it. Without Verilator the build prints one line and succeeds: the RTL
# tests then skip (or fail under -Dbmsim.rtl.required=true).
# Environment: BMSIM_NATIVE_JOBS parallel compiles (default 2).
set -euo pipefail
rtl="$1"; out="$2"; classes="$3"; jni="$4"; jhome="$5"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
jobs="${BMSIM_NATIVE_JOBS:-2}"
res="$classes/org/bmsim/hdl/native"

if ! command -v verilator >/dev/null 2>&1; then
  echo "bmsim native: verilator not found; the RTL co-simulation library is not built (RTL tests skip; run bin/setup-tools to install it)" >&2
  rm -f "$res/libbmsim_rtl.so" "$res/libbmsim_rtl.sha256" "$out/libbmsim_rtl.so" "$out/stamp"
  exit 0
fi
mkdir -p "$out" "$res"

hash_inputs() {
  {
    verilator --version
    g++ --version | head -1
    sha256sum "$here/build.sh" "$here/bmsim_rtl.cpp" "$jni"/*.h "$rtl/lint.vlt" "$rtl/bmsim_icdf_rom.sv"
    cat "$rtl/models.txt"
    while read -r id; do sha256sum "$rtl/dp_$id.sv"; done < "$rtl/models.txt"
  } | sha256sum | cut -d' ' -f1
}
hash="$(hash_inputs)"
lib="$out/libbmsim_rtl.so"
if [ -f "$lib" ] && [ "$(cat "$out/stamp" 2>/dev/null)" = "$hash" ]; then
  echo "bmsim native: up to date ($hash)"
else
  start=$(date +%s)
  vroot="$(verilator --getenv VERILATOR_ROOT)"
  mkdir -p "$out/obj"
  # 1. verilate and compile each model into its own archive (two at a time by default); a model
  #    whose own inputs are unchanged since its last build (per-model stamp) is kept
  vflags="--cc --trace -O3 --x-assign fast --x-initial fast --noassert -CFLAGS -fPIC"
  export rtl out vflags
  xargs -P "$jobs" -I{} bash -c '
    set -euo pipefail
    id="{}"; d="$out/obj/$id"
    h="$( { verilator --version; echo "$vflags"; cat "$rtl/lint.vlt" "$rtl/bmsim_icdf_rom.sv" "$rtl/dp_$id.sv"; } \
      | sha256sum | cut -d" " -f1)"
    if [ -f "$d/Vdp_${id}__ALL.a" ] && [ "$(cat "$d.stamp" 2>/dev/null)" = "$h" ]; then exit 0; fi
    rm -rf "$d"
    verilator $vflags --prefix "Vdp_$id" --top-module "dp_$id" --Mdir "$d" \
      "$rtl/lint.vlt" "$rtl/bmsim_icdf_rom.sv" "$rtl/dp_$id.sv" >"$d.log" 2>&1 || { cat "$d.log" >&2; exit 1; }
    make -s -C "$d" -f "Vdp_$id.mk" OPT_FAST=-O3 OPT_SLOW=-O1 "Vdp_${id}__ALL.a" >>"$d.log" 2>&1 \
      || { cat "$d.log" >&2; exit 1; }
    echo "$h" > "$d.stamp"
  ' < "$rtl/models.txt"
  # 2. the Verilator runtime, once, through the first model's makefile
  first="$(head -1 "$rtl/models.txt")"
  rt="$out/obj/$first"
  if [ ! -f "$rt/verilated.o" ] || [ ! -f "$rt/verilated_vcd_c.o" ] || [ ! -f "$rt/verilated_threads.o" ]; then
    make -s -C "$rt" -f "Vdp_$first.mk" OPT_FAST=-O3 OPT_SLOW=-O2 \
      verilated.o verilated_vcd_c.o verilated_threads.o >/dev/null
  fi
  # 3. glue: models.inc lists the models
  {
    while read -r id; do echo "#include \"Vdp_$id.h\""; done < "$rtl/models.txt"
    printf '#define BMSIM_MODELS(X)'
    while read -r id; do printf ' X(%s)' "$id"; done < "$rtl/models.txt"
    echo
  } > "$out/models.inc"
  incs=(-I"$out" -I"$jni" -I"$jhome/include" -I"$jhome/include/linux" -I"$vroot/include" -I"$vroot/include/vltstd")
  while read -r id; do incs+=(-I"$out/obj/$id"); done < "$rtl/models.txt"
  g++ -std=c++17 -O2 -fPIC -fvisibility=hidden -Wall -Wno-unused-parameter "${incs[@]}" \
    -c "$here/bmsim_rtl.cpp" -o "$out/bmsim_rtl.o"
  archives=()
  while read -r id; do archives+=("$out/obj/$id/Vdp_${id}__ALL.a"); done < "$rtl/models.txt"
  o="$out/obj/$first"
  g++ -shared -fPIC -o "$lib.tmp" "$out/bmsim_rtl.o" "${archives[@]}" \
    "$o/verilated.o" "$o/verilated_vcd_c.o" "$o/verilated_threads.o" -Wl,--no-undefined -lpthread
  mv -f "$lib.tmp" "$lib"
  echo "$hash" > "$out/stamp"
  echo "bmsim native: built $(wc -l < "$rtl/models.txt") models into $lib in $(( $(date +%s) - start )) s"
fi
cp -f "$lib" "$res/libbmsim_rtl.so"
sha256sum "$lib" | cut -d' ' -f1 > "$res/libbmsim_rtl.sha256"
