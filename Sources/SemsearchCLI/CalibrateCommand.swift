import ArgumentParser
import Foundation
import SemsearchKit

struct Calibrate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fit the adapters that make early layers worth searching.",
        discussion: """
        For every stored layer below the last, fits a linear map (ridge-regularized least squares, \
        solved by Cholesky on OpenBLAS/LAPACK) from the layer's normalized pooled vectors to the final \
        embedding, on up to --sample chunks of this index (an --encode-layers index: on the calibration \
        sample it encoded at full depth), and stores it. Searches at that layer then map the query and \
        the chunks through it ('--raw' searches without). 'semsearch index' does this by itself when \
        the collection changed by more than a fifth since the last fit.
        """
    )

    @OptionGroup var database: DatabaseOptions

    @Flag(inversion: .prefixedNo, help: "Also rotate the final embedding onto its principal axes, so small dims keep more (default: as last time, else no).")
    var pca: Bool?

    @Option(help: "Chunks to fit on (an even sample by id).")
    var sample = LayerCalibration.defaultSample

    func validate() throws {
        if sample < 16 { throw ValidationError("--sample must be at least 16") }
    }

    func run() throws {
        let store = try IndexLocation.open(database.path, create: false)
        let lock = try store.lock(for: .indexing)
        let started = ResourceUsage.now()
        let adapters = try withExtendedLifetime(lock) { try LayerCalibration.fit(store: store, sample: sample, principalAxes: pca) }
        let seconds = ResourceUsage.now() - started
        guard let first = adapters.first else {
            print("nothing to calibrate: the index stores no layer below the last")
            return
        }
        print(String(format: "fitted %d adapters on %d chunks in %.2f s", adapters.count, min(sample, first.fittedOn), seconds))
        for adapter in adapters {
            if adapter.layer == adapter.targetLayer {
                print("layer \(adapter.layer)       rotated onto its principal axes")
            } else {
                print(String(format: "layer %d → %d  mean squared residual %.4f", adapter.layer, adapter.targetLayer, adapter.residual))
            }
        }
    }
}
