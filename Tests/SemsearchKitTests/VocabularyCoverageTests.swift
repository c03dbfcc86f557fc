import Foundation
import Testing
import SemsearchKit
import SemsearchTestSupport

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
