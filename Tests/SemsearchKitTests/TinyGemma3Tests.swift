import Foundation
import Testing
import SemsearchKit
import SemsearchTestSupport

/// The Gemma 3 architecture on a tiny random checkpoint whose reference outputs were made with
/// transformers' Gemma3TextModel (Fixtures/tiny-gemma3/make_fixture.py): runs without the download.
@Suite struct TinyGemma3Tests {
    struct Reference: Decodable {
        var text: String
        var ids: [Int32]
        var head_by_layer: [[Float]]
    }

    static let directory = TestSupport.fixtureURL("tiny-gemma3").path

    func references() throws -> [Reference] {
        try JSONDecoder().decode([Reference].self, from: Data(contentsOf: TestSupport.fixtureURL("tiny-gemma3/reference.json")))
    }

    @Test func loadsAsGemma3WithItsHeadAndPrompts() throws {
        let model = try EmbeddingModel.load(directory: Self.directory)
        #expect(model.descriptor.architecture.familyName == "Gemma 3")
        #expect(model.layerCount == 4)
        #expect(model.hiddenSize == 48, "the last Dense module's width, not the hidden size 64")
        #expect(model.prompts.query == "task: search result | query: ")
        #expect(model.prompts.document == "title: none | text: ")
        #expect(model.descriptor.headDirectories.count == 2)
    }

    @Test func tokenizerMatchesTheReferenceIdsAndRanges() throws {
        let model = try EmbeddingModel.load(directory: Self.directory)
        for entry in try references() {
            let encoded = model.tokenizer.encode(entry.text)
            #expect(encoded.ids == entry.ids, "ids differ for \(entry.text.debugDescription)")
            let bytes = Array(entry.text.utf8)
            // Content tokens cover the text exactly, in order, with no gaps.
            let content = encoded.byteRanges.dropFirst().dropLast()
            #expect(content.first?.lowerBound ?? 0 == 0)
            #expect(content.last?.upperBound ?? 0 == bytes.count)
            for (a, b) in zip(content, content.dropFirst()) { #expect(a.upperBound == b.lowerBound) }
        }
    }

    @Test func everyLayerThroughTheHeadMatchesTheReference() throws {
        let model = try EmbeddingModel.load(directory: Self.directory)
        let entries = try references()
        let embeddings = model.encoder.encode(entries.map(\.ids), threads: 2)
        for (entry, embedding) in zip(entries, embeddings) {
            for layer in 1...4 {
                let cosine = VectorMath.cosine(embedding.raw(layer: layer), entry.head_by_layer[layer - 1])
                #expect(cosine > 0.99999, "layer \(layer) of \(entry.text.debugDescription): \(cosine)")
                // Not only the direction: the head's output has the reference's scale.
                let norm = embedding.raw(layer: layer).reduce(0) { $0 + $1 * $1 }.squareRoot()
                let expected = entry.head_by_layer[layer - 1].reduce(0) { $0 + $1 * $1 }.squareRoot()
                #expect(abs(norm - expected) / expected < 1e-3)
            }
        }
    }

    @Test func earlyExitGivesTheSameLeadingLayers() throws {
        let model = try EmbeddingModel.load(directory: Self.directory)
        let ids = try references()[2].ids
        let full = model.encoder.encode([ids], threads: 1)[0]
        let two = model.encoder.encode([ids], threads: 1, depth: 2)[0]
        #expect(two.layerCount == 2)
        for layer in 1...2 { #expect(VectorMath.cosine(full.raw(layer: layer), two.raw(layer: layer)) > 0.999999) }
    }

    @Test func importConvertsToFp16AndKeepsTheVectors() throws {
        let root = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let store = ModelStore(userDirectory: root.path, builtInDirectory: nil)
        let target = try store.importModel(from: Self.directory, name: "tiny")
        let imported = try EmbeddingModel.load(directory: target)
        let original = try EmbeddingModel.load(directory: Self.directory)
        #expect(imported.descriptor.fingerprint != original.descriptor.fingerprint)
        #expect(FileManager.default.fileExists(atPath: target + "/tokenizer.semsearch.bin"))
        #expect(FileManager.default.fileExists(atPath: target + "/2_Dense/model.safetensors"))
        let texts = try references().map(\.text)
        #expect(imported.tokenizer.encode(texts[1]).ids == original.tokenizer.encode(texts[1]).ids)
        for (a, b) in zip(imported.embed(texts), original.embed(texts)) {
            for layer in 1...4 { #expect(VectorMath.cosine(a.raw(layer: layer), b.raw(layer: layer)) > 0.999) }
        }
        let listed = store.list().first { $0.name == "tiny" }
        #expect(listed?.descriptor?.architecture.familyName == "Gemma 3")
    }

    @Test func queriesGetTheQueryPrompt() throws {
        let model = try EmbeddingModel.load(directory: Self.directory)
        let viaPrompt = model.embedQueries(["the river"])[0]
        let spelled = model.embed(["task: search result | query: the river"])[0]
        // embedQueries and embed run BLAS on different thread counts, so on some CPUs (AVX2 without
        // AVX-512) the sums round differently in the seventh digit: the same text, not the same bits.
        for layer in 1...4 {
            #expect(VectorMath.cosine(viaPrompt.raw(layer: layer), spelled.raw(layer: layer)) > 0.99999, "layer \(layer)")
        }
        let unprompted = model.embed(["the river"])[0]
        #expect(VectorMath.cosine(unprompted.raw(layer: 4), spelled.raw(layer: 4)) < 0.999, "the prompt changes the vector")
    }
}
