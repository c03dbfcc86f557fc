import Foundation
import Testing
import SemsearchKit
import SemsearchTestSupport

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
