import Foundation
import Testing
import SemsearchKit
import SemsearchTestSupport

@Suite(.enabled(if: GemmaSupport.available, GemmaSupport.skipReason), .serialized)
struct GemmaEncoderTests {
    @Test func everyLayerThroughTheHeadMatchesTheReferenceWithTheFp16Import() throws {
        let model = try #require(GemmaSupport.imported)
        #expect(model.layerCount == 24 && model.hiddenSize == 768)
        let golden = try TestSupport.jsonLines("embeddinggemma-embeddings.jsonl", as: GoldenHeadEmbedding.self)
        #expect(golden.count == 24)
        let ids = golden.map { model.tokenizer.encode($0.text, maxLength: $0.max_length).ids }
        #expect(ids.map(\.count) == golden.map(\.tokens))
        let embeddings = model.encoder.encode(ids, threads: 2)
        var worst = 1.0
        for (entry, embedding) in zip(golden, embeddings) {
            for layer in 1...24 {
                let cosine = VectorMath.cosine(embedding.raw(layer: layer), entry.head_by_layer[layer - 1])
                worst = min(worst, cosine)
                #expect(cosine >= 0.9999, "layer \(layer) of \(entry.text.prefix(40).debugDescription): cosine \(cosine)")
            }
            let final = VectorMath.cosine(embedding.final, entry.normalized_final)
            #expect(final >= 0.9999, "final embedding of \(entry.text.prefix(40).debugDescription): cosine \(final)")
        }
        print("EmbeddingGemma fp16 import: lowest per-layer cosine to the reference \(worst)")
    }

    @Test func int8StaysWithinItsBoundOfTheReferenceAtEveryLayer() throws {
        let imported = try #require(GemmaSupport.imported)
        let model = try EmbeddingModel.load(directory: imported.descriptor.directory, precision: .int8)
        let golden = try TestSupport.jsonLines("embeddinggemma-embeddings.jsonl", as: GoldenHeadEmbedding.self)
        let ids = golden.map { model.tokenizer.encode($0.text, maxLength: $0.max_length).ids }
        let embeddings = model.encoder.encode(ids, threads: 2)
        var worst = 1.0, sum = 0.0
        for (entry, embedding) in zip(golden, embeddings) {
            for layer in 1...24 {
                let cosine = VectorMath.cosine(embedding.raw(layer: layer), entry.head_by_layer[layer - 1])
                worst = min(worst, cosine)
                // Measured lowest: 0.9952 with 8-bit blocks for Q, K/V, gate/up and down, one scale per
                // token for the attention output and the sixteen-lane GeGLU (0.9941 with the eight-lane
                // one); 0.9974 with Q, K/V and down at 16 bits; 0.9949 with every layer at 16 bits (a few
                // raw layers of a few texts are this sensitive to any noise).
                #expect(cosine >= 0.993, "layer \(layer) of \(entry.text.prefix(40).debugDescription): cosine \(cosine)")
            }
            sum += VectorMath.cosine(embedding.final, entry.normalized_final)
        }
        let mean = sum / Double(golden.count)
        #expect(mean >= 0.999, "mean final cosine \(mean)")
        print("EmbeddingGemma int8: lowest per-layer cosine to the reference \(worst), mean final \(mean)")
    }

    @Test func aBatchGivesTheSameVectorsAsOneAtATime() throws {
        let model = try #require(GemmaSupport.imported)
        let texts = ["title: none | text: Der Rhein ist ein Fluss.", "task: search result | query: what is the capital of Egypt",
                     String(repeating: "long text that keeps going ", count: 40)]
        let ids = texts.map { model.tokenizer.encode($0).ids }
        let together = model.encoder.encode(ids, threads: 2)
        for (i, sequence) in ids.enumerated() {
            let alone = model.encoder.encode([sequence], threads: 1)[0]
            for layer in [1, 12, 24] {
                #expect(VectorMath.cosine(alone.raw(layer: layer), together[i].raw(layer: layer)) > 0.99999)
            }
        }
    }
}
