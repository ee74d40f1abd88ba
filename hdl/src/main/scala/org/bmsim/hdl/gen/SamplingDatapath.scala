package org.bmsim.hdl.gen

import chisel3._
import chisel3.util._
import org.bmsim.sim.datapath.JqArithmetic

/** The quantized sampling datapath (docs/rtl.md; ports and timing as org.bmsim.sim.datapath.Datapath).
  *
  * Three register stages with a global stall: stage 1 registers an accepted beat and its taus88
  * words, stage 2 its eps (ICDF or CLT12, sampler spec sections 4-5), stage 3 the weight code
  * (JqArithmetic, spec section 8) and the accumulator. Per-lane buses are packed, lane 0 in the low
  * bits. One SplitMix64 unit reseeds the lanes sequentially, three cycles per lane.
  */
class SamplingDatapath(p: DatapathParams) extends Module {
  override def desiredName: String = "dp_" + p.id

  private val L = p.lanes
  private val W = p.wordsPerSample

  val io = FlatIO(new Bundle {
    val in_valid = Input(Bool())
    val in_ready = Output(Bool())
    val in_first = Input(Bool())
    val in_mu = Input(UInt((L * p.muBits).W))
    val in_sigma = Input(UInt((L * p.sigmaBits).W))
    val in_x = Input(UInt((L * p.xBits).W))
    val out_valid = Output(Bool())
    val out_ready = Input(Bool())
    val out_w = Output(UInt((L * p.wBits).W))
    val out_acc = Output(UInt((L * p.accBits).W))
    val out_eps = Output(UInt((L * 16).W))
    val out_word = Output(UInt((L * 32).W))
    val seed_load = Input(Bool())
    val seed = Input(UInt(64.W))
  })

  private def field(bus: UInt, bits: Int, l: Int): UInt = bus(l * bits + bits - 1, l * bits)

  // ---- taus88 lanes (spec section 2) ----
  // Only the bits taus88 reads again are state: s1(31,1), s2(31,3), s3(31,4) (the recurrences mask
  // the low bits away), so the registers hold just those; the output word uses the full new values.
  private val lowBits = Seq(1, 3, 4)
  private def stateReg(j: Int) = RegInit(VecInit((0 until L).map { l =>
    ((p.resetState(l)(j).toLong & 0xffffffffL) >> lowBits(j)).U((32 - lowBits(j)).W)
  }))
  private val s1 = stateReg(0)
  private val s2 = stateReg(1)
  private val s3 = stateReg(2)
  private def full(s: UInt, j: Int): UInt = Cat(s, 0.U(lowBits(j).W))

  private def tausStep(a: UInt, b: UInt, c: UInt): (UInt, UInt, UInt, UInt) = {
    val ba = ((a << 13)(31, 0) ^ a) >> 19
    val na = (((a & "hfffffffe".U(32.W)) << 12)(31, 0)) ^ ba
    val bb = ((b << 2)(31, 0) ^ b) >> 25
    val nb = (((b & "hfffffff8".U(32.W)) << 4)(31, 0)) ^ bb
    val bc = ((c << 3)(31, 0) ^ c) >> 11
    val nc = (((c & "hfffffff0".U(32.W)) << 17)(31, 0)) ^ bc
    (na, nb, nc, na ^ nb ^ nc)
  }

  // ---- sequential SplitMix64 seeder (spec section 1) ----
  private val seedCycles = 3 * L
  private val busy = RegInit(0.U(log2Ceil(seedCycles + 1).W))
  private val smState = RegInit(0.U(64.W))
  private val seedReg = RegInit(0.U(64.W))
  private val seedLane = RegInit(0.U(log2Ceil(L + 1).W))
  private val seedWord = RegInit(0.U(2.W))

  private def mix(z0: UInt): UInt = {
    val z1 = ((z0 ^ (z0 >> 30)) * p.mix1.U(64.W))(63, 0)
    val z2 = ((z1 ^ (z1 >> 27)) * p.mix2.U(64.W))(63, 0)
    z2 ^ (z2 >> 31)
  }

  // ---- pipeline control ----
  private val v1 = RegInit(false.B)
  private val v2 = RegInit(false.B)
  private val v3 = RegInit(false.B)
  private val advance = !v3 || io.out_ready
  io.in_ready := advance && busy === 0.U
  private val accept = io.in_valid && io.in_ready
  io.out_valid := v3

  // stage 1 registers
  private val first1 = Reg(Bool())
  private val mu1 = Reg(Vec(L, SInt(p.muBits.W)))
  private val sig1 = Reg(Vec(L, UInt(p.sigmaBits.W)))
  private val x1 = Reg(Vec(L, UInt(p.xBits.W)))
  private val words1 = Reg(Vec(L, Vec(W, UInt(32.W))))
  // stage 2 registers
  private val first2 = Reg(Bool())
  private val mu2 = Reg(Vec(L, SInt(p.muBits.W)))
  private val sig2 = Reg(Vec(L, UInt(p.sigmaBits.W)))
  private val x2 = Reg(Vec(L, UInt(p.xBits.W)))
  private val eps2 = Reg(Vec(L, SInt(16.W)))
  private val word2 = Reg(Vec(L, UInt(32.W)))
  // stage 3: output registers
  private val w3 = RegInit(VecInit(Seq.fill(L)(0.S(p.wBits.W))))
  private val acc3 = RegInit(VecInit(Seq.fill(L)(0.S(p.accBits.W))))
  private val eps3 = RegInit(VecInit(Seq.fill(L)(0.S(16.W))))
  private val word3 = RegInit(VecInit(Seq.fill(L)(0.U(32.W))))

  // ---- samplers (combinational, stage 2 input) ----
  private def icdf(w: UInt): SInt = {
    val sign = w(31)
    val v0 = w(30, 0)
    val v = Mux(v0 === 0.U, 1.U(31.W), v0)
    val nb = Log2(v) // floor(log2 v), 0..30
    val o = 30.U(5.W) - nb
    val vn = (v << o)(30, 0) // leading one at bit 30
    val m = vn(29, 0)
    val k = Mux(nb >= 4.U, 4.U(3.W), nb(2, 0))
    val s = m(29, 26) >> (4.U(3.W) - k)
    val f10 = m(25, 16)
    val rom = Module(new IcdfRom(p.icdfRom))
    rom.io.addr := Cat(o(4, 0), s(3, 0))
    val entry = rom.io.data
    val base = entry(25, 10).zext
    val delta = entry(9, 0).asSInt
    val z = base + ((delta * f10.zext) >> 10)
    Mux(sign, -z, z)(15, 0).asSInt
  }

  private def clt12(ws: Seq[UInt]): SInt = {
    val halves = ws.flatMap(w => Seq(w(31, 16), w(15, 0)))
    val sum = halves.map(_.zext).reduce(_ +& _)
    ((sum - JqArithmeticConst.Clt12Offset.S + 8.S) >> 4)(15, 0).asSInt
  }

  // ---- per-weight arithmetic (stage 3 input), constants from JqArithmetic ----
  private val fW = JqArithmetic.F_W
  private val e0 = p.jq.e0()
  private val stepHalves = p.sigmaStep.halfOctaves()
  private val wMax = p.jq.wMax()
  private val maxLeft = JqArithmetic.topHalfOctaves(p.wBits) / 2

  private def weight(mu: SInt, sig: UInt, eps: SInt): SInt = {
    val h = (sig.zext + e0.S) * stepHalves.S // half-octave exponent
    val odd = h(0)
    val sh = h >> 1 // floor(h / 2)
    val e1 = Mux(odd, ((eps * JqArithmetic.SQRT2_Q15.S) + JqArithmetic.SQRT2_ROUND.S) >> 15, eps)
    val left = if (maxLeft == 0) 0.U else Mux(sh >= 0.S, sh.asUInt, 0.U)(log2Ceil(maxLeft + 1) - 1, 0)
    val negSh = (-sh).asUInt
    val right = Mux(sh < 0.S, Mux(negSh > JqArithmetic.MAX_RIGHT_SHIFT.U, JqArithmetic.MAX_RIGHT_SHIFT.U, negSh), 0.U)(4, 0)
    val t = Mux(sig === JqArithmetic.SIGMA_ZERO_CODE.U, 0.S, (e1 << left) >> right)
    val muFixed = mu << p.jq.muShift()
    val q = (muFixed +& t +& (1 << (fW - 1)).S) >> fW
    val sat = Mux(q > wMax.S, wMax.S, Mux(q < (-wMax).S, (-wMax).S, q))
    sat(p.wBits - 1, 0).asSInt
  }

  // ---- clock edge ----
  when(advance) {
    v3 := v2
    when(v2) {
      for (l <- 0 until L) {
        val w = weight(mu2(l), sig2(l), eps2(l))
        val prev = Mux(first2, 0.S, acc3(l))
        acc3(l) := (prev +& w * x2(l).zext)(p.accBits - 1, 0).asSInt
        w3(l) := w
        eps3(l) := eps2(l)
        word3(l) := word2(l)
      }
    }
    v2 := v1
    when(v1) {
      first2 := first1
      for (l <- 0 until L) {
        eps2(l) := (if (p.icdf) icdf(words1(l)(0)) else clt12(words1(l)))
        word2(l) := words1(l)(0)
        mu2(l) := mu1(l)
        sig2(l) := sig1(l)
        x2(l) := x1(l)
      }
    }
    v1 := accept
    when(accept) {
      first1 := io.in_first
      for (l <- 0 until L) {
        mu1(l) := field(io.in_mu, p.muBits, l).asSInt
        sig1(l) := field(io.in_sigma, p.sigmaBits, l)
        x1(l) := field(io.in_x, p.xBits, l)
        var st = (full(s1(l), 0), full(s2(l), 1), full(s3(l), 2))
        for (i <- 0 until W) {
          val (a, b, c, out) = tausStep(st._1, st._2, st._3)
          words1(l)(i) := out
          st = (a, b, c)
        }
        s1(l) := st._1(31, lowBits(0))
        s2(l) := st._2(31, lowBits(1))
        s3(l) := st._3(31, lowBits(2))
      }
    }
  }

  when(io.seed_load) {
    busy := seedCycles.U
    smState := io.seed
    seedReg := io.seed
    seedLane := 0.U
    seedWord := 0.U
  }.elsewhen(busy =/= 0.U) {
    val next = smState + p.gamma.U(64.W)
    val z = mix(next)(31, 0)
    busy := busy - 1.U
    when(seedWord === 2.U) {
      seedWord := 0.U
      seedLane := seedLane + 1.U
      smState := seedReg ^ (seedLane + 1.U)
    }.otherwise {
      seedWord := seedWord + 1.U
      smState := next
    }
    for (l <- 0 until L) {
      when(seedLane === l.U) {
        when(seedWord === 0.U) { s1(l) := Mux(z < 2.U, z + 2.U, z)(31, lowBits(0)) }
        when(seedWord === 1.U) { s2(l) := Mux(z < 8.U, z + 8.U, z)(31, lowBits(1)) }
        when(seedWord === 2.U) { s3(l) := Mux(z < 16.U, z + 16.U, z)(31, lowBits(2)) }
      }
    }
  }

  io.out_w := Cat(w3.reverse.map(_.asUInt))
  io.out_acc := Cat(acc3.reverse.map(_.asUInt))
  io.out_eps := Cat(eps3.reverse.map(_.asUInt))
  io.out_word := Cat(word3.reverse)
}

private object JqArithmeticConst {
  val Clt12Offset: Int = org.bmsim.noise.rng.GaussianSampler.Clt12.OFFSET
}
