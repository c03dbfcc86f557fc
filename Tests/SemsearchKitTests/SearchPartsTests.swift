import Foundation
import Testing
import SemsearchBench
import SemsearchKit
import SemsearchTestSupport

@Suite struct SearchPartsTests {
    @Test(arguments: [7, 100, 384])
    func fp16ScanMatchesFloatDotProducts(dim: Int) {
        let rows = 300
        var matrix: [Float] = []
        for r in 0..<rows {
            var v = (0..<dim).map { Float(sin(Double(r * 31 + $0 * 7))) }
            VectorMath.normalize(&v)
            matrix += v
        }
        var query = (0..<dim).map { Float(cos(Double($0 * 3))) }
        VectorMath.normalize(&query)
        let half = HalfVectorMatrix(rows: matrix, dim: dim)
        for threads in [1, 2] {
            let scores = half.scores(query, threads: threads)
            #expect(scores.count == rows)
            for r in 0..<rows {
                let exact = zip(matrix[(r * dim)..<((r + 1) * dim)], query).reduce(0) { $0 + $1.0 * $1.1 }
                #expect(abs(scores[r] - exact) < 2e-3, "row \(r): \(scores[r]) vs \(exact)")
            }
        }
    }

    @Test func flatSearchKeepsOnlyAllowedFilesAndNeverPadsWithExcludedOnes() {
        let vectors = StoredVectors(dim: 2, chunkIDs: [1, 2, 3, 4], fileIDs: [10, 10, 20, 30],
                                    matrix: [1, 0, 0.8, 0.6, 0.6, 0.8, 0, 1])
        let index = FlatIndex(vectors)
        #expect(index.search([1, 0], k: 3).map(\.chunkID) == [1, 2, 3])
        #expect(index.search([1, 0], k: 3, allowedFiles: [20, 30]).map(\.chunkID) == [3, 4])
        #expect(index.search([1, 0], k: 3, allowedFiles: [99]).isEmpty)
        #expect(index.row(of: 3) == 2 && index.row(of: 5) == nil)
    }

    @Test func rankingMethodsSayHowResultsWereRanked() {
        #expect(RankingMethod(vectors: .exact).description == "exact")
        #expect(RankingMethod(vectors: .ivf(probes: 8, lists: 120), fusesKeywords: true).description == "ivf nprobe 8/120 + bm25")
        let funnel = RankingMethod(vectors: .funnel(shortlist: MatryoshkaCell(layer: 2, dim: 32), full: MatryoshkaCell(layer: 6, dim: 384)))
        #expect(funnel.description == "funnel L2/d32→L6/d384" && funnel.isFunnel && !funnel.fusesKeywords)
        #expect(!RankingMethod(vectors: .exact).isFunnel)
    }

    @Test func reciprocalRankFusionAddsOneOverSixtyPlusRank() {
        let fused = RankFusion.fuse([[1, 2, 3], [3, 4]])
        #expect(fused.map(\.id) == [3, 1, 2, 4])
        #expect(abs(fused[0].score - (1 / 63 + 1 / 61)) < 1e-6)
        #expect(abs(fused[1].score - 1 / 61) < 1e-6)
        #expect(RankFusion.fuse([]).isEmpty)
        // A weight scales a ranking's contributions: at 0.5, BM25's first no longer beats the vectors' first.
        let weighted = RankFusion.fuse([[1, 2], [3, 1]], weights: [1, 0.5])
        #expect(weighted.map(\.id) == [1, 2, 3])
        #expect(abs(weighted[0].score - (1 / 61 + 0.5 / 62)) < 1e-6)
        #expect(RankFusion.fuse([[1], [2]], weights: [1, 0]).map(\.score) == [1 / 61, 0])
    }

    @Test func adaptiveKeywordWeightFollowsHowSureBM25Is() {
        #expect(KeywordWeight.fixed(0.3).weight(scores: [9, 1]) == 0.3)
        // Few matches: the query's words are rare, BM25's case.
        #expect(KeywordWeight.adaptive.weight(scores: [5, 4, 3]) == 1)
        // Ten chunks matching about equally: BM25 counts nothing.
        #expect(KeywordWeight.adaptive.weight(scores: [10, 9.9, 9.8, 9.7, 9.6, 9.5, 9.4, 9.3, 9.2, 9.0]) == 0)
        // A clear best match counts fully; half way, half.
        #expect(KeywordWeight.adaptive.weight(scores: [10, 5, 5, 5, 5, 5, 5, 5, 5, 4]) == 1)
        let middle = KeywordWeight.adaptive.weight(scores: [10, 8, 8, 8, 8, 8, 8, 8, 8, 10 * (1 - (0.1 + 0.5) / 2)])
        #expect(abs(middle - 0.5) < 1e-4)
        #expect(KeywordWeight("auto") == .adaptive && KeywordWeight("0.5") == .fixed(0.5))
        #expect(KeywordWeight("-1") == nil && KeywordWeight("x") == nil)
    }

    @Test func aTitleIsContextOnlyWhenTheTextBearsItOut() {
        // A file name reads as words; a heading repeating it is not said twice.
        let rhine = DocumentTitle.derived(path: "/d/Rhine_river.md", text: "# Rhine river\n\nThe Rhine is a river; rivers flow.\n")
        #expect(rhine.text == "Rhine river" && rhine.fitsText)
        #expect(SituatedInput.header(title: rhine, heading: "# Rhine river › ## Delta") == "Rhine river › Delta")
        // An English name over Portuguese text: its only occurrence is the title line, so it is left out,
        // and so is the heading that repeats it; the Portuguese section heading stays.
        let oxygen = DocumentTitle.derived(path: "/d/Oxygen.md", text: "# Oxygen\n\nO oxigênio é um elemento químico.\n")
        #expect(!oxygen.fitsText)
        #expect(SituatedInput.header(title: oxygen, heading: "# Oxygen › ## Propriedades") == "Propriedades")
        #expect(SituatedInput.header(title: oxygen, heading: "# Oxygen").isEmpty)
        // More than half of the words must occur: one of two is not enough.
        #expect(!DocumentTitle.derived(path: "/d/Steam_engine.md", text: "Steam é vapor.").fitsText)
        #expect(DocumentTitle.derived(path: "/d/steam-engines.txt", text: "The steam engine.").fitsText)
        // A title given with the data is trusted.
        #expect(SituatedInput.header(title: "Oxygen", heading: "") == "Oxygen")
    }

    /// Portuguese prose (well over 30 words, English function words under 5%) that names English
    /// things only inside names, and cognates that share five letters with the English words.
    static let portugueseArticle = """
        O sul da Califórnia é uma região megalopolitana no extremo sul do estado. A Universidade do Sul \
        da Califórnia, conhecida em inglês como University of Southern California, fica em Los Angeles. \
        Os normandos vieram da Normandia, uma região da França, e a teoria computacional estuda problemas \
        que os computadores resolvem. A região tem muitas cidades, praias e montanhas, e o clima é seco \
        durante a maior parte do ano.
        """

    @Test func anEnglishFileNameIsNotTheTitleOfAPortugueseText() {
        // Every word occurs whole, but only inside an English name: not a title of this text.
        #expect(!DocumentTitle.derived(path: "/d/Southern_California.md", text: Self.portugueseArticle).fitsText)
        // Cognates that share a five-letter prefix are other words.
        #expect(!DocumentTitle.derived(path: "/d/Normans.md", text: Self.portugueseArticle).fitsText)
        #expect(!DocumentTitle.derived(path: "/d/Computational_theory.md", text: Self.portugueseArticle).fitsText)
        // A Portuguese name whose words the text uses as ordinary words is its title.
        #expect(DocumentTitle.derived(path: "/d/clima-da-região.md", text: Self.portugueseArticle).fitsText)
        // An English proper-noun title over English prose stays, capitals and all.
        let english = "The Rhine flows from the Alps through Germany and the Netherlands to the North Sea, and it is one of the "
            + "longest rivers of Europe; the Upper Rhine forms the border between France and Germany for a long stretch."
        #expect(DocumentTitle.derived(path: "/d/Rhine.md", text: english).fitsText)
        #expect(!DocumentTitle.derived(path: "/d/Rhine.md", text: Self.portugueseArticle).fitsText)
    }

    @Test func pathGlobsMatchNamesFoldersAndAnchoredPaths() {
        let md = PathFilter(["*.md"])
        #expect(md.matches("/home/a/notes/x.md") && !md.matches("/home/a/notes/x.txt"))
        let folder = PathFilter(["notes"])
        #expect(folder.matches("/home/a/notes/deep/x.txt") && !folder.matches("/home/a/notesy/x.txt"))
        let inner = PathFilter(["notes/*.md"])
        #expect(inner.matches("/home/a/notes/x.md") && !inner.matches("/home/a/notes/deep/x.md"))
        let deep = PathFilter(["src/**/test_*"])
        #expect(deep.matches("/r/src/a/b/test_x.swift") && deep.matches("/r/src/test_y.swift") && !deep.matches("/r/lib/test_z"))
        let anchored = PathFilter(["/home/a"])
        #expect(anchored.matches("/home/a/x.md") && !anchored.matches("/other/home/a/x.md"))
        let relative = PathFilter(["./docs"], currentDirectory: "/work/proj")
        #expect(relative.matches("/work/proj/docs/a.md") && !relative.matches("/elsewhere/docs/a.md"))
        #expect(PathFilter([]).matches("/anything") && PathFilter([]).isEmpty)
        #expect(PathFilter(["*.md", "*.txt"]).matches("/a/b.txt"))
    }

    @Test func snippetsPickTheLineWithTheMostQueryWordsAndKnowItsLineNumber() {
        let chunk = ChunkRecord(id: 1, path: "/x.md", ordinal: 0, byteRange: 0..<10, lineStart: 40, lineEnd: 44,
                                heading: "", text: "Intro line.\n\nBoats on the rivers of Europe.\nThe Rhine river flows north.\nEnd.")
        let snippet = Snippet.best(in: chunk, query: "which river flows north", maxLines: 2)
        #expect(snippet.line == 43)
        #expect(snippet.lines == ["The Rhine river flows north.", "End."])
        let fallback = Snippet.best(in: chunk, query: "zzz", maxLines: 1)
        #expect(fallback.line == 40 && fallback.lines == ["Intro line."])
        let line = "Rivers and the river bank"
        #expect(Snippet.matchRanges(in: line, query: "river").map { String(line[$0]) } == ["Rivers", "river"])
    }

    @Test func metricsFollowTheGradedDefinitions() {
        // Relevant: a (grade 2), b (grade 1); ranking puts b first, a third.
        let m = RetrievalMetrics(ranking: ["b", "x", "a", "y"], grades: ["a": 2, "b": 1, "z": 0])
        let dcg = 1.0 / log2(2) + 3.0 / log2(4)
        let ideal = 3.0 / log2(2) + 1.0 / log2(3)
        #expect(abs(m.ndcgAt10 - dcg / ideal) < 1e-12)
        #expect(m.recallAt10 == 1 && m.mrrAt10 == 1)
        let miss = RetrievalMetrics(ranking: ["x", "b"], grades: ["a": 2, "b": 1])
        #expect(miss.recallAt10 == 0.5 && miss.mrrAt10 == 0.5)
        #expect(RetrievalMetrics.mean([m, miss]).recallAt10 == 0.75)
    }

    @Test func syntheticIVFRecallIsCompleteWhenEveryListIsProbed() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let count = 3000, dim = 32
        let all = SyntheticVectors.clustered(count: count + 20, dim: dim, clusters: 30)
        let vectors = StoredVectors(dim: dim, chunkIDs: (1...Int64(count)).map { $0 }, fileIDs: [Int64](repeating: 0, count: count),
                                    matrix: Array(all[0..<(count * dim)]))
        let queries = (0..<20).map { q in Array(all[((count + q) * dim)..<((count + q + 1) * dim)]) }
        let store = try SQLiteIndexStore(path: dir.appendingPathComponent("ivf.sqlite").path, create: true)
        let ivf = try IVFIndex.build(store: store, vectors: vectors, layer: 1, nlist: 40)
        let result = try SearchBenchmark.run(flat: FlatIndex(vectors), ivf: ivf, queries: queries, nprobes: [1, 40])
        #expect(result.ivf.count == 2)
        #expect(result.ivf[1].recallAtK > 0.999 && abs(result.ivf[1].scannedFraction - 1) < 1e-9)
        #expect(result.ivf[0].scannedFraction < 0.2)
        // One list of 40 misses neighbours that fell into the next list; all of them miss none.
        #expect(result.ivf[0].recallAtK < 0.99, "nprobe 1 recall \(result.ivf[0].recallAtK)")
    }
}
