import Foundation

/// The text of an RTF document (`.rtf`), Markdown-shaped for the chunker: read as RTF (control
/// words, groups and escapes), never as plain text, so that no `\par}` or `\u8220"` reaches a chunk
/// the user reads.
///
/// Kept: the body's paragraphs (`\par`) between blank lines, `\line` as a line break inside one,
/// `\tab` as a tab; a paragraph whose `\outlinelevelN` or paragraph style (`\sN` naming a
/// stylesheet style called `heading 1`…`heading 9` or `Title`) makes it a heading as a `#` heading
/// (at most six `#`), so chunks get a breadcrumb; a table row as one line of its non-empty cells
/// joined by ` | `; a list item's bullet as `- ` and its number as written (`1. `); a field's
/// visible result (a link's text); footnotes as paragraphs of their own under a closing `# Notes`
/// heading, as the other document readers gather them. Escapes become the characters they stand
/// for: `\'hh` bytes in the document's or the font's code page, `\uN` (with its `\ucN` fallback
/// skipped, surrogate pairs joined), `\~` as a space, `\_` as `-`, `\-` as nothing, `\emdash`,
/// `\ldblquote`, `\bullet` and their kin.
///
/// Dropped: everything a reader does not see or that is not text: font, colour, style and list
/// tables, document info, pictures and embedded objects (and `\bin` data), headers and footers
/// (repeated on every page, they would repeat in every chunk), field instructions, bookmarks,
/// index and contents entries, theme and XML data, and every `{\*\...}` group this reader does not
/// know, as RTF asks.
///
/// Code pages (`\ansicpgN`, `\ansi`, `\mac`, `\pc`, `\pca`, or a font's `\fcharsetN`/`\cpgN`):
/// single-byte pages 1250–1258, 874, 437, 850, 852, 866 and Mac Roman are read through Foundation's
/// converters; the double-byte pages 932 (Shift JIS), 936 (GB 18030), 949 and 950 decode each run
/// of consecutive `\'hh` bytes together (a trail byte written as a plain character included). A
/// byte no converter on this system reads is taken as Latin-1 (C1 controls dropped).
///
/// Bounds: the file must start with `{\rtf`; groups nested deeper than 200 are refused; a
/// truncated file (braces left open) still gives the text read before the cut. One pass over the
/// bytes, output gathered as UTF-8.
public enum RTFText {
    /// Groups nested deeper than this are refused (a hostile file could otherwise grow the stack).
    static let maximumDepth = 200

    public static func extract(_ data: Data) throws(DocumentFormatError) -> String {
        let bytes = [UInt8](data)
        var start = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { start = 3 }
        while start < bytes.count, bytes[start] == 0x20 || bytes[start] == 0x09 || bytes[start] == 0x0A || bytes[start] == 0x0D {
            start += 1
        }
        let magic: [UInt8] = Array("{\\rtf".utf8)
        guard bytes.count - start >= magic.count, Array(bytes[start..<start + magic.count]) == magic else {
            throw .malformed("not RTF")
        }
        var reader = Reader(input: bytes, position: start)
        try reader.read()
        return reader.finish()
    }
}

// MARK: - Control words

extension RTFText {
    /// The control words this reader acts on; any other is read and ignored.
    fileprivate enum Keyword: UInt8 {
        case par, pard, line, tab, cell, row, intbl, sect, page
        case u, uc, bin, ansi, ansicpg, mac, pc, pca, deff, f, fcharset, cpg, plain, s, outlinelevel
        case emdash, endash, lquote, rquote, ldblquote, rdblquote, bullet, space
        case fonttbl, stylesheet, footnote, listtext
        /// A destination whose whole group is left out.
        case skipped
    }

    /// Letters of a control word packed six bits each (a–z as 1…26, A–Z as 27…52); words longer
    /// than `maximumPackedLetters` get key 0, which names no keyword.
    fileprivate static let maximumPackedLetters = 21

    fileprivate static func letterCode(_ c: UInt8) -> UInt128 {
        c >= 0x61 ? UInt128(c - 0x60) : UInt128(c - 0x40 + 26)
    }

    fileprivate static func key(_ word: String) -> UInt128 {
        word.utf8.reduce(0) { $0 << 6 | letterCode($1) }
    }

    fileprivate static let keywords: [UInt128: Keyword] = {
        var table: [UInt128: Keyword] = [:]
        let named: [(String, Keyword)] = [
            ("par", .par), ("pard", .pard), ("line", .line), ("lbr", .line), ("tab", .tab),
            ("cell", .cell), ("nestcell", .cell), ("row", .row), ("nestrow", .row), ("intbl", .intbl),
            ("sect", .sect), ("page", .page), ("u", .u), ("uc", .uc), ("bin", .bin),
            ("ansi", .ansi), ("ansicpg", .ansicpg), ("mac", .mac), ("pc", .pc), ("pca", .pca),
            ("deff", .deff), ("f", .f), ("fcharset", .fcharset), ("cpg", .cpg), ("plain", .plain),
            ("s", .s), ("outlinelevel", .outlinelevel),
            ("emdash", .emdash), ("endash", .endash), ("lquote", .lquote), ("rquote", .rquote),
            ("ldblquote", .ldblquote), ("rdblquote", .rdblquote), ("bullet", .bullet),
            ("emspace", .space), ("enspace", .space), ("qmspace", .space),
            ("fonttbl", .fonttbl), ("stylesheet", .stylesheet), ("footnote", .footnote),
            ("listtext", .listtext), ("pntext", .listtext),
        ]
        for (word, keyword) in named { table[key(word)] = keyword }
        let skipped = [
            "colortbl", "info", "pict", "object", "objdata", "header", "footer", "headerl", "headerr",
            "headerf", "footerl", "footerr", "footerf", "fldinst", "themedata", "datastore", "latentstyles",
            "listtable", "listoverridetable", "rsidtbl", "generator", "xmlnstbl", "mmathPr", "filetbl",
            "revtbl", "pgdsctbl", "nonshppict", "shprslt", "userprops", "docvar", "template", "xe", "tc",
            "bkmkstart", "bkmkend", "ftnsep", "ftnsepc", "aftnsep", "aftnsepc", "ftncn", "aftncn", "pn",
            "annotation", "atnid", "atnauthor", "protusertbl", "passwordhash", "wgrffmtfilter", "fchars",
            "lchars", "panose", "falt", "listpicture", "pgptbl", "colorschememapping", "defchp", "defpap",
        ]
        for word in skipped { table[key(word)] = .skipped }
        return table
    }()

    fileprivate static let footnoteKey = key("footnote")
}

// MARK: - Code pages

extension RTFText {
    /// Foundation's encoding for a Windows code page, where it has one.
    fileprivate static func encoding(codePage: Int) -> String.Encoding? {
        // Core Foundation encodings, as `String.Encoding` raw values (0x8000_0000 | CFStringEncoding).
        func cf(_ value: UInt) -> String.Encoding { String.Encoding(rawValue: 0x8000_0000 | value) }
        switch codePage {
        case 1250: return .windowsCP1250
        case 1251: return .windowsCP1251
        case 1252: return .windowsCP1252
        case 1253: return .windowsCP1253
        case 1254: return .windowsCP1254
        case 1255: return cf(0x0505)
        case 1256: return cf(0x0506)
        case 1257: return cf(0x0507)
        case 1258: return cf(0x0508)
        case 874: return cf(0x041D)
        case 437: return cf(0x0400)
        case 850: return cf(0x0410)
        case 852: return cf(0x0411)
        case 866: return cf(0x0413)
        case 10000: return .macOSRoman
        case 28591: return .isoLatin1
        case 28592: return .isoLatin2
        case 932: return .shiftJIS
        case 936: return cf(0x0632)  // GB 18030, a superset of GBK
        case 949: return cf(0x0422)
        case 950: return cf(0x0423)
        case 65001: return .utf8
        default: return nil
        }
    }

    fileprivate static func isDoubleByte(_ codePage: Int) -> Bool {
        codePage == 932 || codePage == 936 || codePage == 949 || codePage == 950 || codePage == 65001
    }

    /// Whether `byte` starts a two-byte character in a double-byte code page.
    fileprivate static func isLeadByte(_ byte: UInt8, codePage: Int) -> Bool {
        switch codePage {
        case 932: return (0x81...0x9F).contains(byte) || (0xE0...0xFC).contains(byte)
        case 936, 949, 950: return (0x81...0xFE).contains(byte)
        default: return false
        }
    }

    /// The code page of a font's `\fcharsetN`; nil for the default and symbol character sets.
    fileprivate static func codePage(charset: Int) -> Int? {
        switch charset {
        case 0: return 1252
        case 77: return 10000
        case 128: return 932
        case 129: return 949
        case 134: return 936
        case 136: return 950
        case 161: return 1253
        case 162: return 1254
        case 163: return 1258
        case 177: return 1255
        case 178: return 1256
        case 186: return 1257
        case 204: return 1251
        case 222: return 874
        case 238: return 1250
        case 254: return 437
        case 255: return 850
        default: return nil
        }
    }

    /// UTF-8 for a byte read as Latin-1; nothing for C0 and C1 controls (a tab stays).
    fileprivate static func latin1(_ byte: UInt8) -> [UInt8] {
        if byte == 0x09 || (0x20..<0x7F).contains(byte) { return [byte] }
        if byte >= 0xA0 { return [0xC0 | byte >> 6, 0x80 | byte & 0x3F] }
        return []
    }

    /// UTF-8 for each byte of the single-byte code pages read here, built once; any other page
    /// gets `latin1Table`.
    fileprivate static let singleByteTables: [Int: [[UInt8]]] = {
        var tables: [Int: [[UInt8]]] = [:]
        for page in [1250, 1251, 1252, 1253, 1254, 1255, 1256, 1257, 1258, 874, 437, 850, 852, 866, 10000, 28591, 28592] {
            tables[page] = byteTable(codePage: page)
        }
        return tables
    }()

    fileprivate static let latin1Table: [[UInt8]] = (0...255).map { latin1(UInt8($0)) }

    /// UTF-8 for each byte of a single-byte code page.
    fileprivate static func byteTable(codePage: Int) -> [[UInt8]] {
        let encoding = encoding(codePage: codePage)
        return (0...255).map { (value: Int) -> [UInt8] in
            let byte = UInt8(value)
            if byte < 0x80 { return latin1(byte) }
            if let encoding, let text = String(data: Data([byte]), encoding: encoding) {
                return text.unicodeScalars.contains { $0.value < 0x20 || (0x7F..<0xA0).contains($0.value) } ? [] : Array(text.utf8)
            }
            return latin1(byte)
        }
    }
}

// MARK: - Reader

extension RTFText {
    fileprivate enum Destination: UInt8 {
        case body, footnote, fontTable, styleSheet, listText, skip
    }

    /// What `{` saves and `}` restores.
    fileprivate struct GroupState {
        var destination = Destination.body
        /// Fallback characters after a `\uN` (`\ucN`).
        var uc = 1
        var style = 0
        /// `\outlinelevelN`, or -1 when the paragraph has none.
        var outline = -1
        /// `\fN`, or -1 for the document's default font.
        var font = -1
        var inTable = false
    }

    /// Paragraphs and table rows of the body or of the footnotes, as UTF-8.
    fileprivate struct Flow {
        var blocks: [UInt8] = []
        var paragraph: [UInt8] = []
        /// Heading level of the paragraph when its first text came (0: none).
        var level = 0
        var row: [UInt8] = []
        var lastWasRow = false

        mutating func emit(_ block: [UInt8], isRow: Bool) {
            if !blocks.isEmpty {
                blocks.append(0x0A)
                if !(isRow && lastWasRow) { blocks.append(0x0A) }
            }
            blocks.append(contentsOf: block)
            lastWasRow = isRow
        }

        mutating func endParagraph(levelAtEnd: Int) {
            let level = levelAtEnd > 0 ? levelAtEnd : self.level
            let text = Self.tidy(paragraph, joiner: level > 0 ? 0x20 : 0x0A)
            paragraph.removeAll(keepingCapacity: true)
            self.level = 0
            guard !text.isEmpty else { return }
            if !row.isEmpty { endRow() }
            if level > 0 {
                emit([UInt8](repeating: 0x23, count: min(level, 6)) + [0x20] + text, isRow: false)
            } else {
                emit(Self.listItemTidied(text), isRow: false)
            }
        }

        mutating func endCell() {
            let text = Self.tidy(paragraph, joiner: 0x20)
            paragraph.removeAll(keepingCapacity: true)
            level = 0
            guard !text.isEmpty else { return }
            if !row.isEmpty { row.append(contentsOf: [0x20, 0x7C, 0x20]) }
            row.append(contentsOf: text)
        }

        mutating func endRow() {
            endCell()
            guard !row.isEmpty else { return }
            emit(row, isRow: true)
            row.removeAll(keepingCapacity: true)
        }

        mutating func finish() {
            if !row.isEmpty { endRow() } else { endParagraph(levelAtEnd: 0) }
        }

        static func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }

        /// Lines with spaces and tabs trimmed at both ends, empty ones dropped, joined by `joiner`.
        static func tidy(_ raw: [UInt8], joiner: UInt8) -> [UInt8] {
            var result: [UInt8] = []
            result.reserveCapacity(raw.count)
            var start = 0
            while start <= raw.count {
                var end = start
                while end < raw.count, raw[end] != 0x0A { end += 1 }
                var a = start, b = end
                while a < b, isBlank(raw[a]) { a += 1 }
                while b > a, isBlank(raw[b - 1]) { b -= 1 }
                if a < b {
                    if !result.isEmpty { result.append(joiner) }
                    result.append(contentsOf: raw[a..<b])
                }
                start = end + 1
            }
            return result
        }

        /// A paragraph starting with a bullet character and a space or tab as a `- ` list item, and
        /// one starting with a number or letter and `.` or `)` then a tab (`1.\tab`) with a space.
        static func listItemTidied(_ text: [UInt8]) -> [UInt8] {
            let bullets: [[UInt8]] = [[0xE2, 0x80, 0xA2], [0xC2, 0xB7], [0xEF, 0x82, 0xB7], [0xE2, 0x97, 0xA6]]
            for bullet in bullets where text.count > bullet.count && text.starts(with: bullet) {
                var rest = bullet.count
                guard isBlank(text[rest]) else { continue }
                while rest < text.count, isBlank(text[rest]) { rest += 1 }
                return [0x2D, 0x20] + text[rest...]
            }
            var end = 0
            while end < min(text.count, 6), (0x30...0x39).contains(text[end]) || (0x41...0x5A).contains(text[end]) || (0x61...0x7A).contains(text[end]) {
                end += 1
            }
            if end > 0, end + 1 < text.count, text[end] == 0x2E || text[end] == 0x29, text[end + 1] == 0x09 {
                var rest = end + 1
                while rest < text.count, isBlank(text[rest]) { rest += 1 }
                return text[...end] + [0x20] + text[rest...]
            }
            return text
        }
    }

    fileprivate struct Reader {
        let input: [UInt8]
        var position: Int
        var state = GroupState()
        var stack: [GroupState] = []
        var body = Flow()
        var notes = Flow()
        var listMarker: [UInt8] = []

        // Stylesheet: depth of its group, the entry being read, and heading levels by style number.
        var styleSheetDepth = -1
        var styleNumber = 0
        var styleOutline = -1
        var styleName: [UInt8] = []
        var styleLevels: [Int: Int] = [:]

        // Code pages.
        var documentCodePage = 1252
        var defaultFont = 0
        var fontEntry = 0
        var fontCodePages: [Int: Int] = [:]
        /// Consecutive `\'hh` (or raw 8-bit) bytes, decoded together.
        var pendingBytes: [UInt8] = []
        var pendingBytesAllRaw = true

        /// Fallback characters of a `\uN` still to skip.
        var fallbackToSkip = 0
        var highSurrogate: UInt32 = 0

        init(input: [UInt8], position: Int) {
            self.input = input
            self.position = position
        }

        mutating func read() throws(DocumentFormatError) {
            let count = input.count
            while position < count {
                let byte = input[position]
                switch byte {
                case 0x7B:  // {
                    position += 1
                    flushBytes()
                    fallbackToSkip = 0
                    if stack.count >= RTFText.maximumDepth { throw .refused("groups nested deeper than 200") }
                    stack.append(state)
                    if state.destination == .styleSheet, stack.count == styleSheetDepth + 1 { beginStyle() }
                case 0x7D:  // }
                    position += 1
                    flushBytes()
                    fallbackToSkip = 0
                    closeGroup()
                case 0x5C:  // backslash
                    controlWordOrSymbol()
                case 0x0A, 0x0D:
                    position += 1
                default:
                    if state.destination == .skip {
                        position += 1
                        while position < count {
                            let next = input[position]
                            if next == 0x7B || next == 0x7D || next == 0x5C { break }
                            position += 1
                        }
                    } else if fallbackToSkip > 0 {
                        fallbackToSkip -= 1
                        position += 1
                    } else if byte >= 0x80 {
                        addByte(byte, raw: true)
                        position += 1
                    } else if byte < 0x20 {
                        flushBytes()
                        if byte == 0x09 { append(CollectionOfOne(0x09)) }
                        position += 1
                    } else {
                        if !pendingBytes.isEmpty {
                            if pendingNeedsTrailByte() {
                                addByte(byte, raw: false)
                                position += 1
                                continue
                            }
                            flushBytes()
                        }
                        let start = position
                        position += 1
                        while position < count {
                            let next = input[position]
                            if next < 0x20 || next >= 0x80 || next == 0x7B || next == 0x7D || next == 0x5C { break }
                            position += 1
                        }
                        highSurrogate = 0
                        append(input[start..<position])
                    }
                }
            }
            flushBytes()
        }

        mutating func finish() -> String {
            flushBytes()
            body.finish()
            notes.finish()
            var out = body.blocks
            if !notes.blocks.isEmpty {
                if !out.isEmpty { out.append(contentsOf: [0x0A, 0x0A]) }
                out.append(contentsOf: Array("# Notes\n\n".utf8))
                out.append(contentsOf: notes.blocks)
            }
            return String(decoding: out, as: UTF8.self)
        }

        // MARK: Groups

        mutating func closeGroup() {
            if state.destination == .styleSheet, stack.count == styleSheetDepth + 1 || stack.count == styleSheetDepth { finishStyle() }
            guard let outer = stack.popLast() else { return }  // an extra `}` is tolerated
            let inner = state
            state = outer
            if inner.destination == .footnote, state.destination != .footnote {
                notes.endParagraph(levelAtEnd: 0)
            }
            if inner.destination == .listText, state.destination != .listText {
                let marker = Flow.tidy(listMarker, joiner: 0x20)
                listMarker.removeAll(keepingCapacity: true)
                if marker.contains(where: { (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }) {
                    append(marker + [0x20])
                } else {
                    append([0x2D, 0x20])
                }
            }
            if stack.count < styleSheetDepth { styleSheetDepth = -1 }
        }

        // MARK: Control words and symbols

        static func isLetter(_ c: UInt8) -> Bool { (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) }
        static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }

        /// The packed key of the control word starting at `at` (just after its backslash), if any.
        func peekKey(at start: Int) -> UInt128 {
            var key: UInt128 = 0
            var index = start
            while index < input.count, Self.isLetter(input[index]), index - start < RTFText.maximumPackedLetters {
                key = key << 6 | RTFText.letterCode(input[index])
                index += 1
            }
            if index < input.count, Self.isLetter(input[index]) { return 0 }
            return key
        }

        mutating func controlWordOrSymbol() {
            let count = input.count
            position += 1
            guard position < count else { return }
            let first = input[position]
            guard Self.isLetter(first) else {
                position += 1
                symbol(first)
                return
            }
            var key: UInt128 = 0
            var letters = 0
            while position < count, Self.isLetter(input[position]) {
                if letters < RTFText.maximumPackedLetters { key = key << 6 | RTFText.letterCode(input[position]) }
                letters += 1
                position += 1
            }
            if letters > RTFText.maximumPackedLetters { key = 0 }
            var parameter: Int?
            if position < count, input[position] == 0x2D || Self.isDigit(input[position]) {
                let negative = input[position] == 0x2D
                if negative { position += 1 }
                var value = 0
                var digits = 0
                while position < count, Self.isDigit(input[position]) {
                    if digits < 10 { value = value * 10 + Int(input[position] - 0x30) }
                    digits += 1
                    position += 1
                }
                parameter = negative ? -value : value
            }
            if position < count, input[position] == 0x20 { position += 1 }
            word(RTFText.keywords[key], parameter)
        }

        mutating func symbol(_ c: UInt8) {
            switch c {
            case 0x27:  // \'hh
                var value: UInt8 = 0
                var digits = 0
                while digits < 2, position < input.count, let digit = Self.hexValue(input[position]) {
                    value = value << 4 | digit
                    digits += 1
                    position += 1
                }
                guard digits > 0, state.destination != .skip else { return }
                if fallbackToSkip > 0 {
                    fallbackToSkip -= 1
                    return
                }
                addByte(value, raw: false)
                return
            case 0x5C, 0x7B, 0x7D:  // \\ \{ \}
                if state.destination == .skip { return }
                if fallbackToSkip > 0 {
                    fallbackToSkip -= 1
                    return
                }
                if !pendingBytes.isEmpty, pendingNeedsTrailByte() {
                    addByte(c, raw: false)
                    return
                }
                flushBytes()
                append(CollectionOfOne(c))
                return
            default:
                break
            }
            flushBytes()
            if state.destination == .skip { return }
            if c == 0x2A {  // \* : an ignorable destination, skipped unless it is one read here
                if peekKeyAfterBackslash() != RTFText.footnoteKey { state.destination = .skip }
                return
            }
            if fallbackToSkip > 0 {
                fallbackToSkip -= 1
                return
            }
            switch c {
            case 0x7E: append(CollectionOfOne(0x20))  // \~ non-breaking space
            case 0x5F: append(CollectionOfOne(0x2D))  // \_ non-breaking hyphen
            case 0x0A, 0x0D: word(.par, nil)  // a backslash before a line end is \par
            default: break  // \- optional hyphen, \: index subentry, \| formula, unknown symbols
            }
        }

        func peekKeyAfterBackslash() -> UInt128 {
            var index = position
            while index < input.count, input[index] == 0x0A || input[index] == 0x0D || input[index] == 0x20 { index += 1 }
            guard index < input.count, input[index] == 0x5C else { return 0 }
            return peekKey(at: index + 1)
        }

        static func hexValue(_ c: UInt8) -> UInt8? {
            switch c {
            case 0x30...0x39: return c - 0x30
            case 0x41...0x46: return c - 0x41 + 10
            case 0x61...0x66: return c - 0x61 + 10
            default: return nil
            }
        }

        mutating func word(_ keyword: Keyword?, _ parameter: Int?) {
            flushBytes()
            if state.destination == .skip {
                if keyword == .bin { skipBinary(parameter) }
                return
            }
            if fallbackToSkip > 0 {
                fallbackToSkip -= 1
                if keyword == .bin { skipBinary(parameter) }
                return
            }
            guard let keyword else { return }
            switch state.destination {
            case .fontTable:
                switch keyword {
                case .f: fontEntry = parameter ?? 0
                case .fcharset: if let page = RTFText.codePage(charset: parameter ?? 0) { fontCodePages[fontEntry] = page }
                case .cpg: if let page = parameter, page > 0 { fontCodePages[fontEntry] = page }
                case .bin: skipBinary(parameter)
                case .skipped: state.destination = .skip
                default: break
                }
                return
            case .styleSheet:
                switch keyword {
                case .s: styleNumber = parameter ?? 0
                case .outlinelevel: styleOutline = parameter ?? -1
                case .u: unicode(parameter)
                case .uc: state.uc = min(max(parameter ?? 1, 0), 16)
                case .bin: skipBinary(parameter)
                case .skipped: state.destination = .skip
                default: break
                }
                return
            case .body, .footnote, .listText, .skip:
                break
            }
            switch keyword {
            case .par, .sect, .page:
                if state.inTable && keyword == .par {
                    append(CollectionOfOne(0x20))
                } else {
                    endParagraph()
                }
            case .pard:
                state.style = 0
                state.outline = -1
                state.inTable = false
            case .line: append(CollectionOfOne(0x0A))
            case .tab: append(CollectionOfOne(0x09))
            case .cell:
                switch state.destination {
                case .body: body.endCell()
                case .footnote: notes.endCell()
                default: break
                }
            case .row:
                switch state.destination {
                case .body: body.endRow()
                case .footnote: notes.endRow()
                default: break
                }
            case .intbl: state.inTable = true
            case .u: unicode(parameter)
            case .uc: state.uc = min(max(parameter ?? 1, 0), 16)
            case .bin: skipBinary(parameter)
            case .ansi: documentCodePage = 1252
            case .ansicpg: if let page = parameter, page > 0 { documentCodePage = page }
            case .mac: documentCodePage = 10000
            case .pc: documentCodePage = 437
            case .pca: documentCodePage = 850
            case .deff: defaultFont = parameter ?? 0
            case .f: state.font = parameter ?? 0
            case .plain: state.font = -1
            case .s: state.style = parameter ?? 0
            case .outlinelevel: state.outline = parameter ?? -1
            case .fcharset, .cpg: break
            case .emdash: append([0xE2, 0x80, 0x94])
            case .endash: append([0xE2, 0x80, 0x93])
            case .lquote: append([0xE2, 0x80, 0x98])
            case .rquote: append([0xE2, 0x80, 0x99])
            case .ldblquote: append([0xE2, 0x80, 0x9C])
            case .rdblquote: append([0xE2, 0x80, 0x9D])
            case .bullet: append([0xE2, 0x80, 0xA2])
            case .space: append(CollectionOfOne(0x20))
            case .fonttbl: state.destination = .fontTable
            case .stylesheet:
                state.destination = .styleSheet
                styleSheetDepth = stack.count
                beginStyle()
            case .footnote:
                notes.endParagraph(levelAtEnd: 0)
                state.destination = .footnote
                state.style = 0
                state.outline = -1
                state.inTable = false
            case .listtext:
                state.destination = .listText
                listMarker.removeAll(keepingCapacity: true)
            case .skipped: state.destination = .skip
            }
        }

        mutating func skipBinary(_ parameter: Int?) {
            let length = max(parameter ?? 0, 0)
            position = length >= input.count - position ? input.count : position + length
        }

        // MARK: Text

        /// The heading level the current paragraph properties give (0: none).
        func headingLevel() -> Int {
            if state.outline >= 0 { return state.outline <= 8 ? state.outline + 1 : 0 }
            return styleLevels[state.style] ?? 0
        }

        mutating func endParagraph() {
            switch state.destination {
            case .body: body.endParagraph(levelAtEnd: headingLevel())
            case .footnote: notes.endParagraph(levelAtEnd: headingLevel())
            default: break
            }
        }

        mutating func append<Bytes: Collection>(_ bytes: Bytes) where Bytes.Element == UInt8 {
            switch state.destination {
            case .body:
                if body.paragraph.isEmpty { body.level = headingLevel() }
                body.paragraph.append(contentsOf: bytes)
            case .footnote:
                if notes.paragraph.isEmpty { notes.level = headingLevel() }
                notes.paragraph.append(contentsOf: bytes)
            case .listText:
                listMarker.append(contentsOf: bytes)
            case .styleSheet:
                for byte in bytes {
                    if byte == 0x3B {  // `;` ends a style's name
                        finishStyle()
                        beginStyle()
                    } else {
                        styleName.append(byte)
                    }
                }
            case .fontTable, .skip:
                break
            }
        }

        mutating func unicode(_ parameter: Int?) {
            guard var value = parameter else { return }
            if value < 0 { value += 65536 }
            fallbackToSkip = state.uc
            guard value >= 0, value <= 0x10FFFF else { return }
            var scalar = UInt32(value)
            if (0xD800...0xDBFF).contains(scalar) {
                highSurrogate = scalar
                return
            }
            if (0xDC00...0xDFFF).contains(scalar) {
                guard highSurrogate != 0 else { return }
                scalar = 0x10000 + ((highSurrogate - 0xD800) << 10) + (scalar - 0xDC00)
            }
            highSurrogate = 0
            if scalar < 0x20 {
                if scalar == 0x09 { append(CollectionOfOne(0x09)) }
                return
            }
            guard let unicodeScalar = Unicode.Scalar(scalar) else { return }
            append(UTF8.encode(unicodeScalar)!)
        }

        // MARK: Code page bytes

        var codePage: Int {
            let font = state.font >= 0 ? state.font : defaultFont
            return fontCodePages[font] ?? documentCodePage
        }

        mutating func addByte(_ byte: UInt8, raw: Bool) {
            pendingBytes.append(byte)
            if !raw { pendingBytesAllRaw = false }
        }

        /// Whether the pending bytes end in the lead byte of a double-byte character, so that the
        /// next plain character (Shift JIS trail bytes include `\` and letters) is its trail byte.
        func pendingNeedsTrailByte() -> Bool {
            let page = codePage
            guard page == 932 || page == 936 || page == 949 || page == 950 else { return false }
            var index = 0
            while index < pendingBytes.count {
                if RTFText.isLeadByte(pendingBytes[index], codePage: page) {
                    if index + 1 == pendingBytes.count { return true }
                    index += 2
                } else {
                    index += 1
                }
            }
            return false
        }

        mutating func flushBytes() {
            guard !pendingBytes.isEmpty else { return }
            let bytes = pendingBytes
            let allRaw = pendingBytesAllRaw
            pendingBytes.removeAll(keepingCapacity: true)
            pendingBytesAllRaw = true
            highSurrogate = 0
            // Raw 8-bit bytes are not RTF, but some writers put UTF-8 there.
            if allRaw, let text = String(bytes: bytes, encoding: .utf8) {
                append(Array(text.utf8))
                return
            }
            let page = codePage
            if RTFText.isDoubleByte(page) {
                if let encoding = RTFText.encoding(codePage: page) {
                    if let text = String(data: Data(bytes), encoding: encoding) {
                        append(Array(text.utf8))
                        return
                    }
                    if bytes.count > 1, let text = String(data: Data(bytes.dropLast()), encoding: encoding) {
                        append(Array(text.utf8))
                        return
                    }
                }
                for byte in bytes { append(RTFText.latin1(byte)) }
                return
            }
            let table = RTFText.singleByteTables[page] ?? RTFText.latin1Table
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count * 2)
            for byte in bytes { out.append(contentsOf: table[Int(byte)]) }
            append(out)
        }

        // MARK: Stylesheet

        mutating func beginStyle() {
            styleNumber = 0
            styleOutline = -1
            styleName.removeAll(keepingCapacity: true)
        }

        /// Records the heading level of the style just read, from its name or its outline level.
        mutating func finishStyle() {
            guard !styleName.isEmpty else { return }
            let name = String(decoding: styleName, as: UTF8.self)
            styleName.removeAll(keepingCapacity: true)
            var level = 0
            for alias in name.split(separator: ",") {
                let alias = alias.trimmingCharacters(in: .whitespaces).lowercased()
                if alias == "title" {
                    level = 1
                } else if alias.hasPrefix("heading "), let number = Int(alias.dropFirst(8)), (1...9).contains(number) {
                    level = number
                }
                if level > 0 { break }
            }
            if level == 0, (0...8).contains(styleOutline) { level = styleOutline + 1 }
            styleLevels[styleNumber] = level > 0 ? level : nil
        }
    }
}
