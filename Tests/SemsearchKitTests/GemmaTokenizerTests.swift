import Foundation
import Testing
import SemsearchKit
import SemsearchTestSupport

@Suite(.enabled(if: GemmaSupport.available, GemmaSupport.skipReason))
struct GemmaTokenizerTests {
    @Test func matchesTheReferenceIdsOnAllGoldenTexts() throws {
        let tokenizer = try #require(GemmaSupport.tokenizer)
        let golden = try TestSupport.jsonLines("embeddinggemma-tokens.jsonl", as: GoldenTokens.self)
        #expect(golden.count == 232)
        var wrong = 0
        for entry in golden {
            let encoded = tokenizer.encode(entry.text, maxLength: 512)
            if encoded.ids != entry.ids { wrong += 1 }
            #expect(encoded.ids == entry.ids, "ids differ for \(entry.text.prefix(60).debugDescription)")
            #expect(tokenizer.countTokens(entry.text) == entry.untruncated_length)
            #expect(encoded.isTruncated == (entry.untruncated_length > 512))
        }
        #expect(wrong == 0)
    }
}
