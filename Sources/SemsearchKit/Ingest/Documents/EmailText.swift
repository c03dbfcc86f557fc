import Foundation

/// The text of e-mail: one RFC 5322 / MIME message (`.eml`) or an mbox of them.
///
/// What is kept, for indexing: the Subject, From, To and Date headers (unfolded, RFC 2047
/// encoded-words decoded), and the readable body: `text/plain` parts as they are (quoted reply
/// lines starting with `>` included, since replies often quote the one passage that matters),
/// `text/html` parts turned into Markdown-shaped text by `HTMLText`. In `multipart/alternative`
/// the `text/plain` version is preferred (it is what the sender wrote; the HTML one is the same
/// words with markup) and the HTML one is used only when no plain version has text. A forwarded
/// message (`message/rfc822` that is not an attachment) is kept inline with its own headers.
/// Attachments whose file name says ``DocumentFormat`` reads them in process (``readableExtensions``:
/// Office, OpenDocument, EPUB, RTF, plain text, Markdown, HTML) keep their decoded bytes, so the
/// caller can index them as sections of the message. PDF attachments are not among them: PDF is
/// read by `pdftotext` from a file.
///
/// What is dropped: every other header (routing, DKIM and the like are not what a person
/// searches for), other attachments (counted in `skippedAttachments`),
/// nameless non-text parts (inline images, signatures), and the MIME preamble and epilogue
/// ("This is a multi-part message in MIME format").
///
/// Hostile or damaged input never traps: a missing closing boundary ends the part at the end of
/// the data, a message with no blank line is all headers, undecodable text is decoded with
/// replacement characters. Invalid base64 is `.malformed`; more than `maxNesting` nested
/// multiparts or more than `maxParts` parts is `.refused`, to bound time and stack. The work is
/// done on bytes, not on `Character`s, so a large mailbox is read at tens of MB/s.
public enum EmailText {
    /// An attachment a caller may read (its file name ends in one of `readableExtensions`).
    public struct Attachment: Sendable, Equatable {
        /// The file name as sent, without any folder part (a name like `../../x.pdf` is `x.pdf`).
        public var fileName: String
        /// `type/subtype`, lower-cased, without parameters (`application/pdf`).
        public var contentType: String
        /// The bytes, transfer-decoded (base64 or quoted-printable undone).
        public var data: Data

        public init(fileName: String, contentType: String, data: Data) {
            self.fileName = fileName
            self.contentType = contentType
            self.data = data
        }
    }

    /// One message: its main headers, its readable body, and its readable attachments.
    public struct Message: Sendable, Equatable {
        public var subject: String
        public var from: String
        public var to: String
        public var date: String
        /// The readable text of the body, line breaks as `\n`, trimmed; parts joined by a blank line.
        public var body: String
        /// Attachments of a type no caller reads (images, archives, `.bin`), counted, not kept.
        public var skippedAttachments: Int
        public var attachments: [Attachment]
        /// The message's place in its mailbox, 1-based, messages that could not be read counted;
        /// 1 for a lone message.
        public var number = 1

        public init(subject: String = "", from: String = "", to: String = "", date: String = "", body: String = "",
                    skippedAttachments: Int = 0, attachments: [Attachment] = []) {
            self.subject = subject
            self.from = from
            self.to = to
            self.date = date
            self.body = body
            self.skippedAttachments = skippedAttachments
            self.attachments = attachments
        }
    }

    /// Multiparts (and forwarded messages) nested deeper than this are refused.
    public static let maxNesting = 20
    /// Messages with more MIME parts than this are refused.
    public static let maxParts = 1_000
    /// Mailboxes with more messages than this are refused.
    public static let maxMessages = 100_000
    /// The attachment file-name extensions whose bytes are kept (lower-case, no dot).
    public static let readableExtensions: Set<String> = ["docx", "docm", "pptx", "pptm", "odt", "odp", "epub", "rtf",
                                                         "txt", "md", "markdown", "html", "htm"]

    // MARK: - Public entry points

    /// Parses one RFC 5322 / MIME message.
    public static func message(_ data: Data) throws(DocumentFormatError) -> Message {
        try parse([UInt8](data))
    }

    /// Markdown-shaped text for indexing: a `# Subject` heading (`# (no subject)` without one),
    /// then `From:`, `To:` and `Date:` lines (those with a value), a blank line, and the body.
    public static func text(of message: Message) -> String {
        var out = "# " + (message.subject.isEmpty ? "(no subject)" : message.subject)
        var lines: [String] = []
        if !message.from.isEmpty { lines.append("From: " + message.from) }
        if !message.to.isEmpty { lines.append("To: " + message.to) }
        if !message.date.isEmpty { lines.append("Date: " + message.date) }
        if !lines.isEmpty { out += "\n\n" + lines.joined(separator: "\n") }
        let body = message.body.trimmingCharacters(in: .whitespacesAndNewlines)
        if !body.isEmpty { out += "\n\n" + body }
        return out
    }

    /// Splits an mbox into its messages and parses each. A message starts at a line beginning
    /// with `From ` at the start of the file or after a blank line; `>From ` lines in it are
    /// unescaped (mboxrd: one `>` is removed from `>…>From `). A message that cannot be parsed is
    /// skipped and the rest returned; only when every one fails is the first failure thrown.
    public static func mbox(_ data: Data) throws(DocumentFormatError) -> [Message] {
        let b = [UInt8](data)
        let n = b.count
        var starts: [Int] = []
        var p = 0
        var previousBlank = true
        while p < n {
            let lineEnd = b[p...].firstIndex(of: lf) ?? n
            if previousBlank && hasPrefix(b, at: p, fromSpace) {
                starts.append(p)
                if starts.count > maxMessages { throw .refused("more than \(maxMessages) messages in the mailbox") }
            }
            var contentEnd = lineEnd
            if contentEnd > p && b[contentEnd - 1] == cr { contentEnd -= 1 }
            previousBlank = contentEnd == p
            p = lineEnd + 1
        }
        // Text before the first "From " line (a mailbox that does not start with one) is read as a message too.
        var segments: [Range<Int>] = []
        let firstStart = starts.first ?? n
        if b[0..<firstStart].contains(where: { !isWhitespace($0) }) { segments.append(0..<firstStart) }
        for (i, start) in starts.enumerated() { segments.append(start..<(i + 1 < starts.count ? starts[i + 1] : n)) }

        var messages: [Message] = []
        var firstError: DocumentFormatError?
        for (index, segment) in segments.enumerated() {
            do {
                var message = try parse(unescapeFromLines(b, segment))
                message.number = index + 1
                messages.append(message)
            } catch {
                if firstError == nil { firstError = error }
            }
        }
        if messages.isEmpty, let firstError { throw firstError }
        return messages
    }

    // MARK: - Message structure

    static func parse(_ b: [UInt8]) throws(DocumentFormatError) -> Message {
        guard b.contains(where: { !isWhitespace($0) }) else { throw .malformed("empty message") }
        let (headers, body) = splitHeaders(b, 0..<b.count)
        guard headers.count > 0 else { throw .malformed("no header lines") }
        var walker = Walker()
        try walker.walk(b, headers, body, depth: 0, defaultType: "text/plain")
        return Message(subject: headerText(headers[.subject]), from: headerText(headers[.from]),
                       to: headerText(headers[.to]), date: headerText(headers[.date]),
                       body: walker.body, skippedAttachments: walker.skipped, attachments: walker.attachments)
    }

    /// The headers this reader uses; others are passed over without being stored, so a message
    /// of millions of header lines costs no memory.
    enum HeaderKey: Int, CaseIterable {
        case contentType, transferEncoding, disposition, subject, from, to, date

        init?(name: ArraySlice<UInt8>) {
            switch name.count {
            case 2, 4, 7, 12, 19, 25: break
            default: return nil
            }
            switch String(decoding: name, as: UTF8.self).lowercased() {
            case "content-type": self = .contentType
            case "content-transfer-encoding": self = .transferEncoding
            case "content-disposition": self = .disposition
            case "subject": self = .subject
            case "from": self = .from
            case "to": self = .to
            case "date": self = .date
            default: return nil
            }
        }
    }

    /// The first value of each header this reader uses, unfolded (line breaks removed), raw bytes.
    struct Headers {
        var values = [[UInt8]?](repeating: nil, count: HeaderKey.allCases.count)
        /// How many header fields there were, used or not.
        var count = 0
        subscript(_ key: HeaderKey) -> [UInt8]? { values[key.rawValue] }
    }

    /// Splits an entity into its headers and the range of its body. The headers end at the first
    /// empty line; a line that is neither a header field nor a continuation starts the body early
    /// (damaged input); with no such line the whole range is headers. A leading mbox `From ` line
    /// is passed over.
    static func splitHeaders(_ b: [UInt8], _ range: Range<Int>) -> (Headers, Range<Int>) {
        var headers = Headers()
        var current: HeaderKey?
        var inField = false
        var p = range.lowerBound
        let end = range.upperBound
        while p < end {
            let lineEnd = b[p..<end].firstIndex(of: lf) ?? end
            var contentEnd = lineEnd
            if contentEnd > p && b[contentEnd - 1] == cr { contentEnd -= 1 }
            let next = min(lineEnd + 1, end)
            if contentEnd == p { return (headers, next..<end) }
            let first = b[p]
            if first == space || first == tab {
                if inField {
                    if let current { headers.values[current.rawValue]?.append(contentsOf: b[p..<contentEnd]) }
                    p = next
                    continue
                }
                return (headers, p..<end)
            }
            if let colon = b[p..<contentEnd].firstIndex(of: colonByte) {
                var nameEnd = colon
                while nameEnd > p && (b[nameEnd - 1] == space || b[nameEnd - 1] == tab) { nameEnd -= 1 }
                let name = b[p..<nameEnd]
                if !name.isEmpty && name.allSatisfy({ $0 > 32 && $0 < 127 }) {
                    headers.count += 1
                    inField = true
                    current = HeaderKey(name: name)
                    if let key = current {
                        if headers.values[key.rawValue] == nil {
                            headers.values[key.rawValue] = Array(b[(colon + 1)..<contentEnd])
                        } else {
                            current = nil  // a repeated field: the first one counts
                        }
                    }
                    p = next
                    continue
                }
            }
            if p == range.lowerBound && hasPrefix(b, at: p, fromSpace) {
                p = next
                continue
            }
            return (headers, p..<end)
        }
        return (headers, end..<end)
    }

    /// Walks the MIME tree, collecting text pieces and attachments.
    struct Walker {
        var texts: [String] = []
        var attachments: [Attachment] = []
        var skipped = 0
        var parts = 0

        var body: String {
            texts.filter { !$0.isEmpty }.joined(separator: "\n\n")
        }

        mutating func walk(_ b: [UInt8], _ headers: Headers, _ body: Range<Int>, depth: Int,
                           defaultType: String) throws(DocumentFormatError) {
            parts += 1
            if parts > EmailText.maxParts { throw .refused("more than \(EmailText.maxParts) MIME parts") }
            var type = EmailText.field(headers[.contentType])
            if !type.value.contains("/") { type = EmailText.field(Array(defaultType.utf8)) }
            let slash = type.value.firstIndex(of: "/")!
            let major = type.value[..<slash]
            let minor = type.value[type.value.index(after: slash)...]
            let disposition = EmailText.field(headers[.disposition])
            let encoding = EmailText.field(headers[.transferEncoding]).value

            if major == "multipart" {
                guard depth < EmailText.maxNesting else {
                    throw .refused("multiparts nested more than \(EmailText.maxNesting) deep")
                }
                guard let boundary = type.params["boundary"], !boundary.isEmpty,
                      let ranges = try EmailText.multipartBodies(b, body, boundary: boundary, budget: EmailText.maxParts - parts)
                else {
                    // No boundary, or none found in the body: read it as plain text rather than lose it.
                    try text(b, body, encoding: encoding, charset: nil, html: false)
                    return
                }
                let childType = minor == "digest" ? "message/rfc822" : "text/plain"
                if minor == "alternative" {
                    try alternative(b, ranges, depth: depth + 1, defaultType: childType)
                } else {
                    for range in ranges {
                        let (childHeaders, childBody) = EmailText.splitHeaders(b, range)
                        try walk(b, childHeaders, childBody, depth: depth + 1, defaultType: childType)
                    }
                }
                return
            }

            let fileName = EmailText.paramText(disposition.params["filename"]) ?? EmailText.paramText(type.params["name"])
            if disposition.value == "attachment" || !(fileName ?? "").isEmpty {
                try attachment(b, body, fileName: fileName ?? "", contentType: type.value, encoding: encoding)
                return
            }
            if major == "message" && (minor == "rfc822" || minor == "global") {
                guard depth < EmailText.maxNesting else {
                    throw .refused("messages nested more than \(EmailText.maxNesting) deep")
                }
                let inner: [UInt8]
                let innerRange: Range<Int>
                if encoding == "base64" || encoding == "quoted-printable" {
                    inner = try EmailText.transferDecode(b, body, encoding: encoding)
                    innerRange = 0..<inner.count
                } else {
                    inner = b
                    innerRange = body
                }
                try forwarded(inner, innerRange, depth: depth + 1)
                return
            }
            if major == "text" && (minor == "plain" || minor == "html" || minor == "markdown" || minor == "x-markdown") {
                try text(b, body, encoding: encoding, charset: type.params["charset"], html: minor == "html")
            }
            // Any other nameless part (inline image, signature, calendar data) is not text to index.
        }

        /// `multipart/alternative`: the first `text/plain` part with text, else the richest
        /// (last) other part with text.
        mutating func alternative(_ b: [UInt8], _ ranges: [Range<Int>], depth: Int, defaultType: String) throws(DocumentFormatError) {
            var children: [(Headers, Range<Int>)] = []
            var plain: [Int] = []
            var other: [Int] = []
            for range in ranges {
                let child = EmailText.splitHeaders(b, range)
                let type = EmailText.field(child.0[.contentType]).value
                if type == "text/plain" || (!type.contains("/") && defaultType == "text/plain") {
                    plain.append(children.count)
                } else {
                    other.append(children.count)
                }
                children.append(child)
            }
            for index in plain + other.reversed() {
                let saved = (texts, attachments, skipped)
                texts = []
                try walk(b, children[index].0, children[index].1, depth: depth, defaultType: defaultType)
                let found = texts.filter { !$0.isEmpty }
                if !found.isEmpty {
                    texts = saved.0 + found
                    return
                }
                (texts, attachments, skipped) = saved
            }
        }

        mutating func text(_ b: [UInt8], _ body: Range<Int>, encoding: String, charset: [UInt8]?, html: Bool) throws(DocumentFormatError) {
            let raw = try EmailText.transferDecode(b, body, encoding: encoding)
            let charsetName = charset.map { String(decoding: $0, as: UTF8.self) } ?? ""
            var s = EmailText.decode(EmailText.normalizeLineBreaks(raw), charset: charsetName)
            if s.unicodeScalars.first == "\u{FEFF}" { s.unicodeScalars.removeFirst() }
            if html { s = HTMLText.extract(EmailText.htmlBody(s)) }
            texts.append(s.trimmingCharacters(in: .whitespacesAndNewlines))
        }

        mutating func attachment(_ b: [UInt8], _ body: Range<Int>, fileName: String, contentType: String, encoding: String) throws(DocumentFormatError) {
            var name = Substring(fileName)
            if let cut = name.lastIndex(where: { $0 == "/" || $0 == "\\" }) { name = name[name.index(after: cut)...] }
            let ext = name.lastIndex(of: ".").map { name[name.index(after: $0)...].lowercased() } ?? ""
            guard EmailText.readableExtensions.contains(ext) else {
                skipped += 1
                return
            }
            let data = try EmailText.transferDecode(b, body, encoding: encoding)
            attachments.append(Attachment(fileName: String(name), contentType: contentType, data: Data(data)))
        }

        /// A forwarded message, kept inline: its headers as lines, then its body.
        mutating func forwarded(_ b: [UInt8], _ range: Range<Int>, depth: Int) throws(DocumentFormatError) {
            let (headers, body) = EmailText.splitHeaders(b, range)
            let saved = texts
            texts = []
            try walk(b, headers, body, depth: depth, defaultType: "text/plain")
            let innerBody = self.body
            texts = saved
            var lines: [String] = []
            for (label, key) in [("Subject", HeaderKey.subject), ("From", .from), ("To", .to), ("Date", .date)] {
                let value = EmailText.headerText(headers[key])
                if !value.isEmpty { lines.append(label + ": " + value) }
            }
            var block = lines.joined(separator: "\n")
            if !innerBody.isEmpty { block += block.isEmpty ? innerBody : "\n\n" + innerBody }
            texts.append(block)
        }
    }

    /// The bodies of a multipart's parts, between `--boundary` lines; the preamble and the
    /// epilogue after `--boundary--` are dropped. A missing closing line ends the last part at the
    /// end of the body. Nil when no boundary line is found at all.
    static func multipartBodies(_ b: [UInt8], _ range: Range<Int>, boundary: [UInt8], budget: Int) throws(DocumentFormatError) -> [Range<Int>]? {
        let delimiter = [dash, dash] + boundary
        var parts: [Range<Int>] = []
        var partStart: Int?
        var found = false
        var p = range.lowerBound
        let end = range.upperBound
        while p < end {
            let lineEnd = b[p..<end].firstIndex(of: lf) ?? end
            if b[p] == dash && hasPrefix(b, at: p, delimiter) && p + delimiter.count <= lineEnd {
                let after = p + delimiter.count
                let closing = after + 1 < lineEnd && b[after] == dash && b[after + 1] == dash
                // Only whitespace may follow a delimiter: "--abc-1" is not a line of boundary "abc".
                if closing || b[after..<lineEnd].allSatisfy({ isWhitespace($0) }) {
                    found = true
                    if let start = partStart {
                        var partEnd = p
                        if partEnd > start && b[partEnd - 1] == lf { partEnd -= 1 }
                        if partEnd > start && b[partEnd - 1] == cr { partEnd -= 1 }
                        parts.append(start..<max(start, partEnd))
                        if parts.count > budget { throw .refused("more than \(maxParts) MIME parts") }
                    }
                    if closing { return parts }
                    partStart = min(lineEnd + 1, end)
                }
            }
            p = lineEnd + 1
        }
        guard found else { return nil }
        if let start = partStart { parts.append(start..<end) }
        if parts.count > budget { throw .refused("more than \(maxParts) MIME parts") }
        return parts
    }

    /// The part of an HTML document inside `<body>`, so the `<title>` is not read as body text.
    static func htmlBody(_ html: String) -> String {
        guard let open = html.range(of: "<body", options: .caseInsensitive) else { return html }
        let rest = html[open.lowerBound...]
        let close = rest.range(of: "</body>", options: [.caseInsensitive, .backwards])
        return String(close.map { rest[..<$0.upperBound] } ?? rest)
    }

    // MARK: - Header fields

    /// A structured field (`Content-Type`, `Content-Disposition`): its value lower-cased, and its
    /// parameters (names lower-cased; values unquoted, RFC 2231 continuations and `charset''`
    /// encodings put together, as UTF-8 bytes).
    struct Field {
        var value: String
        var params: [String: [UInt8]]
    }

    static func field(_ raw: [UInt8]?) -> Field {
        guard let s = raw else { return Field(value: "", params: [:]) }
        let n = s.count
        var i = 0
        while i < n && s[i] != semicolon { i += 1 }
        let value = String(decoding: trimmed(s[0..<i]), as: UTF8.self).lowercased()
        var plain: [String: [UInt8]] = [:]
        var extended: [String: [(index: Int, encoded: Bool, value: [UInt8])]] = [:]
        while i < n {
            i += 1  // the ';'
            while i < n && isWhitespace(s[i]) { i += 1 }
            let nameStart = i
            while i < n && s[i] != equals && s[i] != semicolon { i += 1 }
            let name = String(decoding: trimmed(s[nameStart..<i]), as: UTF8.self).lowercased()
            var parameter: [UInt8] = []
            if i < n && s[i] == equals {
                i += 1
                while i < n && isWhitespace(s[i]) { i += 1 }
                if i < n && s[i] == quote {
                    i += 1
                    while i < n && s[i] != quote {
                        if s[i] == backslash && i + 1 < n { i += 1 }
                        parameter.append(s[i])
                        i += 1
                    }
                    while i < n && s[i] != semicolon { i += 1 }  // past the closing quote
                } else {
                    let valueStart = i
                    while i < n && s[i] != semicolon { i += 1 }
                    parameter = Array(trimmed(s[valueStart..<i]))
                }
            }
            guard !name.isEmpty else { continue }
            if let star = name.firstIndex(of: "*") {
                // RFC 2231: name*=charset'lang'%xx, name*0=…, name*1*=%xx…
                let base = String(name[..<star])
                var rest = name[name.index(after: star)...]
                let encoded = rest.isEmpty || rest.hasSuffix("*")
                if rest.hasSuffix("*") { rest = rest.dropLast() }
                guard let index = rest.isEmpty ? 0 : Int(rest), index >= 0, index < 1_000 else { continue }
                if extended[base, default: []].count < 100 { extended[base, default: []].append((index, encoded, parameter)) }
            } else if plain[name] == nil {
                plain[name] = parameter
            }
        }
        for (base, segments) in extended {
            var bytes: [UInt8] = []
            var charset = "utf-8"
            for (position, segment) in segments.sorted(by: { $0.index < $1.index }).enumerated() {
                guard segment.encoded else {
                    bytes += segment.value
                    continue
                }
                var text = segment.value[...]
                if position == 0, let q1 = text.firstIndex(of: apostrophe), let q2 = text[(q1 + 1)...].firstIndex(of: apostrophe) {
                    let named = String(decoding: text[..<q1], as: UTF8.self)
                    if !named.isEmpty { charset = named }
                    text = text[(q2 + 1)...]
                }
                bytes += percentDecode(text)
            }
            plain[base] = Array(decode(bytes, charset: charset).utf8)
        }
        return Field(value: value, params: plain)
    }

    /// A parameter's text (a file name): raw 8-bit bytes read as UTF-8 (or Windows-1252), and
    /// RFC 2047 encoded-words decoded, as some mailers write them even there.
    static func paramText(_ raw: [UInt8]?) -> String? {
        guard let raw else { return nil }
        return headerText(raw)
    }

    /// A header's text: whitespace runs (the folds) made one space, RFC 2047 encoded-words
    /// decoded (adjacent ones joined without the whitespace between them), control characters
    /// made spaces, trimmed.
    static func headerText(_ raw: [UInt8]?) -> String {
        guard let raw else { return "" }
        var collapsed: [UInt8] = []
        collapsed.reserveCapacity(raw.count)
        var pendingSpace = false
        for c in raw {
            if c == space || c == tab || c == cr || c == lf {
                pendingSpace = !collapsed.isEmpty
            } else {
                if pendingSpace { collapsed.append(space); pendingSpace = false }
                collapsed.append(c)
            }
        }
        var s = decodeEncodedWords(collapsed)
        if s.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            var scalars = String.UnicodeScalarView()
            for scalar in s.unicodeScalars { scalars.append(scalar.value < 0x20 || scalar.value == 0x7F ? " " : scalar) }
            s = String(scalars)
        }
        return s.trimmingCharacters(in: .whitespaces)
    }

    /// Decodes RFC 2047 encoded-words (`=?charset?B|Q?text?=`) among plain text. The bytes of
    /// adjacent encoded-words in one charset are joined before decoding, so a character split
    /// across two words survives.
    static func decodeEncodedWords(_ s: [UInt8]) -> String {
        var out = ""
        var literal: [UInt8] = []
        var pending: (charset: String, bytes: [UInt8])?
        var afterWord = false
        func flushPending() {
            if let word = pending { out += decode(word.bytes, charset: word.charset) }
            pending = nil
        }
        var i = 0
        while i < s.count {
            if s[i] == equals, i + 1 < s.count, s[i + 1] == questionMark, let word = encodedWord(s, at: i) {
                if afterWord && literal.allSatisfy({ $0 == space || $0 == tab }) { literal.removeAll() }
                if !literal.isEmpty {
                    flushPending()
                    out += rawText(literal)
                    literal.removeAll()
                }
                if pending?.charset == word.charset {
                    pending!.bytes += word.bytes
                } else {
                    flushPending()
                    pending = (word.charset, word.bytes)
                }
                afterWord = true
                i = word.next
                continue
            }
            literal.append(s[i])
            i += 1
        }
        flushPending()
        if !literal.isEmpty { out += rawText(literal) }
        return out
    }

    /// One encoded-word starting at `start` (`=?`), or nil when it is not one.
    static func encodedWord(_ s: [UInt8], at start: Int) -> (charset: String, bytes: [UInt8], next: Int)? {
        var i = start + 2
        let charsetStart = i
        while i < s.count && s[i] != questionMark {
            if s[i] <= space || s[i] >= 127 || i - charsetStart > 64 { return nil }
            i += 1
        }
        guard i + 2 < s.count, i > charsetStart, s[i + 2] == questionMark else { return nil }
        var charset = String(decoding: s[charsetStart..<i], as: UTF8.self).lowercased()
        if let star = charset.firstIndex(of: "*") { charset = String(charset[..<star]) }  // RFC 2231 language
        let kind = s[i + 1] | 0x20
        guard kind == UInt8(ascii: "b") || kind == UInt8(ascii: "q") else { return nil }
        let textStart = i + 3
        var j = textStart
        while j < s.count && s[j] != questionMark {
            if s[j] == space || s[j] == tab { return nil }
            j += 1
        }
        guard j + 1 < s.count, s[j + 1] == equals else { return nil }
        let text = s[textStart..<j]
        let bytes: [UInt8]
        if kind == UInt8(ascii: "b") {
            guard let decoded = base64(text) else { return nil }
            bytes = decoded
        } else {
            var q: [UInt8] = []
            q.reserveCapacity(text.count)
            var k = textStart
            while k < j {
                let c = s[k]
                if c == underscore {
                    q.append(space)
                } else if c == equals, k + 2 < j, let hi = hexValue(s[k + 1]), let lo = hexValue(s[k + 2]) {
                    q.append(hi << 4 | lo)
                    k += 2
                } else {
                    q.append(c)
                }
                k += 1
            }
            bytes = q
        }
        return (charset, bytes, j + 2)
    }

    // MARK: - Transfer encodings

    static func transferDecode(_ b: [UInt8], _ range: Range<Int>, encoding: String) throws(DocumentFormatError) -> [UInt8] {
        switch encoding {
        case "base64":
            guard let decoded = base64(b[range]) else { throw .malformed("invalid base64") }
            return decoded
        case "quoted-printable":
            return quotedPrintable(b[range])
        default:
            return Array(b[range])
        }
    }

    /// Base64 with whitespace ignored and padding optional; anything else outside the alphabet,
    /// or a lone trailing character, is nil. Data after padding starts a new run (some mailers
    /// join encoded blocks).
    static func base64(_ s: ArraySlice<UInt8>) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(s.count / 4 * 3 + 3)
        var accumulator: UInt32 = 0
        var count = 0
        let table = base64Table
        for c in s {
            let v = table[Int(c)]
            if v < 64 {
                accumulator = accumulator << 6 | UInt32(v)
                count += 1
                if count == 4 {
                    out.append(UInt8(truncatingIfNeeded: accumulator >> 16))
                    out.append(UInt8(truncatingIfNeeded: accumulator >> 8))
                    out.append(UInt8(truncatingIfNeeded: accumulator))
                    accumulator = 0
                    count = 0
                }
            } else if v == 64 {  // '='
                switch count {
                case 1: return nil
                case 2: out.append(UInt8(truncatingIfNeeded: accumulator >> 4))
                case 3:
                    out.append(UInt8(truncatingIfNeeded: accumulator >> 10))
                    out.append(UInt8(truncatingIfNeeded: accumulator >> 2))
                default: break
                }
                accumulator = 0
                count = 0
            } else if v != 65 {  // not whitespace
                return nil
            }
        }
        switch count {
        case 1: return nil
        case 2: out.append(UInt8(truncatingIfNeeded: accumulator >> 4))
        case 3:
            out.append(UInt8(truncatingIfNeeded: accumulator >> 10))
            out.append(UInt8(truncatingIfNeeded: accumulator >> 2))
        default: break
        }
        return out
    }

    /// 0–63 for the alphabet, 64 for '=', 65 for whitespace, 255 for anything else.
    static let base64Table: [UInt8] = {
        var table = [UInt8](repeating: 255, count: 256)
        for (i, c) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() { table[Int(c)] = UInt8(i) }
        table[Int(equals)] = 64
        for c in [space, tab, cr, lf, 0x0B, 0x0C] { table[Int(c)] = 65 }
        return table
    }()

    /// Quoted-printable: `=HH` is a byte, `=` at the end of a line (trailing blanks allowed) is a
    /// soft line break; a stray `=` is kept as it is.
    static func quotedPrintable(_ s: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(s.count)
        var i = s.startIndex
        let end = s.endIndex
        while i < end {
            let c = s[i]
            guard c == equals else {
                out.append(c)
                i += 1
                continue
            }
            var j = i + 1
            while j < end && (s[j] == space || s[j] == tab) { j += 1 }
            if j == end { break }
            if s[j] == lf { i = j + 1; continue }
            if s[j] == cr { i = j + 1 < end && s[j + 1] == lf ? j + 2 : j + 1; continue }
            if i + 2 < end, let hi = hexValue(s[i + 1]), let lo = hexValue(s[i + 2]) {
                out.append(hi << 4 | lo)
                i += 3
                continue
            }
            out.append(c)
            i += 1
        }
        return out
    }

    // MARK: - Charsets

    /// Text from bytes in a MIME charset: UTF-8 (invalid sequences replaced); US-ASCII and no
    /// charset as UTF-8 when valid, else Windows-1252 (8-bit mail that did not say so);
    /// ISO-8859-1 as Windows-1252, its superset in the printable range (as browsers do);
    /// ISO-8859-15; Windows-1250/1251, ISO-8859-2, Shift_JIS and ISO-2022-JP through Foundation.
    /// Any other charset is read as UTF-8 with replacement characters.
    static func decode(_ bytes: [UInt8], charset: String) -> String {
        if !bytes.contains(where: { $0 >= 0x80 || $0 == 0x1B }) { return String(decoding: bytes, as: UTF8.self) }
        let name = charset.trimmingCharacters(in: CharacterSet(charactersIn: "\"' \t")).lowercased()
        switch name {
        case "utf-8", "utf8":
            return String(decoding: bytes, as: UTF8.self)
        case "", "us-ascii", "ascii", "ansi_x3.4-1968":
            return utf8IfValid(bytes) ?? singleByte(bytes, cp1252High)
        case "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1", "l1", "iso-ir-100", "cp819", "ibm819",
             "windows-1252", "cp1252", "x-cp1252":
            return singleByte(bytes, cp1252High)
        case "iso-8859-15", "iso8859-15", "iso_8859-15", "latin-9", "latin9", "l9":
            return singleByte(bytes, latin9High)
        case "windows-1250", "cp1250", "x-cp1250":
            return String(bytes: bytes, encoding: .windowsCP1250) ?? singleByte(bytes, cp1252High)
        case "windows-1251", "cp1251", "x-cp1251":
            return String(bytes: bytes, encoding: .windowsCP1251) ?? singleByte(bytes, cp1252High)
        case "iso-8859-2", "iso8859-2", "iso_8859-2", "latin2", "latin-2", "l2":
            return String(bytes: bytes, encoding: .isoLatin2) ?? singleByte(bytes, cp1252High)
        case "shift_jis", "shift-jis", "sjis", "x-sjis", "cp932", "windows-31j", "ms_kanji":
            return String(bytes: bytes, encoding: .shiftJIS) ?? String(decoding: bytes, as: UTF8.self)
        case "iso-2022-jp", "csiso2022jp":
            return String(bytes: bytes, encoding: .iso2022JP) ?? String(decoding: bytes, as: UTF8.self)
        default:
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    /// Header bytes outside encoded-words: UTF-8 when valid (RFC 6532), else Windows-1252.
    static func rawText(_ bytes: [UInt8]) -> String {
        utf8IfValid(bytes) ?? singleByte(bytes, cp1252High)
    }

    static func utf8IfValid(_ bytes: [UInt8]) -> String? {
        let s = String(decoding: bytes, as: UTF8.self)
        return s.utf8.elementsEqual(bytes) ? s : nil
    }

    /// A single-byte charset: bytes below 0x80 are ASCII, the others looked up in `high`.
    static func singleByte(_ bytes: [UInt8], _ high: [UInt32]) -> String {
        var utf8: [UInt8] = []
        utf8.reserveCapacity(bytes.count + bytes.count / 2)
        for c in bytes {
            if c < 0x80 {
                utf8.append(c)
                continue
            }
            let v = high[Int(c) - 0x80]
            if v < 0x800 {
                utf8.append(UInt8(0xC0 | v >> 6))
                utf8.append(UInt8(0x80 | v & 0x3F))
            } else {
                utf8.append(UInt8(0xE0 | v >> 12))
                utf8.append(UInt8(0x80 | v >> 6 & 0x3F))
                utf8.append(UInt8(0x80 | v & 0x3F))
            }
        }
        return String(decoding: utf8, as: UTF8.self)
    }

    /// Windows-1252 for 0x80–0xFF (the five unassigned bytes stay C1 controls, as browsers read them).
    static let cp1252High: [UInt32] = {
        var table = (0x80...0xFF).map { UInt32($0) }
        let c1: [UInt32] = [0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
                            0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178]
        for (i, v) in c1.enumerated() { table[i] = v }
        return table
    }()

    /// ISO-8859-15: Latin-1 with eight code points changed (the euro sign among them).
    static let latin9High: [UInt32] = {
        var table = (0x80...0xFF).map { UInt32($0) }
        for (byte, v) in [(0xA4, 0x20AC), (0xA6, 0x0160), (0xA8, 0x0161), (0xB4, 0x017D), (0xB8, 0x017E), (0xBC, 0x0152), (0xBD, 0x0153), (0xBE, 0x0178)] as [(Int, UInt32)] {
            table[byte - 0x80] = v
        }
        return table
    }()

    // MARK: - Bytes

    /// CRLF and lone CR become LF.
    static func normalizeLineBreaks(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.contains(cr) else { return bytes }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            let c = bytes[i]
            if c == cr {
                out.append(lf)
                if i + 1 < bytes.count && bytes[i + 1] == lf { i += 1 }
            } else {
                out.append(c)
            }
            i += 1
        }
        return out
    }

    /// One mbox message's bytes with mboxrd quoting undone: a line `>…>From ` loses one `>`.
    static func unescapeFromLines(_ b: [UInt8], _ range: Range<Int>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(range.count)
        var p = range.lowerBound
        while p < range.upperBound {
            let lineEnd = b[p..<range.upperBound].firstIndex(of: lf).map { $0 + 1 } ?? range.upperBound
            var start = p
            if b[p] == greaterThan {
                var q = p
                while q < lineEnd && b[q] == greaterThan { q += 1 }
                if hasPrefix(b, at: q, fromSpace) && q + fromSpace.count <= lineEnd { start = p + 1 }
            }
            out.append(contentsOf: b[start..<lineEnd])
            p = lineEnd
        }
        return out
    }

    static func percentDecode(_ s: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        var i = s.startIndex
        while i < s.endIndex {
            if s[i] == percent, i + 2 < s.endIndex, let hi = hexValue(s[i + 1]), let lo = hexValue(s[i + 2]) {
                out.append(hi << 4 | lo)
                i += 3
            } else {
                out.append(s[i])
                i += 1
            }
        }
        return out
    }

    static func hasPrefix(_ b: [UInt8], at p: Int, _ prefix: [UInt8]) -> Bool {
        guard p >= 0, p + prefix.count <= b.count else { return false }
        for k in 0..<prefix.count where b[p + k] != prefix[k] { return false }
        return true
    }

    static func trimmed(_ s: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var lower = s.startIndex
        var upper = s.endIndex
        while lower < upper && isWhitespace(s[lower]) { lower += 1 }
        while upper > lower && isWhitespace(s[upper - 1]) { upper -= 1 }
        return s[lower..<upper]
    }

    static func isWhitespace(_ c: UInt8) -> Bool { c == space || c == tab || c == cr || c == lf }

    static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        default: return nil
        }
    }

    static let lf = UInt8(ascii: "\n")
    static let cr = UInt8(ascii: "\r")
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")
    static let colonByte = UInt8(ascii: ":")
    static let semicolon = UInt8(ascii: ";")
    static let equals = UInt8(ascii: "=")
    static let quote = UInt8(ascii: "\"")
    static let apostrophe = UInt8(ascii: "'")
    static let backslash = UInt8(ascii: "\\")
    static let questionMark = UInt8(ascii: "?")
    static let underscore = UInt8(ascii: "_")
    static let dash = UInt8(ascii: "-")
    static let percent = UInt8(ascii: "%")
    static let greaterThan = UInt8(ascii: ">")
    static let fromSpace: [UInt8] = Array("From ".utf8)
}
