import Foundation
import Testing
import SemsearchKit
import SemsearchTestSupport

/// Where pages, slides, chapters, messages and paragraphs begin, and the location a byte range of
/// the text gets from them.
@Suite struct LocationMarksTests {
    @Test func paragraphsAreRunsOfNonBlankLines() {
        let text = "# Title\n\nFirst line\nsame paragraph\n \t\n- item\n\n\n\nLast"
        let marks = LocationMarks.paragraphs(in: text)
        #expect(marks.marks.map(\.offset) == [0, 9, 38, 48])
        #expect(marks.marks.map(\.number) == [1, 2, 3, 4])
        #expect(LocationMarks.paragraphs(in: "").marks.isEmpty)
        #expect(LocationMarks.paragraphs(in: "\n\n  \n").marks.isEmpty)
    }

    @Test func pagesFollowFormFeeds() {
        let text = "one\n\n\u{0C}two\n\n\u{0C}three\n\n\u{0C}"
        let marks = LocationMarks.pages(in: text)
        #expect(marks.location(of: 0..<3) == DocumentLocation(unit: .page, start: 1, end: 1))
        #expect(marks.location(of: 6..<9) == DocumentLocation(unit: .page, start: 2, end: 2))
        #expect(marks.location(of: 2..<14) == DocumentLocation(unit: .page, start: 1, end: 3))
        #expect(LocationMarks.pages(in: "no form feed").location(of: 3..<5) == DocumentLocation(unit: .page, start: 1, end: 1))
    }

    /// A unit without text shares its offset with the next: the later number is the one kept, and
    /// a range before every mark has no location.
    @Test func theLaterMarkAtAnOffsetWinsAndTextBeforeTheFirstHasNone() {
        let marks = LocationMarks(unit: .slide, marks: [.init(offset: 5, number: 1), .init(offset: 20, number: 2), .init(offset: 20, number: 3)])
        #expect(marks.marks.map(\.number) == [1, 3])
        #expect(marks.location(of: 0..<4) == nil)
        #expect(marks.location(of: 5..<19) == DocumentLocation(unit: .slide, start: 1, end: 1))
        #expect(marks.location(of: 5..<21) == DocumentLocation(unit: .slide, start: 1, end: 3))
        #expect(marks.location(of: 19..<20) == DocumentLocation(unit: .slide, start: 1, end: 1), "the end is exclusive")
    }

    @Test func aLocationReadsAsTheTerminalWritesIt() throws {
        #expect(DocumentLocation(unit: .slide, start: 3, end: 3).description == "slide 3")
        #expect(DocumentLocation(unit: .page, start: 4, end: 5).description == "pages 4–5")
        #expect(DocumentLocation(unit: .paragraph, start: 9, end: 2) == DocumentLocation(unit: .paragraph, start: 9, end: 9))
        let json = String(decoding: try JSONEncoder.sorted.encode(DocumentLocation(unit: .chapter, start: 2, end: 3)), as: UTF8.self)
        #expect(json == #"{"end":3,"start":2,"unit":"chapter"}"#)
    }

    /// The chunker gives each chunk the units its bytes cover.
    @Test func chunksCarryTheUnitsTheyCover() {
        let slides = (1...6).map { "# Slide \($0)\n\n" + String(repeating: "The river carries barges past the town number \($0). ", count: 3) }
        let text = slides.joined(separator: "\n\n")
        var marks = LocationMarks(unit: .slide)
        var offset = 0
        for (i, slide) in slides.enumerated() {
            marks.add(offset: offset, number: i + 1)
            offset += slide.utf8.count + 2
        }
        let chunks = Chunker(tokenizer: TestSupport.model.tokenizer, budget: 48, overlap: 8).chunks(of: text, kind: .markdown, locations: marks)
        #expect(chunks.count >= 6)
        for chunk in chunks {
            guard let location = chunk.location else { Issue.record("no location: \(chunk.text)"); continue }
            #expect(location.unit == .slide)
            // Every slide number the chunk's text names lies in its range, and a chunk that opens
            // with a slide's heading starts at that slide.
            for number in chunk.text.slideNumbers { #expect((location.start...location.end).contains(number), "\(location): \(chunk.text)") }
            if chunk.text.hasPrefix("# Slide "), let first = chunk.text.slideNumbers.first { #expect(location.start == first) }
        }
        #expect(Chunker(tokenizer: TestSupport.model.tokenizer).chunks(of: text, kind: .markdown).allSatisfy { $0.location == nil })
    }
}

private extension JSONEncoder {
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return encoder
    }
}

private extension String {
    /// The numbers after "Slide " and "number " in the text.
    var slideNumbers: [Int] {
        var numbers: [Int] = []
        var rest = Substring(self)
        while let marker = rest.firstRange(of: /(Slide|number) (\d+)/) {
            numbers.append(Int(rest[marker].split(separator: " ").last!)!)
            rest = rest[marker.upperBound...]
        }
        return numbers
    }
}
