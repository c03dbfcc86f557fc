import Testing
import SemsearchTUI

/// Enter opens text in the editor at its line, and documents whose lines are those of their
/// extracted text with the desktop's opener.
@Suite struct EditorLauncherTests {
    @Test func documentsOpenWithTheDesktopAndTextInTheEditor() {
        for path in ["/d/report.docx", "/d/deck.PPTX", "/d/notes.odt", "/d/slides.odp", "/d/book.epub", "/d/memo.rtf",
                     "/d/mail.eml", "/d/archive.mbox", "/d/paper.pdf"] {
            #expect(EditorLauncher.opensWithDesktop(path), "\(path)")
        }
        for path in ["/d/notes.md", "/d/main.swift", "/d/page.html", "/d/README", "/d/report.docx.md"] {
            #expect(!EditorLauncher.opensWithDesktop(path), "\(path)")
        }
    }
}
