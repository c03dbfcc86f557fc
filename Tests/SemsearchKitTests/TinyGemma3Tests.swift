import Foundation
import Testing
import SemsearchKit

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
        #expect(viaPrompt == spelled)
        #expect(model.embed(["the river"])[0] != spelled)
    }
}

@Suite struct ModelFamilyTests {
    @Test func anUnsupportedArchitectureIsRefusedInOneLineNamingIt() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try #"{"model_type": "llama", "hidden_size": 64}"#.write(to: dir.appendingPathComponent("config.json"), atomically: true, encoding: .utf8)
        #expect {
            try ModelDescriptor(directory: dir.path)
        } throws: { error in
            let message = "\(error)"
            return message.contains("'llama'") && message.contains("gemma3_text") && !message.contains("\n")
        }
    }

    @Test func aCausalGemmaIsRefused() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let source = TinyGemma3Tests.directory
        for file in try FileManager.default.contentsOfDirectory(atPath: source) {
            try FileManager.default.copyItem(atPath: source + "/" + file, toPath: dir.appendingPathComponent(file).path)
        }
        let configURL = dir.appendingPathComponent("config.json")
        let config = try String(contentsOf: configURL, encoding: .utf8)
            .replacingOccurrences(of: "\"use_bidirectional_attention\": true", with: "\"use_bidirectional_attention\": false")
        try config.write(to: configURL, atomically: true, encoding: .utf8)
        #expect(throws: ModelError.self) { try ModelDescriptor(directory: dir.path) }
    }

    @Test func deepModelsStoreFourLayersByDefaultAndShallowOnesAll() throws {
        let tiny = try ModelDescriptor(directory: TinyGemma3Tests.directory)
        #expect(tiny.defaultStoredLayers == [1, 2, 3, 4])
        #expect(TestSupport.model.descriptor.defaultStoredLayers == [1, 2, 3, 4, 5, 6])
        #expect(MatryoshkaCell.standardDims(width: 768) == [32, 64, 128, 256, 512, 768])
        #expect(MatryoshkaCell.standardDims(width: 384) == [32, 64, 128, 256, 384])
    }

    @Test func documentPromptsCarryTheTitleInTheirSlot() {
        let prompts = ModelPrompts(query: "task: search result | query: ", document: "title: none | text: ")
        #expect(prompts.documentPrefix(title: "Rhine › Course") == "title: Rhine › Course | text: ")
        #expect(prompts.documentPrefix(title: "") == "title: none | text: ")
        #expect(ModelPrompts().documentPrefix(title: "Rhine") == "")
    }

    @Test func situatingUsesTheTitleSlotAndPoolsOnlyTheChunkWhenLate() throws {
        let model = try EmbeddingModel.load(directory: TinyGemma3Tests.directory)
        let chunk = TextChunk(text: "the river runs", byteRange: 0..<14, lineStart: 1, lineEnd: 1, heading: "## alps", tokenCount: 4)
        let none = SituatedInput(tokenizer: model.tokenizer, prompts: model.prompts, mode: .none)
        #expect(none.prefix(chunk: chunk, title: "rhine") == "title: none | text: ")
        let header = SituatedInput(tokenizer: model.tokenizer, prompts: model.prompts, mode: .header)
        #expect(header.prefix(chunk: chunk, title: "rhine") == "title: rhine › alps | text: ")
        let late = SituatedInput(tokenizer: model.tokenizer, prompts: model.prompts, mode: .late).input(chunk: chunk, title: "rhine")
        let range = try #require(late.poolRange)
        #expect(late.ids == header.input(chunk: chunk, title: "rhine").ids)
        let encoded = model.tokenizer.encode("title: rhine › alps | text: the river runs")
        let chunkStart = "title: rhine › alps | text: ".utf8.count
        #expect(encoded.byteRanges[range.lowerBound].contains(chunkStart - 1) || encoded.byteRanges[range.lowerBound].lowerBound == chunkStart,
                "pooling starts at the chunk's first word")
        #expect(encoded.byteRanges[range.lowerBound - 1].upperBound <= chunkStart)
        #expect(range.upperBound == late.ids.count - 1, "pooling stops before <eos>")
    }
}

@Suite struct VocabularyCoverageTests {
    @Test func englishReadsArabicDoesNotWithMiniLM() {
        let tokenizer = TestSupport.model.tokenizer
        var english = VocabularyCoverage(), arabic = VocabularyCoverage()
        for _ in 0..<20 {
            english.count(tokenizer.encode("The Rhine flows from the Swiss Alps to the North Sea.").ids, tokenizer: tokenizer)
            arabic.count(tokenizer.encode("القاهرة هي عاصمة جمهورية مصر العربية وأكبر مدنها").ids, tokenizer: tokenizer)
        }
        #expect(english.poorShare < 0.05 && english.warning(model: "all-MiniLM-L6-v2") == nil)
        #expect(arabic.poorShare > 0.7)
        let warning = arabic.warning(model: "all-MiniLM-L6-v2")
        #expect(warning?.contains("embeddinggemma-300m") == true && warning?.contains("\n") == false)
        #expect(VocabularyCoverage(tokens: 100, poorlyRead: 90).warning(model: "x") == nil, "too little text to judge")
    }

    @Test func byteFallbackCountsAsPoorlyReadForBPE() throws {
        let model = try EmbeddingModel.load(directory: TinyGemma3Tests.directory)
        var coverage = VocabularyCoverage()
        // The tiny vocabulary has Latin letters; CJK falls back to bytes.
        coverage.count(model.tokenizer.encode("東京東京東京").ids, tokenizer: model.tokenizer)
        #expect(coverage.poorlyRead == 18)
        coverage = VocabularyCoverage()
        coverage.count(model.tokenizer.encode("the river").ids, tokenizer: model.tokenizer)
        #expect(coverage.poorlyRead == 0)
    }
}
