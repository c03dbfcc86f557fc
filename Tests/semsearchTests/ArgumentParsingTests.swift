import Foundation
import Testing
import ArgumentParser
import SemsearchKit
import SemsearchTestSupport
@testable import SemsearchCLI

/// The command line parsed in-process: typed options, defaults, and refusals, without a process.
@Suite struct ArgumentParsingTests {
    func parse<T>(_ arguments: [String], as type: T.Type) throws -> T {
        let command = try Semsearch.parseAsRoot(arguments)
        return try #require(command as? T, "parsed as \(Swift.type(of: command))")
    }

    @Test func indexOptionsAreTypedValues() throws {
        let index = try parse(["index", "--situate", "late", "--layers", "6,1,3,3", "--ivf", "off", "--max-file-size", "2M", "/tmp"], as: Index.self)
        #expect(index.situate == .late)
        #expect(index.layers?.numbers(all: []) == [1, 3, 6], "sorted, duplicates dropped")
        #expect(index.ivf == .off)
        #expect(index.maxFileSize.bytes == 2 << 20)
        let all = try parse(["index", "--layers", "all", "/tmp"], as: Index.self)
        #expect(all.layers?.values == nil && all.layers?.numbers(all: [1, 2]) == [1, 2])
        let defaults = try parse(["index", "/tmp"], as: Index.self)
        // Left out, chunking and situating are what the index was made with (or the defaults for a new one).
        #expect(defaults.situate == nil && defaults.layers == nil && defaults.ivf == nil)
        #expect(defaults.maxFileSize.bytes == 10 << 20 && defaults.chunkTokens == nil && defaults.overlap == nil)
        #expect(try parse(["index", "--ivf", "64", "/tmp"], as: Index.self).ivf == .lists(64))
    }

    @Test func badValuesAreRefusedNamingTheOption() {
        for (arguments, option) in [
            (["index", "--situate", "sideways", "/tmp"], "--situate"),
            (["index", "--layers", "0,2", "/tmp"], "--layers"),
            (["index", "--layers", "1,,2", "/tmp"], "--layers"),
            (["index", "--ivf", "lots", "/tmp"], "--ivf"),
            (["index", "--max-file-size", "10Q", "/tmp"], "--max-file-size"),
            (["search", "--funnel", "two", "q"], "--funnel"),
            (["search", "--color", "pink", "q"], "--color"),
            (["eval", "/tmp", "--dims", "0"], "--dims"),
            (["embed", "--prompt", "title", "x"], "--prompt"),
        ] {
            #expect(throws: (any Error).self, "\(arguments)") { try Semsearch.parseAsRoot(arguments) }
            do {
                _ = try Semsearch.parseAsRoot(arguments)
            } catch {
                #expect(Semsearch.message(for: error).contains(option), "\(arguments): \(Semsearch.message(for: error))")
            }
        }
    }

    @Test func searchAndEvalListsAndCells() throws {
        let search = try parse(["search", "--funnel", "2:64", "--color", "never", "-k", "3", "rivers", "in", "spain"], as: Search.self)
        #expect(search.funnel == MatryoshkaCell(layer: 2, dim: 64) && search.color == .never)
        #expect(search.options.funnel == MatryoshkaCell(layer: 2, dim: 64) && search.options.k == 3)
        #expect(search.query == ["rivers", "in", "spain"])
        let eval = try parse(["eval", "/tmp/data", "--situate", "none,header", "--dims", "384,64"], as: Eval.self)
        #expect(eval.situate?.resolved(all: []) == [.none, .header])
        #expect(eval.dims?.numbers(all: []) == [64, 384])
        #expect(try parse(["eval", "/tmp/data", "--situate", "all"], as: Eval.self).situate?.resolved(all: SituateMode.allCases) == SituateMode.allCases)
        let bench = try parse(["bench", "search", "--synthetic", "1000000,384", "--nprobe", "8,2"], as: Bench.SearchBench.self)
        #expect(bench.syntheticSize?.count == 1_000_000 && bench.syntheticSize?.dim == 384)
        #expect(bench.nprobe?.numbers(all: []) == [2, 8])
        let embed = try parse(["embed", "--prompt", "query", "x"], as: Embed.self)
        #expect(embed.prompt == .query)
    }

    @Test func noSubcommandOpensTheScreen() throws {
        #expect(try Semsearch.parseAsRoot([]) is TUI)
    }
}
