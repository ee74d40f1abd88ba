package org.bmsim.hdl.gen

import java.nio.file.{Files, Path, Paths}
import scala.jdk.CollectionConverters._
import _root_.circt.stage.ChiselStage
import org.bmsim.common.AtomicFiles
import org.bmsim.sim.datapath.DatapathConfig

/** Emits SystemVerilog for datapath configurations (docs/rtl.md, "Regenerating the Verilog").
  *
  * Usage: `Generate OUT_DIR SPEC...` (or comma-separated SPECs) where SPEC is `grid` (the 40 co-verification configurations),
  * `default`, or a configuration id such as `l8_mu4_s4_x4_w4_a20_icdf_half`. Writes
  * `OUT_DIR/dp_<id>.sv` per configuration, the shared ROM module `OUT_DIR/bmsim_icdf_rom.sv`,
  * `OUT_DIR/models.txt` (one id per line) and the lint waiver `OUT_DIR/lint.vlt`. The build runs
  * it at process-classes with `OUT_DIR = hdl/target/rtl` and `${bmsim.rtl.configs}` (default
  * `grid,default`).
  */
object Generate {
  /** firtool options: no random initialisation (Verilator starts from zeros and the model from reset),
    * no debug info, and lowering options that keep the Verilog lint-clean under Verilator -Wall.
    */
  val FirtoolOpts: Array[String] = Array(
    "-disable-all-randomization",
    "-strip-debug-info",
    "--lowering-options=disallowLocalVariables,disallowPackedArrays,locationInfoStyle=none")

  /** Verilator configuration file written beside the Verilog. */
  val LintWaiver = "lint.vlt"

  /** The one lint waiver: firtool must spill a bit slice of an expression (for example the high bits
    * of a product, an arithmetic shift) into a temporary wire named `_..._T...`, whose discarded bits
    * Verilator -Wall reports as UNUSEDSIGNAL. The waiver matches only such compiler temporaries
    * (names starting with an underscore); every named register, wire and port stays checked.
    */
  val LintWaiverText: String =
    "`verilator_config\n" +
      "// firtool spill wires of bit slices (names starting with '_'): their dropped bits are intended.\n" +
      "lint_off -rule UNUSEDSIGNAL -file \"*dp_*.sv\" -match \"Bits of signal are not used: '_*\"\n"

  def configs(specs: Seq[String]): Seq[DatapathConfig] = specs.flatMap(_.split(",")).map(_.trim).filter(_.nonEmpty).flatMap {
    case "grid" => DatapathConfig.grid().asScala.toSeq
    case "default" => Seq(DatapathConfig.defaults())
    case id => Seq(DatapathConfig.parseId(id))
  }.distinct

  /** The shared ROM module's file, written beside the datapaths. */
  val RomFile = "bmsim_icdf_rom.sv"

  private val Marker = "// ----- 8< ----- FILE \""

  /** firtool's output as (file name, text) sections: the datapath first, then the inline black
    * boxes (the ROM); firtool's own file list section, which is not Verilog, is dropped.
    */
  def emit(c: DatapathConfig): Seq[(String, String)] = {
    val sv = ChiselStage.emitSystemVerilog(new SamplingDatapath(DatapathParams(c)), Array.empty[String], FirtoolOpts)
    val parts = sv.split(java.util.regex.Pattern.quote(Marker)).toSeq
    val main = ("dp_" + c.id() + ".sv", parts.head)
    val others = parts.tail.map { p =>
      val name = p.substring(0, p.indexOf('"')).stripPrefix("./")
      (name, p.substring(p.indexOf('\n') + 1))
    }
    (main +: others).filterNot(_._1.endsWith(".f"))
  }

  def main(args: Array[String]): Unit = {
    if (args.length < 2) {
      System.err.println("usage: Generate OUT_DIR grid|default|ID...")
      sys.exit(2)
    }
    val out: Path = Paths.get(args(0))
    Files.createDirectories(out)
    val cs = configs(args.toSeq.drop(1))
    for (c <- cs; (name, text) <- emit(c)) {
      AtomicFiles.writeString(out.resolve(name), text)
    }
    AtomicFiles.writeString(out.resolve("models.txt"), cs.map(_.id()).mkString("", "\n", "\n"))
    AtomicFiles.writeString(out.resolve(LintWaiver), LintWaiverText)
  }
}
