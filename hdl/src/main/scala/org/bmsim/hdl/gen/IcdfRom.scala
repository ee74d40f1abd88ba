package org.bmsim.hdl.gen

import chisel3._
import chisel3.util.HasBlackBoxInline

/** The ICDF ROM (sampler spec, section 5) as a constant unpacked array: 512 words of
  * {base(15:0), delta(9:0)} addressed by {o(4:0), s(3:0)}, contents from the Java
  * [[org.bmsim.noise.rng.IcdfTable]] (one source for model and RTL). Written as inline Verilog
  * rather than a Chisel `VecInit`, which firtool lowers to a 512-way case statement that Verilator
  * turns into about 17,000 lines of C++ per lane; a constant array is a single table lookup.
  */
class IcdfRom(entries: Seq[(Int, Int)]) extends BlackBox with HasBlackBoxInline {
  require(entries.length == 512)
  val io = IO(new Bundle {
    val addr = Input(UInt(9.W))
    val data = Output(UInt(26.W))
  })
  override def desiredName: String = "bmsim_icdf_rom"

  private val words = entries.map { case (b, d) => f"26'h${((b & 0xffff) << 10) | (d & 0x3ff)}%07x" }
  setInline(
    "bmsim_icdf_rom.sv",
    s"""// ICDF ROM of the bmsim sampler (sampler spec, section 5), generated from IcdfTable.
       |module bmsim_icdf_rom(
       |  input  [8:0]  addr,
       |  output [25:0] data
       |);
       |  localparam logic [25:0] ROM [0:511] = '{
       |${words.grouped(8).map(g => "    " + g.mkString(", ")).mkString(",\n")}
       |  };
       |  assign data = ROM[addr];
       |endmodule
       |""".stripMargin
  )
}
