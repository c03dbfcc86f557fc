import Foundation
import Testing
import SemsearchKit
import SemsearchTestSupport

@Suite struct BertTokenizerTests {
    let tokenizer = TestSupport.model.tokenizer as! BertTokenizer

    @Test func matchesTheReferenceIdsOnAllGoldenTexts() throws {
        let golden = try TestSupport.jsonLines("minilm-l6-tokens.jsonl", as: GoldenTokens.self)
        #expect(golden.count == 200)
        for entry in golden {
            let encoded = tokenizer.encode(entry.text, maxLength: 256)
            #expect(encoded.ids == entry.ids, "ids differ for \(entry.text.prefix(60).debugDescription)")
            #expect(tokenizer.countTokens(entry.text) == entry.untruncated_length,
                    "untruncated length differs for \(entry.text.prefix(60).debugDescription)")
            #expect(encoded.isTruncated == (entry.untruncated_length > 256))
        }
    }

    @Test func framesWithClassifierAndSeparator() {
        let encoded = tokenizer.encode("")
        #expect(encoded.ids == [101, 102])
        #expect(encoded.byteRanges == [0..<0, 0..<0])
        #expect(!encoded.isTruncated)
    }

    @Test func byteRangesPointAtTheOriginalText() {
        let text = "Héllo, WORLD! unaffable 東京"
        let encoded = tokenizer.encode(text)
        let bytes = Array(text.utf8)
        let pieces = encoded.ids.dropFirst().dropLast().map { tokenizer.vocabulary.tokens[Int($0)] }
        let spans = encoded.byteRanges.dropFirst().dropLast().map { String(decoding: bytes[$0], as: UTF8.self) }
        #expect(pieces == ["hello", ",", "world", "!", "una", "##ffa", "##ble", "東", "京"])
        #expect(spans == ["Héllo", ",", "WORLD", "!", "una", "ffa", "ble", "東", "京"])
        #expect(encoded.byteRanges.first == 0..<0)
        #expect(encoded.byteRanges.last == bytes.count..<bytes.count)
    }

    @Test func truncatesAHugeLineQuicklyAndSaysSo() {
        let line = String(repeating: "lorem ipsum dolor sit amet ", count: 40_000)  // ≈ 1 MB
        let encoded = tokenizer.encode(line, maxLength: 256)
        #expect(encoded.count == 256)
        #expect(encoded.isTruncated)
        #expect(encoded.ids.last == tokenizer.vocabulary.separatorID)
    }

    @Test func overlongWordsAndUncoverableWordsBecomeUnknown() {
        #expect(tokenizer.pieces(String(repeating: "a", count: 101)) == ["[UNK]"])
        #expect(tokenizer.pieces(String(repeating: "a", count: 100)).first != "[UNK]")
        #expect(tokenizer.pieces("\u{1F642}") == ["[UNK]"])
    }

    @Test func dropsControlCharactersAndSplitsOnUnicodeWhitespace() {
        #expect(tokenizer.pieces("a\u{0}b\u{200B}c\u{FFFD}d") == ["abcd"].flatMap { tokenizer.pieces($0) })
        #expect(tokenizer.pieces("a\u{00A0}b\u{3000}c") == ["a", "b", "c"])
    }
}
