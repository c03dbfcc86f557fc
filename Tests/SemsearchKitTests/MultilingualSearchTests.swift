import Foundation
import Testing
import SemsearchKit
import SemsearchTestSupport

/// EmbeddingGemma end to end on a folder in three scripts: each document is found from a query in
/// another language, and the model reads all of it (no vocabulary warning).
@Suite(.enabled(if: GemmaSupport.available, GemmaSupport.skipReason), .serialized)
struct MultilingualSearchTests {
    static let documents: [(file: String, text: String)] = [
        ("rhine.md", "# The Rhine\n\nThe Rhine rises in the Swiss Alps and flows north through Germany and the Netherlands into the North Sea.\n"),
        ("cairo.md", "# القاهرة\n\nالقاهرة هي عاصمة جمهورية مصر العربية وأكبر مدنها، وتقع على ضفاف نهر النيل.\n"),
        ("tokyo.md", "# 東京\n\n東京は日本の首都であり、世界最大級の都市圏を形成している。\n"),
        ("bread.md", "# Pão caseiro\n\nPara fazer pão em casa, misture farinha, água, sal e fermento, deixe a massa crescer e asse no forno.\n"),
    ]

    @Test func findsEachDocumentFromAQueryInAnotherLanguage() throws {
        let model = try #require(GemmaSupport.imported)
        let root = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let docs = root.appendingPathComponent("docs")
        try FileManager.default.createDirectory(at: docs, withIntermediateDirectories: true)
        for document in Self.documents {
            try document.text.write(to: docs.appendingPathComponent(document.file), atomically: true, encoding: .utf8)
        }
        let store = try SQLiteIndexStore(path: root.appendingPathComponent("index.sqlite").path, create: true)
        let summary = try Indexer(store: store, model: model, options: IndexOptions()).index(roots: [docs.path])
        #expect(summary.chunks == 4)
        #expect(summary.vocabularyWarning == nil)
        #expect(try store.settings()?.layers == [6, 12, 18, 24], "a deep model stores four layers by default")

        let searcher = try Searcher(store: store, model: model)
        let queries: [(query: String, expected: String)] = [
            ("What is the capital of Egypt?", "cairo.md"),            // English → Arabic
            ("¿Qué río nace en los Alpes suizos?", "rhine.md"),       // Spanish → English
            ("日本の首都はどこですか", "tokyo.md"),                     // Japanese → Japanese title, CJK text
            ("كيف أخبز الخبز في المنزل", "bread.md"),                  // Arabic → Portuguese
            ("Welche Stadt liegt am Nil?", "cairo.md"),               // German → Arabic
        ]
        for (query, expected) in queries {
            var options = SearchOptions()
            options.k = 4
            let response = try searcher.search(query, options: options)
            let top = try #require(response.results.first)
            #expect((top.chunk.path as NSString).lastPathComponent == expected, "\(query) found \(top.chunk.path)")
        }
    }
}
