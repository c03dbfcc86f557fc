import Foundation
import Testing
import SemsearchKit
import SemsearchTestSupport

@Suite struct ChunkerTests {
    let tokenizer = TestSupport.model.tokenizer

    func chunker(_ budget: Int = 64, overlap: Int = 12) -> Chunker {
        Chunker(tokenizer: tokenizer, budget: budget, overlap: overlap)
    }

    /// Invariants every chunking must keep: text is the bytes of the range, within budget,
    /// line numbers agree with the range, and every non-space byte is covered.
    func checkInvariants(_ chunks: [TextChunk], of text: String, budget: Int) {
        let bytes = Array(text.utf8)
        var covered = [Bool](repeating: false, count: bytes.count)
        for chunk in chunks {
            #expect(chunk.text == String(decoding: bytes[chunk.byteRange], as: UTF8.self))
            #expect(chunk.tokenCount <= budget, "chunk of \(chunk.tokenCount) tokens")
            #expect(tokenizer.countTokens(chunk.text) - 2 <= budget)
            let linesBefore = bytes[..<chunk.byteRange.lowerBound].filter { $0 == 10 }.count
            #expect(chunk.lineStart == linesBefore + 1)
            #expect(chunk.lineEnd == chunk.lineStart + chunk.text.utf8.filter { $0 == 10 }.count)
            for i in chunk.byteRange { covered[i] = true }
        }
        for (i, b) in bytes.enumerated() where !(b == 32 || b == 10 || b == 9 || b == 13) {
            #expect(covered[i], "byte \(i) is in no chunk")
            if !covered[i] { break }
        }
    }

    @Test func aShortDocumentIsOneChunk() {
        let text = "# Title\n\nA short note.\n\nAnother paragraph.\n"
        let chunks = chunker().chunks(of: text, kind: .markdown)
        #expect(chunks.count == 1)
        #expect(chunks[0].text == "# Title\n\nA short note.\n\nAnother paragraph.")
        #expect(chunks[0].lineStart == 1 && chunks[0].lineEnd == 5)
        #expect(chunks[0].heading == "# Title")
    }

    @Test func aDocumentUpToTheWholeDocumentLengthStaysWholeAndALongerOneIsCut() {
        let sentence = "The river carries sand from the mountains to the sea every spring. "
        let text = String(repeating: sentence, count: 6)  // about 90 tokens: over a 64 budget, under 128
        let tokens = tokenizer.countTokens(text) - 2
        #expect(tokens > 64 && tokens <= 128)
        #expect(chunker().chunks(of: text, kind: .plain).count > 1)
        let whole = Chunker(tokenizer: tokenizer, budget: 64, overlap: 12, wholeDocumentTokens: 128)
        #expect(whole.chunks(of: text, kind: .plain).count == 1)
        let long = String(repeating: sentence, count: 12)
        let chunks = whole.chunks(of: long, kind: .plain)
        #expect(chunks.count > 2)
        checkInvariants(chunks, of: long, budget: 64)
        // The indexer's rule: a short document (192 tokens) stays whole, or the budget when larger.
        #expect(Chunker.wholeDocumentTokens(budget: 64, tokenizer: tokenizer) == 192)
        #expect(Chunker.wholeDocumentTokens(budget: 400, tokenizer: tokenizer) == 400)
    }

    @Test func emptyAndBlankDocumentsHaveNoChunks() {
        #expect(chunker().chunks(of: "", kind: .plain).isEmpty)
        #expect(chunker().chunks(of: " \n\n\t\n", kind: .markdown).isEmpty)
    }

    @Test func sectionsStartNewChunksAndCarryTheirBreadcrumb() {
        let sentence = "The river flows north through the valley and past the old town. "
        let text = """
        # Rhine

        \(String(repeating: sentence, count: 4))

        ## Geography

        \(String(repeating: sentence, count: 3))

        ### Delta

        \(String(repeating: sentence, count: 2))

        ## History

        Romans built bridges here.
        """
        let chunks = chunker().chunks(of: text, kind: .markdown)
        checkInvariants(chunks, of: text, budget: 64)
        #expect(chunks.contains { $0.heading == "# Rhine › ## Geography" && $0.text.hasPrefix("## Geography") })
        #expect(chunks.contains { $0.heading == "# Rhine › ## Geography › ### Delta" && $0.text.hasPrefix("### Delta") })
        #expect(chunks.last?.heading == "# Rhine › ## History")
        #expect(!chunks.contains { $0.text.contains("## Geography") && $0.text.contains("### Delta") })
    }

    @Test func longParagraphsOverlapBySentences() {
        let text = (1...40).map { "Sentence number \($0) talks about topic \($0 % 5)." }.joined(separator: " ")
        let chunks = chunker(64, overlap: 16).chunks(of: text, kind: .plain)
        #expect(chunks.count > 3)
        checkInvariants(chunks, of: text, budget: 64)
        for (a, b) in zip(chunks, chunks.dropFirst()) {
            #expect(b.byteRange.lowerBound < a.byteRange.upperBound, "consecutive chunks should overlap")
            #expect(b.byteRange.lowerBound > a.byteRange.lowerBound)
            let shared = String(decoding: Array(text.utf8)[b.byteRange.lowerBound..<a.byteRange.upperBound], as: UTF8.self)
            #expect(tokenizer.countTokens(shared) - 2 <= 16)
            #expect(b.text.hasPrefix("Sentence"), "overlap starts at a sentence")
        }
    }

    @Test func aSentenceLongerThanTheBudgetIsCutBetweenWords() {
        let text = (1...300).map { "word\($0)" }.joined(separator: " ")
        let chunks = chunker(50, overlap: 0).chunks(of: text, kind: .plain)
        checkInvariants(chunks, of: text, budget: 50)
        let bytes = Array(text.utf8)
        for chunk in chunks.dropFirst() { #expect(bytes[chunk.byteRange.lowerBound - 1] == 32, "cut inside a word") }
    }

    @Test func codeIsCutAtBlankLinesThenLines() {
        let function = (1...6).map { "    let value\($0) = compute(\($0), factor: \($0 * 3))" }.joined(separator: "\n")
        let text = (1...6).map { "func f\($0)() {\n\(function)\n}" }.joined(separator: "\n\n")
        let chunks = chunker(80, overlap: 0).chunks(of: text, kind: .code)
        checkInvariants(chunks, of: text, budget: 80)
        for chunk in chunks { #expect(chunk.text.first == "f" || chunk.text.first == " " || chunk.text.first == "}") }
        #expect(chunks.first?.text.hasPrefix("func f1() {") == true)
    }

    @Test func otherHeadingStylesAreRecognized() {
        let filler = String(repeating: "Some words that fill a section of the document well. ", count: 3)
        let setext = "Title\n=====\n\n\(filler)\n\nPart\n----\n\n\(filler)"
        #expect(chunker(40).chunks(of: setext, kind: .markdown).last?.heading == "# Title › ## Part")
        let org = "* Tasks\n\(filler)\n** Done\n\(filler)"
        #expect(chunker(40).chunks(of: org, kind: .org).last?.heading == "# Tasks › ## Done")
        let rst = "Guide\n=====\n\n\(filler)\n\nInstall\n-------\n\n\(filler)"
        #expect(chunker(40).chunks(of: rst, kind: .restructuredText).last?.heading == "# Guide › ## Install")
        let fenced = "# Real\n\n```\n# not a heading\n```\n\n\(filler)\(filler)"
        #expect(chunker(40).chunks(of: fenced, kind: .markdown).allSatisfy { $0.heading == "# Real" })
    }

    @Test func cjkSentencesAreBoundaries() {
        let text = String(repeating: "東京は日本の首都です。", count: 30)
        let chunks = chunker(40, overlap: 0).chunks(of: text, kind: .plain)
        checkInvariants(chunks, of: text, budget: 40)
        for chunk in chunks { #expect(chunk.text.hasSuffix("。")) }
    }

    @Test func kindsFollowFileExtensions() {
        #expect(DocumentKind.of(fileName: "notes.md") == .markdown)
        #expect(DocumentKind.of(fileName: "README") == .plain)
        #expect(DocumentKind.of(fileName: "todo.org") == .org)
        #expect(DocumentKind.of(fileName: "index.rst") == .restructuredText)
        #expect(DocumentKind.of(fileName: "main.swift") == .code)
        #expect(DocumentKind.of(fileName: "page.HTML") == .plain)
    }
}
