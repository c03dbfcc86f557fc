import CBLAS
import CPUFeatures
import Foundation
import Testing

/// OpenBLAS runs the vector kernels this CPU has, even where its own detection does not know the
/// CPU model (Debian 12's 0.3.21 falls back to SSE3 "Prescott" kernels on Emerald Rapids).
@Suite struct OpenBLASCoreTests {
    @Test func aCPUWithAVX2GetsAVX2OrAVX512Kernels() throws {
        let core = String(cString: try #require(openblas_get_corename()))
        let replaced = String(cString: semsearch_openblas_replaced_core())
        print("OpenBLAS kernels: \(core)" + (replaced.isEmpty ? "" : " (OpenBLAS chose \(replaced))"))
        guard semsearch_cpu_has_haswell() == 1 else {
            print("skipped: this CPU has no AVX2, so OpenBLAS's own choice stands")
            return
        }
        #expect(["Haswell", "Zen", "SkylakeX", "Cooperlake", "SapphireRapids"].contains(core), "OpenBLAS runs \(core) kernels")
        // The choice is made once at start-up and must not leak into child processes.
        if !replaced.isEmpty { #expect(getenv("OPENBLAS_CORETYPE") == nil) }
    }
}
