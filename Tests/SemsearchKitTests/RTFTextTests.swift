import Foundation
import Testing
import SemsearchTestSupport
import SemsearchKit

@Suite struct RTFTextTests {
    private func text(_ rtf: String) throws -> String {
        try RTFText.extract(Data(rtf.utf8))
    }

    @Test func handWrittenDocumentBecomesMarkdownShapedText() throws {
        let rtf = #"""
        {\rtf1\ansi\ansicpg1252\deff0\uc1
        {\fonttbl{\f0\fswiss\fcharset0 Helvetica;}{\f1\fmodern\fcharset0 Courier New;}}
        {\colortbl;\red255\green0\blue0;}
        {\*\generator Hand Writer 1.0;}
        {\stylesheet{\s0\f0\fs24 Normal;}{\s1\b\fs32\sbasedon0\snext0 heading 1;}{\s2\b\fs28\sbasedon0\snext0 heading 2;}}
        {\info{\title Not body text}{\author Nobody}}
        \pard\plain\s1 Getting started\par
        \pard\plain\f0 Caf\'e9 opens at nine.\par
        \pard\plain\s2 Quotes\par
        \pard\plain She said \u8220\'93hello\u8221\'94 twice.{\footnote\pard\plain A note at the foot.\par}\par
        \pard\plain Line one\line line two\tab tabbed\par
        }
        """#
        #expect(try text(rtf) == """
            # Getting started

            Café opens at nine.

            ## Quotes

            She said “hello” twice.

            Line one
            line two\ttabbed

            # Notes

            A note at the foot.
            """)
    }

    @Test func outlineLevelsTablesListsFieldsAndEscapes() throws {
        let rtf = #"""
        {\rtf1\ansi{\stylesheet{\s3 Title;}{\s4 heading 2,Überschrift 2;}}
        {\header \pard Running header\par}{\footer \pard Page {\field{\*\fldinst PAGE}{\fldrslt 1}}\par}
        \pard\s3 Annual Report\par
        \pard\outlinelevel2 Deep heading\par
        \pard\s4 Styled two\par
        \pard See {\field{\*\fldinst {HYPERLINK "https://example.com"}}{\fldrslt {\ul the site}}} now\~please, co\-operate, non\_breaking, a \\ b \{c\}.\par
        \trowd\cellx1000\cellx2000\pard\intbl Name\cell Value\cell\row
        \trowd\cellx1000\cellx2000\pard\intbl Speed\cell Fast\par indeed\cell\row
        \pard{\listtext\pard\plain\f3 \'b7\tab}Bullet item\par
        {\listtext\pard\plain 2.\tab}Numbered item\par
        \pard{\pict\pngblip 89504e470d0a1a0a}{\*\shppict{\pict\bin4 {}\\}}After picture \emdash{} done\par
        \pard Emoji \u-10179?\u-8704? and \uc0\u233 t\'e9\par
        }
        """#
        #expect(try text(rtf) == """
            # Annual Report

            ### Deep heading

            ## Styled two

            See the site now please, cooperate, non-breaking, a \\ b {c}.

            Name | Value
            Speed | Fast indeed

            - Bullet item

            2. Numbered item

            After picture — done

            Emoji 😀 and été
            """)
    }

    @Test func codePages() throws {
        #expect(try text(#"{\rtf1\ansi\ansicpg1251 \'cf\'f0\'e8\'e2\'e5\'f2\par}"#) == "Привет")
        #expect(try text(#"{\rtf1\ansi\ansicpg932 \'82\'a0\'83\\\par}"#) == "あソ")
        #expect(try text(#"{\rtf1\pc \'82t\'e9\par}"#) == "étΘ")
        // A font's character set overrides the document's code page.
        #expect(try text(#"{\rtf1\ansi\deff0{\fonttbl{\f0 Times;}{\f1\fcharset204 Arial Cyr;}}\'e9 {\f1 \'e9}\par}"#) == "é й")
    }

    @Test func pandocWrittenRTF() throws {
        let pandoc = "/usr/bin/pandoc"
        guard FileManager.default.isExecutableFile(atPath: pandoc) else {
            print("pandoc is not installed: the pandoc-written RTF test is skipped")
            return
        }
        let markdown = """
            # Field Notes

            ## Section

            A paragraph with “curly quotes” and über text.[^1]

            - first item
            - second item

            [^1]: The footnote text.
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: pandoc)
        process.arguments = ["-f", "markdown", "-t", "rtf", "-s"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(markdown.utf8))
        try input.fileHandleForWriting.close()
        let rtf = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0)

        let text = try RTFText.extract(rtf)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.contains("# Field Notes"))
        #expect(lines.contains("## Section"))
        #expect(text.contains("A paragraph with “curly quotes” and über text."))
        #expect(lines.contains("- first item"))
        #expect(lines.contains("- second item"))
        #expect(text.contains("The footnote text."))
        #expect(!text.contains("\\"))
        #expect(!text.contains("{"))
        #expect(!text.contains("}"))
    }

    @Test func hostileAndDamagedInput() throws {
        #expect(throws: DocumentFormatError.malformed("not RTF")) { try RTFText.extract(Data("plain text".utf8)) }
        #expect(throws: DocumentFormatError.refused("groups nested deeper than 200")) {
            try RTFText.extract(Data(("{\\rtf1 " + String(repeating: "{", count: 500) + "x").utf8))
        }

        // Cut in the middle of a group: the text before the cut is kept.
        let whole = #"{\rtf1\ansi {\pard First paragraph.\par}{\pard Second paragraph, cut {\b in the middle\par}}}"#
        let cut = String(whole.prefix(upTo: whole.range(of: "dle")!.lowerBound))
        #expect(try text(cut) == "First paragraph.\n\nSecond paragraph, cut in the mid")

        // \bin claiming far more bytes than there are.
        #expect(try text(#"{\rtf1 Before\par{\pict\bin999999999 abc}"#) == "Before")
        _ = try text(#"{\rtf1 Before\par \bin 999999999 xyz"#)
        _ = try text(#"{\rtf1 \u-10179\uc99999\'8"#)

        // Random bytes after the header never crash the reader.
        var random = XorShift(seed: 0x2545_F491_4F6C_DD1D)
        func next() -> UInt64 { random.next() }
        let alphabet = Array("\\{}'*uc0123456789-abfinparlrow ;\n?".utf8)
        var survived = 0
        for _ in 0..<200 {
            var bytes = Array("{\\rtf1".utf8)
            for _ in 0..<Int(next() % 400) {
                let r = next()
                bytes.append(r % 3 == 0 ? UInt8(truncatingIfNeeded: r >> 8) : alphabet[Int((r >> 8) % UInt64(alphabet.count))])
            }
            _ = try? RTFText.extract(Data(bytes))
            survived += 1
        }
        #expect(survived == 200)
    }
}
