import Foundation
import Testing
import SemsearchKit
import SemsearchTestSupport

@Suite struct BertEncoderTests {
    let model = TestSupport.model

    @Test func everyLayerMatchesTheReferenceOnAllGoldenTexts() throws {
        let golden = try TestSupport.jsonLines("minilm-l6-embeddings.jsonl", as: GoldenEmbedding.self)
        #expect(golden.count == 60)
        let ids = golden.map { model.tokenizer.encode($0.text, maxLength: $0.max_length).ids }
        let embeddings = model.encoder.encode(ids)
        var worst = 1.0
        for (entry, embedding) in zip(golden, embeddings) {
            #expect(entry.mean_pooled_by_layer.count == model.layerCount)
            for layer in 1...model.layerCount {
                let cosine = VectorMath.cosine(embedding.raw(layer: layer), entry.mean_pooled_by_layer[layer - 1])
                worst = min(worst, cosine)
                #expect(cosine >= 0.9999, "layer \(layer) of \(entry.text.prefix(40).debugDescription): cosine \(cosine)")
            }
            let final = embedding.final
            #expect(VectorMath.cosine(final, entry.normalized_final) >= 0.9999)
            let norm = final.reduce(0) { $0 + Double($1) * Double($1) }.squareRoot()
            #expect(abs(norm - 1) < 1e-5)
        }
        print("golden embeddings: lowest per-layer cosine \(worst)")
    }

    @Test func resultsDoNotDependOnBatchingOrThreads() {
        let texts = (0..<300).map { "document \($0) says " + String(repeating: "word\($0 % 7) ", count: $0 % 60) }
        let ids = texts.map { model.tokenizer.encode($0).ids }
        let together = model.encoder.encode(ids, threads: 2)
        let alone = [0, 17, 299].map { model.encoder.encode([ids[$0]], threads: 1)[0] }
        for (index, single) in zip([0, 17, 299], alone) {
            for layer in 1...model.layerCount {
                let cosine = VectorMath.cosine(together[index].raw(layer: layer), single.raw(layer: layer))
                #expect(cosine > 0.99999, "text \(index) layer \(layer): \(cosine)")
            }
        }
    }

    @Test func batchesRespectTheTokenBudget() {
        let lengths = [100, 200, 300, 50, 400, 1000, 10]
        let batches = LayerEncoder.batches(lengths: lengths, budget: 512)
        #expect(batches == [0..<2, 2..<4, 4..<5, 5..<6, 6..<7])
        #expect(LayerEncoder.batches(lengths: [], budget: 512).isEmpty)
    }

    @Test func vectorsAreTruncatedThenNormalized() {
        let embedding = model.embed(["Matryoshka dolls nest inside each other."])[0]
        let v = embedding.vector(layer: 2, dim: 64)
        #expect(v.count == 64)
        #expect(abs(v.reduce(0) { $0 + $1 * $1 } - 1) < 1e-5)
        let raw = Array(embedding.raw(layer: 2).prefix(64))
        #expect(VectorMath.cosine(v, raw) > 0.99999)
        #expect(embedding.vector(layer: 2, dim: 64, normalized: false) == raw)
    }

    @Test func similarTextsAreCloserThanUnrelatedOnes() {
        let e = model.embed(["How do I bake bread at home?", "A recipe for homemade bread", "Stock market closes lower"])
        let related = VectorMath.cosine(e[0].final, e[1].final)
        let unrelated = VectorMath.cosine(e[0].final, e[2].final)
        #expect(related > unrelated + 0.3)
    }

    @Test func rejectsLayersAndDimsTheModelDoesNotHave() {
        #expect(throws: ModelError.self) { try model.validate(layer: 7, dim: 384) }
        #expect(throws: ModelError.self) { try model.validate(layer: 0, dim: 384) }
        #expect(throws: ModelError.self) { try model.validate(layer: 6, dim: 385) }
        #expect(throws: Never.self) { try model.validate(layer: 1, dim: 1) }
    }
}
