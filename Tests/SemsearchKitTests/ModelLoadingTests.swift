import Foundation
import Testing
import SemsearchKit
import SemsearchTestSupport

@Suite struct ModelLoadingTests {
    let texts = ["the cat sat on a mat.", "hello world!", "dogs unable", ""]

    func withTiny<T>(_ tiny: TinyBert, _ body: (URL) throws -> T) throws -> T {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = dir.appendingPathComponent("tiny")
        try tiny.write(to: model)
        return try body(model)
    }

    func embeddings(_ tiny: TinyBert) throws -> [LayerEmbeddings] {
        try withTiny(tiny) { try EmbeddingModel.load(directory: $0.path).embed(texts) }
    }

    func expectClose(_ a: [LayerEmbeddings], _ b: [LayerEmbeddings], atLeast threshold: Double) {
        for (x, y) in zip(a, b) {
            for layer in 1...x.layerCount {
                #expect(VectorMath.cosine(x.raw(layer: layer), y.raw(layer: layer)) >= threshold)
            }
        }
    }

    @Test func loadsFloat32Float16AndBFloat16Alike() throws {
        let f32 = try embeddings(TinyBert())
        #expect(f32.count == texts.count && f32[0].layerCount == 2 && f32[0].hiddenSize == 8)
        expectClose(f32, try embeddings(TinyBert(dtype: "F16")), atLeast: 0.9999)
        expectClose(f32, try embeddings(TinyBert(dtype: "BF16")), atLeast: 0.99)
    }

    @Test func acceptsPrefixedNamesGammaBetaAndTokenizerJSON() throws {
        let plain = try embeddings(TinyBert())
        expectClose(plain, try embeddings(TinyBert(prefix: "bert.", gammaBeta: true, vocabInTokenizerJSON: true)), atLeast: 0.999999)
    }

    @Test func readsPoolingFromTheSentenceTransformersConfig() throws {
        try withTiny(TinyBert(pooling: "cls")) { url in
            let model = try EmbeddingModel.load(directory: url.path)
            #expect(model.descriptor.pooling == .cls)
        }
        let mean = try embeddings(TinyBert())
        let cls = try embeddings(TinyBert(pooling: "cls"))
        #expect(VectorMath.cosine(mean[0].final, cls[0].final) < 0.9999)
    }

    @Test func importWritesAnEquivalentFloat16Model() throws {
        let store = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: store) }
        try withTiny(TinyBert(vocabInTokenizerJSON: true)) { source in
            let modelStore = ModelStore(userDirectory: store.path, builtInDirectory: nil)
            let target = try modelStore.importModel(from: source.path, name: "tiny-fp16")
            #expect(FileManager.default.fileExists(atPath: target + "/vocab.txt"))
            let file = try SafeTensorsFile(path: target + "/model.safetensors")
            #expect(file.tensors.values.allSatisfy { $0.dtype == .f16 })
            let original = try EmbeddingModel.load(directory: source.path).embed(texts)
            let imported = try EmbeddingModel.load(directory: try modelStore.resolve("tiny-fp16")).embed(texts)
            expectClose(original, imported, atLeast: 0.9999)
            #expect(modelStore.list().map(\.name) == ["tiny-fp16"])
            #expect(throws: ModelError.alreadyExists(target)) { try modelStore.importModel(from: source.path, name: "tiny-fp16") }
        }
    }

    @Test func reportsTruncatedWeightsClearly() throws {
        try withTiny(TinyBert()) { url in
            let weights = url.appendingPathComponent("model.safetensors")
            let data = try Data(contentsOf: weights)
            try data.prefix(data.count / 2).write(to: weights)
            try expectModelError(url) { if case .corruptWeights = $0 { true } else { false } }
            try Data([1, 2, 3]).write(to: weights)
            try expectModelError(url) { if case .corruptWeights = $0 { true } else { false } }
            var garbage = Data()
            withUnsafeBytes(of: UInt64(20).littleEndian) { garbage.append(contentsOf: $0) }
            garbage.append(Data("not json at all!!!!!".utf8))
            try garbage.write(to: weights)
            try expectModelError(url) { if case .corruptWeights = $0 { true } else { false } }
        }
    }

    @Test func reportsWeightsThatDoNotMatchTheConfig() throws {
        try withTiny(TinyBert()) { url in
            // The config claims a wider model than the weights hold.
            let configURL = url.appendingPathComponent("config.json")
            var config = try JSONSerialization.jsonObject(with: Data(contentsOf: configURL)) as! [String: Any]
            config["hidden_size"] = 16
            try JSONSerialization.data(withJSONObject: config).write(to: configURL)
            try expectModelError(url) { if case .corruptWeights(_, let reason) = $0 { reason.contains("shape") } else { false } }
        }
    }

    @Test func refusesConfigsThatAreNotBERT() throws {
        try withTiny(TinyBert(modelType: "roberta")) { url in
            try expectModelError(url) { if case .unsupportedConfig = $0 { true } else { false } }
        }
        try withTiny(TinyBert()) { url in
            try Data("{\"model_type\": \"bert\"}".utf8).write(to: url.appendingPathComponent("config.json"))
            try expectModelError(url) { if case .unsupportedConfig = $0 { true } else { false } }
            try Data("{{{".utf8).write(to: url.appendingPathComponent("config.json"))
            try expectModelError(url) { if case .unsupportedConfig = $0 { true } else { false } }
        }
    }

    @Test func reportsMissingDirectoriesAndFiles() throws {
        try expectModelError(URL(fileURLWithPath: "/nonexistent/model")) { $0 == .notFound("/nonexistent/model") }
        try withTiny(TinyBert()) { url in
            try FileManager.default.removeItem(at: url.appendingPathComponent("vocab.txt"))
            try expectModelError(url) { if case .missingFile = $0 { true } else { false } }
        }
        try withTiny(TinyBert()) { url in
            try FileManager.default.removeItem(at: url.appendingPathComponent("model.safetensors"))
            try expectModelError(url) { if case .missingFile = $0 { true } else { false } }
        }
        #expect(throws: ModelError.self) { try ModelStore(userDirectory: "/nonexistent", builtInDirectory: nil).resolve("no-such-model") }
    }

    /// Loading `url` fails with a `ModelError` matching `matches`, described in one line.
    func expectModelError(_ url: URL, _ matches: (ModelError) -> Bool) throws {
        do {
            _ = try EmbeddingModel.load(directory: url.path)
            Issue.record("loading \(url.path) should have failed")
        } catch let error as ModelError {
            #expect(matches(error), "unexpected error: \(error)")
            #expect(!"\(error)".contains("\n"))
        }
    }

    /// An installed tree finds its model beside its `bin/` wherever it was moved; a binary that is
    /// neither installed nor in a checkout finds none, and the path it was compiled at is never one
    /// of the places looked at.
    @Test func theBuiltInModelIsFoundRelativeToTheBinary() throws {
        let root = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let prefix = root.appendingPathComponent("moved/prefix")
        let models = prefix.appendingPathComponent("share/semsearch/models")
        try FileManager.default.createDirectory(at: prefix.appendingPathComponent("bin"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: models.appendingPathComponent(ModelStore.defaultModelName), withIntermediateDirectories: true)
        let installed = ModelStore.builtInCandidates(executable: prefix.appendingPathComponent("bin/semsearch"), environment: nil)
        #expect(installed.first == models.standardizedFileURL.path)
        let stray = ModelStore.builtInCandidates(executable: root.appendingPathComponent("semsearch"), environment: nil)
        let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        #expect(!(installed + stray).contains { $0.hasPrefix(checkout.path) }, "\(installed + stray)")
        // A binary inside a checkout's build folder uses that checkout's Resources/models.
        let inPlace = ModelStore.builtInCandidates(executable: checkout.appendingPathComponent(".build/release/semsearch"), environment: nil)
        #expect(inPlace.last == checkout.appendingPathComponent("Resources/models").path)
        #expect(ModelStore.builtInCandidates(executable: nil, environment: "/opt/models") == ["/opt/models"])
    }
}
