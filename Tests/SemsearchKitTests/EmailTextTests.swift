import Foundation
import SemsearchKit
import Testing
import SemsearchTestSupport

/// The e-mail reader against messages written by a real tool (Python's `email` and `mailbox`
/// packages), plus hostile input: deep nesting, too many parts, random bytes.
@Suite struct EmailTextTests {
    static let subject = "Café résumé — naïve ☕ déjà vu, a subject long enough that Python folds it over lines"
    static let plainBody = "Grüße aus Köln!\n" + String(repeating: "Übermäßig lange Zeile ", count: 10) + "Ende.\n\n> quoted reply line\n> noch eine"
    static let notes: [UInt8] = Array("Notizen: Übung macht den Meister.\nline two\n".utf8)

    /// A multipart/mixed message: text/plain (quoted-printable) and text/html (base64) as
    /// alternatives, then `a.bin` and `notes.txt` attachments.
    static let writeMessage = """
    from email.message import EmailMessage
    import mailbox

    def rich():
        msg = EmailMessage()
        msg['Subject'] = \(pythonString(subject))
        msg['From'] = 'Zoë Müller <zoe@example.com>'
        msg['To'] = 'Bob <bob@example.com>, Ann <ann@example.com>'
        msg['Date'] = 'Tue, 01 Apr 2025 10:00:00 +0000'
        msg.set_content(\(pythonString(plainBody)), cte='quoted-printable')
        msg.add_alternative('<html><head><title>T</title></head><body><p>Nur die <b>HTML</b> Fassung</p></body></html>', subtype='html', cte='base64')
        msg.add_attachment(bytes(range(256)), maintype='application', subtype='octet-stream', filename='a.bin')
        msg.add_attachment(bytes(\(notes)), maintype='text', subtype='plain', filename='notes.txt')
        return msg

    with open('rich.eml', 'wb') as f:
        f.write(rich().as_bytes())

    latin = EmailMessage()
    latin['Subject'] = 'Ça va?'
    latin['From'] = 'ann@example.com'
    latin.set_content('Hello,\\n\\nFrom the desk of Ann: ça va?\\nbye\\n', charset='iso-8859-1', cte='quoted-printable')

    cyrillic = EmailMessage()
    cyrillic['Subject'] = 'Привет'
    cyrillic['From'] = 'ivan@example.com'
    cyrillic.set_content('Привет, мир', charset='windows-1251', cte='base64')

    html = EmailMessage()
    html['Subject'] = 'html only'
    html.set_content('<html><body><h1>Title</h1><p>Hello <b>world</b> &amp; all</p></body></html>', subtype='html')
    html.add_attachment(b'fake odt', maintype='application', subtype='vnd.oasis.opendocument.text', filename='Übersicht für 2025.odt')

    with open('html.eml', 'wb') as f:
        f.write(html.as_bytes())

    box = mailbox.mbox('box.mbox')
    for m in (rich(), latin, cyrillic):
        box.add(m)
    box.flush()
    box.close()
    """

    static func pythonString(_ s: String) -> String {
        "'" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'")
            .replacingOccurrences(of: "\n", with: "\\n") + "'"
    }

    func written() throws -> (dir: URL, cleanup: () -> Void) {
        let dir = try TestSupport.temporaryDirectory()
        try ExternalTool.python(Self.writeMessage, in: dir)
        return (dir, { try? FileManager.default.removeItem(at: dir) })
    }

    @Test func readsAMessageWrittenByPython() throws {
        let (dir, cleanup) = try written()
        defer { cleanup() }
        let raw = try Data(contentsOf: dir.appendingPathComponent("rich.eml"))
        #expect(String(decoding: raw, as: UTF8.self).contains("=?utf-8?"), "Python encodes the subject as RFC 2047")
        let message = try EmailText.message(raw)
        #expect(message.subject == Self.subject)
        #expect(message.from == "Zoë Müller <zoe@example.com>")
        #expect(message.to == "Bob <bob@example.com>, Ann <ann@example.com>")
        #expect(message.date == "Tue, 01 Apr 2025 10:00:00 +0000")
        #expect(message.body == Self.plainBody, "text/plain is preferred over text/html")
        #expect(!message.body.contains("HTML"))
        #expect(message.skippedAttachments == 1)
        #expect(message.attachments.count == 1)
        #expect(message.attachments.first?.fileName == "notes.txt")
        #expect(message.attachments.first?.contentType == "text/plain")
        #expect(message.attachments.first?.data == Data(Self.notes))

        let text = EmailText.text(of: message)
        #expect(text == "# \(Self.subject)\n\nFrom: Zoë Müller <zoe@example.com>\nTo: Bob <bob@example.com>, Ann <ann@example.com>\n"
            + "Date: Tue, 01 Apr 2025 10:00:00 +0000\n\n" + Self.plainBody.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(text.contains("\n> quoted reply line\n"))
    }

    @Test func htmlOnlyBodyBecomesText() throws {
        let (dir, cleanup) = try written()
        defer { cleanup() }
        let message = try EmailText.message(Data(contentsOf: dir.appendingPathComponent("html.eml")))
        #expect(message.subject == "html only")
        #expect(message.body.contains("# Title"))
        #expect(message.body.contains("Hello world & all"))
        #expect(!message.body.contains("<"))
        #expect(EmailText.text(of: message).hasPrefix("# html only\n\n"))
        // Python writes the non-ASCII file name as an RFC 2231 parameter.
        #expect(message.attachments == [EmailText.Attachment(fileName: "Übersicht für 2025.odt",
                                                             contentType: "application/vnd.oasis.opendocument.text",
                                                             data: Data("fake odt".utf8))])
        #expect(message.skippedAttachments == 0)
    }

    @Test func forwardedMessageIsKeptInline() throws {
        let raw = """
        Subject: Fwd: plan
        Content-Type: multipart/mixed; boundary=outer

        --outer
        Content-Type: text/plain

        See below.
        --outer
        Content-Type: message/rfc822

        Subject: plan
        From: ann@example.com
        Content-Type: text/plain; charset=utf-8

        The plan is ready.
        --outer--
        """
        let message = try EmailText.message(Data(raw.utf8))
        #expect(message.body == "See below.\n\nSubject: plan\nFrom: ann@example.com\n\nThe plan is ready.")
    }

    @Test func readsAnMboxWrittenByPython() throws {
        let (dir, cleanup) = try written()
        defer { cleanup() }
        let raw = try Data(contentsOf: dir.appendingPathComponent("box.mbox"))
        #expect(String(decoding: raw, as: UTF8.self).contains("\n>From the desk of Ann"), "mailbox escapes From lines")
        let messages = try EmailText.mbox(raw)
        try #require(messages.count == 3)
        #expect(messages.map(\.subject) == [Self.subject, "Ça va?", "Привет"])
        #expect(messages[0].body == Self.plainBody)
        #expect(messages[0].attachments.first?.data == Data(Self.notes))
        #expect(messages[1].body == "Hello,\n\nFrom the desk of Ann: ça va?\nbye")
        #expect(messages[2].body == "Привет, мир")
        #expect(messages[2].from == "ivan@example.com")
    }

    @Test func encodedWordsAndCharsets() throws {
        let raw = """
        Subject: =?utf-8?B?SGVsbG8g?=   =?utf-8?Q?W=C3=B6rld?= and =?iso-8859-1?Q?caf=E9?=
        From: =?windows-1251?B?z/Do4uXy?= <p@example.com>
        To: a@example.com,
         b@example.com
        Content-Type: text/plain; charset="iso-8859-15"
        Content-Transfer-Encoding: quoted-printable

        Price: 5 =A4, soft=
         break
        """
        let message = try EmailText.message(Data(raw.utf8))
        #expect(message.subject == "Hello Wörld and café")
        #expect(message.from == "Привет <p@example.com>")
        #expect(message.to == "a@example.com, b@example.com")
        #expect(message.body == "Price: 5 €, soft break")
    }

    @Test func unknownCharsetAndMissingBlankLine() throws {
        let unknown = "Subject: x\nContent-Type: text/plain; charset=x-unknown\n\nok \u{00E9}"
        #expect(try EmailText.message(Data(unknown.utf8)).body == "ok é")
        let headersOnly = try EmailText.message(Data("Subject: only headers\r\nFrom: a@b".utf8))
        #expect(headersOnly.subject == "only headers")
        #expect(headersOnly.from == "a@b")
        #expect(headersOnly.body.isEmpty)
        #expect(EmailText.text(of: EmailText.Message(body: "b")) == "# (no subject)\n\nb")
    }

    @Test func missingClosingBoundaryKeepsTheLastPart() throws {
        let raw = "Subject: s\nContent-Type: multipart/mixed; boundary=\"b\"\n\npreamble\n--b\nContent-Type: text/plain\n\none\n--b\n\ntwo\n"
        #expect(try EmailText.message(Data(raw.utf8)).body == "one\n\ntwo")
    }

    @Test func invalidBase64IsMalformed() {
        let raw = "Subject: s\nContent-Transfer-Encoding: base64\n\n!!!not base64!!!\n"
        #expect(throws: DocumentFormatError.self) { try EmailText.message(Data(raw.utf8)) }
        do {
            _ = try EmailText.message(Data(raw.utf8))
        } catch {
            guard case .malformed = error else { Issue.record("expected .malformed, got \(error)"); return }
        }
    }

    @Test func mboxSkipsABrokenMessage() throws {
        let good = "From a@b Mon Jan  1 00:00:00 2024\nSubject: good\n\nbody\n\n"
        let bad = "From a@b Mon Jan  1 00:00:00 2024\nSubject: bad\nContent-Transfer-Encoding: base64\n\n!!!\n\n"
        let messages = try EmailText.mbox(Data((bad + good).utf8))
        #expect(messages.map(\.subject) == ["good"])
        #expect(throws: DocumentFormatError.self) { try EmailText.mbox(Data(bad.utf8)) }
        #expect(try EmailText.mbox(Data()).isEmpty)
    }

    static func nested(_ depth: Int) -> Data {
        var inner = "Content-Type: text/plain\r\n\r\ndeep\r\n"
        for level in 0..<depth {
            inner = "Content-Type: multipart/mixed; boundary=\"b\(level)\"\r\n\r\n--b\(level)\r\n\(inner)\r\n--b\(level)--\r\n"
        }
        return Data(("Subject: nested\r\n" + inner).utf8)
    }

    @Test func deepNestingIsRefused() throws {
        #expect(try EmailText.message(Self.nested(20)).body == "deep")
        do {
            _ = try EmailText.message(Self.nested(30))
            Issue.record("30 nested multiparts were read")
        } catch {
            guard case .refused = error else { Issue.record("expected .refused, got \(error)"); return }
        }
    }

    @Test func tooManyPartsAreRefused() {
        let parts = String(repeating: "--b\r\n\r\nx\r\n", count: 1_001)
        let raw = "Subject: many\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n" + parts + "--b--\r\n"
        do {
            _ = try EmailText.message(Data(raw.utf8))
            Issue.record("1,001 parts were read")
        } catch {
            guard case .refused = error else { Issue.record("expected .refused, got \(error)"); return }
        }
    }

    @Test func randomBytesNeverCrash() {
        var random = XorShift(seed: 0x9E37_79B9_7F4A_7C15)
        func next() -> UInt64 { random.next() }
        let pieces = ["\r\n", "\n", "\n\n", "--b", "--b--", ": ", "=?utf-8?B?", "=?iso-8859-1?Q?=E9", "?=", "=", "=\r\n", "=4",
                      "Content-Type: multipart/mixed; boundary=b\n", "Content-Type: multipart/alternative; boundary=b\n",
                      "Content-Type: message/rfc822\n", "Content-Transfer-Encoding: base64\n",
                      "Content-Transfer-Encoding: quoted-printable\n", "Content-Disposition: attachment; filename*0*=utf-8''a%",
                      "From ", ">From ", "Subject: ", "\"", ";", " ", "\t", "QUJD", "<p>", "&amp"]
        for _ in 0..<200 {
            var bytes: [UInt8] = []
            let length = Int(next() % 2_000)
            let structured = next() % 2 == 0
            while bytes.count < length {
                if structured && next() % 3 != 0 {
                    bytes += Array(pieces[Int(next() % UInt64(pieces.count))].utf8)
                } else {
                    bytes.append(UInt8(truncatingIfNeeded: next()))
                }
            }
            let data = Data(bytes)
            if let message = try? EmailText.message(data) { _ = EmailText.text(of: message) }
            _ = try? EmailText.mbox(data)
        }
    }
}

extension EmailTextTests {
    /// A mailbox locates each chunk by message, counted in the mailbox's order; a message that
    /// cannot be read keeps its number, so the next one is still the second.
    @Test func mboxLocatesChunksByMessage() throws {
        let (dir, cleanup) = try written()
        defer { cleanup() }
        let located = try DocumentFormat.mbox.read(try Data(contentsOf: dir.appendingPathComponent("box.mbox")))
        #expect(located.locations.unit == .message)
        for (phrase, message) in [("From the desk of Ann", 2), ("Привет, мир", 3)] {
            let found = try #require(located.text.range(of: phrase))
            let offset = located.text.utf8.distance(from: located.text.startIndex, to: found.lowerBound)
            #expect(located.locations.location(of: offset..<offset + 1) == DocumentLocation(unit: .message, start: message, end: message))
        }
        #expect(located.locations.location(of: 0..<1)?.start == 1)

        let good = "From a@b Mon Jan  1 00:00:00 2024\nSubject: good\n\nbody\n\n"
        let bad = "From a@b Mon Jan  1 00:00:00 2024\nSubject: bad\nContent-Transfer-Encoding: base64\n\n!!!\n\n"
        let skipped = try DocumentFormat.mbox.read(Data((bad + good).utf8))
        #expect(skipped.text.hasPrefix("# good") && skipped.locations.marks.map(\.number) == [2], "\(skipped)")
    }
}
