import ArgumentParser
import Foundation
import SemsearchBench
import SemsearchKit

extension Bench {
    struct SearchBench: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "search",
            abstract: "Measure search speed: exact and IVF latency, IVF recall, cold and piped processes.",
            discussion: """
            On an index (default, or --db): queries are made from the first words of sampled chunks and \
            embedded with the index's model; exact search and, when the index has one, IVF at several \
            nprobe values are timed, and whole 'semsearch search' processes are timed cold (one query \
            each) and piped (--pipe-queries on one process). With --synthetic N,D: N clustered unit \
            vectors of width D, with an IVF index built in a temporary database.
            """
        )

        @Option(help: ArgumentHelp("Generated vectors instead of an index: count and width, like 1000000,384.", valueName: "N,D"))
        var synthetic: ListArgument<PositiveInt>?

        @Option(help: "Clusters in the synthetic vectors (default: N/1000, at least 16).")
        var clusters: Int?

        @Option(help: "IVF lists for --synthetic (default: 4·√N, as indexing uses).")
        var nlist: Int?

        @Option(help: ArgumentHelp("nprobe values to measure (default: 1, 2, 4, … up to nlist/4, and the default).", valueName: "LIST"))
        var nprobe: ListArgument<PositiveInt>?

        @Option(help: ArgumentHelp("With --synthetic: in-memory formats to compare against an fp32 exact ranking: fp16 (exact scan), int8 (a scan over 8-bit codes, its best 100 rescored in fp16), binary (a Hamming shortlist over sign bits, rescored in fp16). Skips IVF unless --nlist is given.", valueName: "LIST"))
        var vectors: ListArgument<SyntheticFormat>?

        @Option(help: "Shortlist a binary search rescores.")
        var shortlist = 2000

        @Option(help: ArgumentHelp("With --synthetic: write the vectors as a real index at this path instead (one stored layer of --model's width, a thousand chunks a file, the default vector format, IVF auto), then time cold 'semsearch search' processes on it.", valueName: "PATH"))
        var writeIndex: String?

        @Option(help: ArgumentHelp("The model of --write-index: its width must be D (default: the built-in model).", valueName: "DIR|NAME"))
        var model: String?

        @Option(help: "Queries to time.")
        var queries = 200

        @Option(name: [.customShort("k")], help: "Results per query.")
        var k = 10

        @OptionGroup var cellOptions: CellOptions

        @Option(help: "Cold 'semsearch search' processes to time on an index (0 skips).")
        var processRuns = 10

        @Option(help: "Queries piped into one 'semsearch search' process (0 skips).")
        var pipeQueries = 50

        @Flag(help: "Print one JSON line.")
        var json = false

        @OptionGroup var database: DatabaseOptions

        @Option(help: "Threads for the exact scan.")
        var threads = 2

        func validate() throws {
            if queries < 1 { throw ValidationError("--queries must be at least 1") }
            if k < 1 { throw ValidationError("-k must be at least 1") }
            if let synthetic, syntheticSize == nil || synthetic.values == nil {
                throw ValidationError("--synthetic takes COUNT,DIM, like 100000,384")
            }
        }

        /// The in-memory formats `--vectors` compares.
        enum SyntheticFormat: String, CaseIterable, ExpressibleByArgument, Hashable {
            case fp16, int8, binary
        }

        /// `--synthetic COUNT,DIM` (the list keeps the order given).
        var syntheticSize: (count: Int, dim: Int)? {
            guard let values = synthetic?.values, values.count == 2 else { return nil }
            return (values[0].value, values[1].value)
        }

        func run() throws {
            var record: SearchBenchmarkRecord
            let measured: (exact: LatencySummary, ivf: [IVFBenchmarkRow])
            let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("semsearch-bench-\(getpid())").path
            defer { try? FileManager.default.removeItem(atPath: scratch) }
            if let size = syntheticSize {
                let clusterCount = clusters ?? max(16, size.count / 1000)
                if let writeIndex {
                    try buildIndex(at: writeIndex, size: size, clusters: clusterCount)
                    return
                }
                say("generating \(size.count) + \(queries) vectors of width \(size.dim) around \(clusterCount) centres")
                let all = SyntheticVectors.clustered(count: size.count + queries, dim: size.dim, clusters: clusterCount)
                let vectors = StoredVectors(dim: size.dim, chunkIDs: (1...Int64(size.count)).map { $0 },
                                            fileIDs: [Int64](repeating: 0, count: size.count),
                                            matrix: Array(all[0..<(size.count * size.dim)]))
                let queryVectors = (0..<queries).map { q in Array(all[((size.count + q) * size.dim)..<((size.count + q + 1) * size.dim)]) }
                if let formats = self.vectors?.resolved(all: SyntheticFormat.allCases), nlist == nil {
                    try compareFormats(vectors.matrix, size: size, clusters: clusterCount, queries: queryVectors, formats: formats)
                    return
                }
                let flat = FlatIndex(vectors)
                let lists = nlist ?? IVFIndex.autoListCount(size.count)
                say("training IVF with \(lists) lists and filing \(size.count) vectors in \(scratch)")
                let started = ResourceUsage.now()
                let store = try SQLiteIndexStore(path: scratch + "/ivf.sqlite", create: true)
                let ivf = try IVFIndex.build(store: store, vectors: vectors, layer: 1, nlist: lists)
                say(String(format: "IVF built in %.1f s", ResourceUsage.now() - started))
                measured = try SearchBenchmark.run(flat: flat, ivf: ivf, queries: queryVectors, nprobes: probes(ivf.state.nlist), k: k, threads: threads)
                record = SearchBenchmarkRecord(vectors: size.count, dim: size.dim, clusters: clusterCount,
                                               exact: .init(measured.exact), ivf: measured.ivf.map(SearchBenchmarkRecord.IVFRow.measured))
            } else {
                let searcher = try Searcher.open(database: database.path)
                let cell = try searcher.cell(layer: cellOptions.layer, dim: cellOptions.dim)
                let flat = try searcher.flatIndex(cell)
                let texts = try queryTexts(searcher, from: flat)
                guard !texts.isEmpty else { throw CommandError.input("the index holds no chunk text to make queries from") }
                say("embedding \(texts.count) queries made from chunk text")
                let queryVectors = try texts.map { try searcher.embed($0).vector(layer: cell.layer, dim: cell.dim) }
                let ivf = searcher.ivf.flatMap { $0.state.layer == cell.layer && $0.state.dim == cell.dim ? $0 : nil }
                if searcher.ivf != nil && ivf == nil { say("the IVF index covers another (layer, dim); timing exact search only") }
                measured = try SearchBenchmark.run(flat: flat, ivf: ivf, queries: queryVectors, nprobes: ivf.map { probes($0.state.nlist) } ?? [], k: k, threads: threads)
                record = SearchBenchmarkRecord(vectors: flat.count, dim: cell.dim, layer: cell.layer,
                                               exact: .init(measured.exact), ivf: measured.ivf.map(SearchBenchmarkRecord.IVFRow.measured))
                let warm = try SearcherBenchmark.run(store: IndexLocation.open(database.path, create: false), model: searcher.model, flat: flat,
                                                     cell: cell, texts: texts, k: k)
                record.searcher = .init(row: .init(method: warm.method), latency: .init(warm.search))
                say(String(format: "searcher (%@): p50 %.3f ms, p99 %.3f ms", warm.method, warm.search.p50Milliseconds, warm.search.p99Milliseconds))
                if let server = warm.server {
                    record.server = .init(row: .init(method: server.method, recallAt10: JSONOutput.rounded(server.recall),
                                                     neighbourRecallAt10: JSONOutput.rounded(server.neighbourRecall),
                                                     exactAgreementAt10: JSONOutput.rounded(server.agreement)), latency: .init(server.latency))
                    say(String(format: "server %@ alone: p50 %.3f ms, p99 %.3f ms; recall@%d against its exact scan %.4f (text queries), %.4f (queries near stored vectors); %.4f of --exact's top %d",
                               server.method, server.latency.p50Milliseconds, server.latency.p99Milliseconds, k, server.recall, server.neighbourRecall,
                               server.agreement, k))
                }
                try timeProcesses(texts, into: &record)
            }
            report(record, measured: measured)
        }

        /// `--write-index`: a real index of the synthetic vectors, its size and build time, and cold
        /// searches on it (whole processes, like a user's first query).
        private func buildIndex(at path: String, size: (count: Int, dim: Int), clusters: Int) throws {
            let model = try EmbeddingModel.load(directory: ModelStore().resolve(self.model))
            guard model.hiddenSize == size.dim else {
                throw CommandError.usage("--write-index needs D = the model's width (\(model.descriptor.name): \(model.hiddenSize))")
            }
            if !PostgresAddress.isPostgresURL(path), FileManager.default.fileExists(atPath: path) {
                throw CommandError.usage("\(path) exists; --write-index writes a new database")
            }
            let summary = try SyntheticIndex.build(path: path, count: size.count, model: model, clusters: clusters, log: say)
            say(String(format: "built %d chunks in %.0f s: %.1f MB (%@)", summary.chunks, summary.seconds, Double(summary.databaseBytes) / 1e6,
                       summary.ivf.map { "IVF \($0.nlist) lists" } ?? "no IVF"))
            let executable = URL(fileURLWithPath: CommandLine.arguments[0]).path
            let binary = FileManager.default.isExecutableFile(atPath: executable) ? executable : "/proc/self/exe"
            var times: [Double] = []
            for run in 0..<max(1, processRuns) {
                let started = ResourceUsage.now()
                _ = try runProcess(binary, ["search", "--db", path, "-k", String(k), "synthetic passage about topic \(run)"], input: nil)
                times.append((ResourceUsage.now() - started) * 1000)
            }
            let cold = LatencySummary(milliseconds: times)
            if json {
                var record = SearchBenchmarkRecord(vectors: size.count, dim: size.dim, clusters: clusters, exact: nil, ivf: [])
                record.process = .init(runs: times.count, p50Milliseconds: JSONOutput.rounded(cold.p50Milliseconds, places: 1),
                                       p99Milliseconds: JSONOutput.rounded(cold.p99Milliseconds, places: 1))
                record.indexBytes = summary.databaseBytes
                record.buildSeconds = JSONOutput.rounded(summary.seconds, places: 1)
                print(JSONOutput.line(record))
            } else {
                print(String(format: "index %@: %d chunks × %d, %.1f MB on disk, built in %.0f s", IndexLocation.displayed(path), size.count, size.dim,
                             Double(summary.databaseBytes) / 1e6, summary.seconds))
                print(String(format: "cold 'semsearch search' process: p50 %.0f ms, p99 %.0f ms over %d runs", cold.p50Milliseconds, cold.p99Milliseconds, times.count))
            }
        }

        /// `--vectors`: each in-memory format's recall against fp32, latency and memory.
        private func compareFormats(_ rows: [Float], size: (count: Int, dim: Int), clusters: Int, queries: [[Float]],
                                    formats: [SyntheticFormat]) throws {
            let results = CompactSearchBenchmark.run(rows: rows, dim: size.dim, queries: queries, k: k, formats: formats.map(\.rawValue),
                                                     shortlist: shortlist, threads: threads, log: say)
            let peak = Double(ResourceUsage.peakResidentBytes()) / 1_048_576
            if json {
                var record = SearchBenchmarkRecord(vectors: size.count, dim: size.dim, clusters: clusters, exact: nil, ivf: [])
                record.formats = results.map(SearchBenchmarkRecord.FormatRow.measured)
                record.peakResidentMegabytes = peak.rounded()
                record.hammingKernel = SignCodes.kernelName
                print(JSONOutput.line(record))
                return
            }
            print("vectors:\(size.count)  dim:\(size.dim)  clusters:\(clusters)  (recall@\(k) against an fp32 exact ranking)")
            for row in results {
                let shortlisted = row.shortlist.map { ", shortlist \($0)" } ?? ""
                print(String(format: "%-7@ %5.0f B/vector  p50 %7.3f ms  p99 %7.3f ms  recall@%d %.4f", row.format as NSString,
                             row.bytesPerVector, row.latency.p50Milliseconds, row.latency.p99Milliseconds, k, row.recallAtK) + shortlisted)
            }
            print(String(format: "peak RSS %.0f MB (every format built, plus the fp32 vectors); Hamming kernel: %@", peak, SignCodes.kernelName as NSString))
        }

        private func probes(_ nlist: Int) -> [Int] {
            nprobe?.numbers(all: SearchBenchmark.probeLadder(nlist: nlist)) ?? SearchBenchmark.probeLadder(nlist: nlist)
        }

        /// Short queries: the first eight words of evenly spread chunks.
        private func queryTexts(_ searcher: Searcher, from flat: FlatIndex) throws -> [String] {
            try Self.queryTexts(database: database.path, from: flat, count: queries)
        }

        /// `count` short queries: the first eight words of evenly spread chunks of `flat`, read from `database`.
        static func queryTexts(database: String, from flat: FlatIndex, count queries: Int) throws -> [String] {
            let step = max(1, flat.count / queries)
            let ids = stride(from: 0, to: flat.count, by: step).prefix(queries).map { flat.chunkIDs[$0] }
            let records = try IndexLocation.open(database, create: false).chunks(ids: ids)
            return ids.compactMap { records[$0] }.map { record in
                record.text.split(whereSeparator: { $0.isWhitespace }).prefix(8).joined(separator: " ")
            }.filter { !$0.isEmpty }
        }

        /// Times whole `semsearch search` processes: cold, one query each, and one process fed queries on stdin.
        private func timeProcesses(_ texts: [String], into record: inout SearchBenchmarkRecord) throws {
            let executable = URL(fileURLWithPath: CommandLine.arguments[0]).path
            let binary = FileManager.default.isExecutableFile(atPath: executable) ? executable : "/proc/self/exe"
            if processRuns > 0 {
                var times: [Double] = []
                for run in 0..<processRuns {
                    let started = ResourceUsage.now()
                    _ = try runProcess(binary, ["search", "--db", database.path, "-k", String(k), texts[run % texts.count]], input: nil)
                    times.append((ResourceUsage.now() - started) * 1000)
                }
                let summary = LatencySummary(milliseconds: times)
                say(String(format: "cold process: p50 %.1f ms, p99 %.1f ms over %d runs", summary.p50Milliseconds, summary.p99Milliseconds, processRuns))
                record.process = .init(runs: processRuns, p50Milliseconds: JSONOutput.rounded(summary.p50Milliseconds, places: 1),
                                       p99Milliseconds: JSONOutput.rounded(summary.p99Milliseconds, places: 1))
            }
            if pipeQueries > 0 {
                let lines = (0..<pipeQueries).map { texts[$0 % texts.count] }.joined(separator: "\n") + "\n"
                let started = ResourceUsage.now()
                let output = try runProcess(binary, ["search", "--db", database.path, "-k", String(k), "--json", "-"], input: Data(lines.utf8))
                let seconds = ResourceUsage.now() - started
                let answered = Set(output.split(separator: "\n").compactMap { line -> String? in
                    guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
                    return object["query"] as? String
                }).count
                say(String(format: "pipe: %d queries in one process, %.2f s (%.1f ms per query), %d distinct queries answered",
                           pipeQueries, seconds, seconds * 1000 / Double(pipeQueries), answered))
                record.pipe = .init(queries: pipeQueries, seconds: JSONOutput.rounded(seconds, places: 3),
                                    perQueryMilliseconds: JSONOutput.rounded(seconds * 1000 / Double(pipeQueries), places: 1))
            }
        }

        private func runProcess(_ path: String, _ arguments: [String], input: Data?) throws -> String {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: path)
            process.arguments = arguments
            let stdout = Pipe()
            process.standardOutput = stdout
            process.standardError = FileHandle.nullDevice
            let stdin = Pipe()
            process.standardInput = input == nil ? FileHandle.nullDevice : stdin
            try process.run()
            if let input {
                stdin.fileHandleForWriting.write(input)
                try stdin.fileHandleForWriting.close()
            }
            let data = stdout.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            guard process.terminationStatus <= 1 else {
                throw CommandError.input("'semsearch \(arguments.prefix(1).joined())' exited with status \(process.terminationStatus) during the benchmark")
            }
            return String(decoding: data, as: UTF8.self)
        }

        private func say(_ line: String) {
            if !json { FileHandle.standardError.write(Data("semsearch: \(line)\n".utf8)) }
        }

        private func report(_ record: SearchBenchmarkRecord, measured: (exact: LatencySummary, ivf: [IVFBenchmarkRow])) {
            let e = measured.exact
            if json {
                print(JSONOutput.line(record))
                return
            }
            print("vectors:\(record.vectors)  dim:\(record.dim)" + (record.clusters.map { "  clusters:\($0)" } ?? "") + (record.layer.map { "  layer:\($0)" } ?? ""))
            print(String(format: "exact            p50 %7.3f ms  p99 %7.3f ms  %8.1f queries/s", e.p50Milliseconds, e.p99Milliseconds, e.queriesPerSecond))
            for row in measured.ivf {
                print(String(format: "ivf %5d/%-5d  p50 %7.3f ms  p99 %7.3f ms  %8.1f queries/s  recall@%d %.4f  scanned %.2f%%",
                             row.nprobe, row.nlist, row.latency.p50Milliseconds, row.latency.p99Milliseconds, row.latency.queriesPerSecond,
                             k, row.recallAtK, row.scannedFraction * 100))
            }
        }
    }
}
