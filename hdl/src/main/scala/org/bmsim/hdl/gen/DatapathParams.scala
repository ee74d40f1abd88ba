package org.bmsim.hdl.gen

import org.bmsim.noise.rng.{GaussianSampler, IcdfTable, SplitMix64, Taus88}
import org.bmsim.sim.datapath.{DatapathConfig, JqArithmetic, SigmaStep}

/** Generator parameters of the quantized sampling datapath: the Scala mirror of
  * [[org.bmsim.sim.datapath.DatapathConfig]] (which validates them). Every arithmetic constant comes
  * from the Java golden model's [[org.bmsim.sim.datapath.JqArithmetic]] and the ICDF ROM from
  * [[org.bmsim.noise.rng.IcdfTable]], so the RTL and the model share one source.
  */
case class DatapathParams(
    lanes: Int,
    muBits: Int,
    sigmaBits: Int,
    xBits: Int,
    wBits: Int,
    accBits: Int,
    sampler: GaussianSampler.Mode,
    sigmaStep: SigmaStep) {

  /** Validates through the Java record (throws BadInputException on a bad range). */
  val config: DatapathConfig =
    DatapathConfig.of(lanes, muBits, sigmaBits, xBits, wBits, accBits, sampler, sigmaStep)
  val jq: JqArithmetic = config.arithmetic()

  def id: String = config.id()
  def wordsPerSample: Int = config.wordsPerSample()
  def icdf: Boolean = sampler == GaussianSampler.Mode.ICDF
  def halfOctave: Boolean = sigmaStep == SigmaStep.HALF_OCTAVE

  /** Reset value of lane l's taus88 state: SplitMix64 seed 0 ^ l (sampler spec, section 1). */
  def resetState(l: Int): Array[Int] = Taus88.seedState(0L ^ l)

  /** ICDF ROM addressed by {o(4:0), s(3:0)}: (base, delta) or (0, 0) for unused addresses. */
  def icdfRom: Seq[(Int, Int)] = {
    val base = IcdfTable.bases()
    val delta = IcdfTable.deltas()
    (0 until 512).map { a =>
      val o = a >> 4
      val s = a & 15
      if (o < IcdfTable.OCTAVES && s < (1 << IcdfTable.segmentBits(o))) {
        val i = IcdfTable.index(o, s)
        (base(i), delta(i))
      } else (0, 0)
    }
  }

  def gamma: BigInt = BigInt(java.lang.Long.toUnsignedString(SplitMix64.GAMMA))
  def mix1: BigInt = BigInt(java.lang.Long.toUnsignedString(SplitMix64.MIX1))
  def mix2: BigInt = BigInt(java.lang.Long.toUnsignedString(SplitMix64.MIX2))
}

object DatapathParams {
  def apply(c: DatapathConfig): DatapathParams =
    DatapathParams(c.lanes, c.muBits, c.sigmaBits, c.xBits, c.wBits, c.accBits, c.sampler, c.sigmaStep)
}
