import Foundation
import SemsearchCore
import SemsearchEncoder

/// The end of every run that writes an index — an index run, a conversion to another vector
/// format, a synthetic build — in one order, written once:
/// 1. adapters, when the run calibrates: on the vectors as encoded while they are still fp16 (a fit
///    on rounded vectors adds its own noise), which they are unless the collection passed
///    ``VectorCompaction/earlyFitChunks`` and the run stored codes (see ``VectorCompaction``);
/// 2. compaction of the stored vectors to the index's format (``VectorCompaction``);
/// 3. the IVF lists' copies of their vectors follow the format, then the IVF index is trained,
///    extended or dropped to match its setting, when the run updates it;
/// 4. free pages given back when a rewrite left them (``IndexStore/vacuumIfPending()``), and the
///    index made self-contained on disk (``IndexStore/checkpoint()``).
///
/// A kill between steps leaves each finished step committed; the next run redoes what is left.
public enum IndexFinishing {
    /// What the IVF step does.
    public enum IVFStep: Sendable, Equatable {
        /// Train, extend or drop the index on the searched cell, by the setting given (remembered
        /// for later runs) or, when nil, the one remembered (`auto` when none).
        case update(IVFSetting?)
        /// Keep the lists as they are (only their copies follow the format).
        case keep
    }

    /// What finishing did.
    public struct Summary: Sendable {
        /// New adapters; nil when none were fitted.
        public var calibrated: [LayerAdapter]?
        public var compaction = VectorCompaction.Summary()
        /// The IVF index as it stands after the run.
        public var ivf: IVFState?
    }

    /// Runs the steps on `store`, whose settings say which layers are stored and how wide they are,
    /// with no other writer's end-of-run steps or batches in between (``IndexStore/withMaintenance(_:)``).
    /// A store that keeps no IVF lists of its own (PostgreSQL) brings its server's index of the
    /// default cell in line with the same setting instead.
    public static func run(store: any IndexStore, calibrate: Bool, principalAxes: Bool? = nil, ivf: IVFStep) throws -> Summary {
        try store.withMaintenance { try steps(store: store, calibrate: calibrate, principalAxes: principalAxes, ivf: ivf) }
    }

    private static func steps(store: any IndexStore, calibrate: Bool, principalAxes: Bool?, ivf: IVFStep) throws -> Summary {
        guard let settings = try store.settings(), let deepest = settings.layers.max() else { throw StoreError.empty(store.address) }
        var summary = Summary()
        if calibrate {
            summary.calibrated = try LayerCalibration.refitIfNeeded(store: store, principalAxes: principalAxes)
        }
        let format = try store.vectorFormat()
        summary.compaction = try VectorCompaction.apply(store: store, format: format, layers: settings.layers, width: settings.hiddenSize)
        try store.rewriteIVFEntries(for: format)
        switch ivf {
        case .keep:
            summary.ivf = store.keepsIVFLists ? try store.ivfState() : try store.nearestNeighborIndex()
        case .update(let chosen):
            if let chosen { try store.setMeta(.ivfSetting, chosen) }
            let setting = try chosen ?? store.meta(.ivfSetting) ?? .auto
            summary.ivf = store.keepsIVFLists
                ? try IVFIndex.update(store: store, setting: setting, layer: deepest, dim: settings.hiddenSize)
                : try store.updateNearestNeighborIndex(setting)
        }
        try store.vacuumIfPending()
        try store.checkpoint()
        return summary
    }
}
