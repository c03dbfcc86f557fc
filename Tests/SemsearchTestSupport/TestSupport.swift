import Foundation
import SemsearchKit

/// What more than one test target needs: the built-in model, loaded once per test process, and
/// scratch folders.
public enum TestSupport {
    public static let model: EmbeddingModel = {
        do { return try EmbeddingModel.load(directory: ModelStore().resolve(nil)) } catch {
            fatalError("the built-in model must load for tests: \(error)")
        }
    }()

    /// A fresh temporary directory, removed by the caller.
    public static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("semsearch-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
