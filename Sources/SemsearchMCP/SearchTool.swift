import Foundation
import SemsearchKit

/// The `search` tool: passages by meaning, as absolute paths, line ranges, scores and the best
/// lines, and for documents read through extraction the page, slide, chapter, message or paragraphs
/// (`location`, as the terminal writes it), ranked exactly as `semsearch search --json` ranks them. Output is capped in bytes:
/// results that do not fit are left for the next page (`truncated`, `next_cursor`).
struct SearchTool {
    /// Most results one call returns.
    static let maxLimit = 50
    /// Longest line of a snippet, and longest chunk text with `detail: "chunks"`, in characters.
    static let lineCharacters = 300
    static let chunkCharacters = 2000

    /// The cap on the structured result's JSON, in bytes.
    let maxBytes: Int

    static let definition = ToolDefinition(
        name: "search", title: "Semantic search",
        description: "Find passages in the indexed files by meaning and keywords: absolute path, line range, score, best lines; for PDF, Office, OpenDocument, EPUB, RTF and e-mail files the location in the document (\"slide 3\", \"pages 4–5\"), whose line numbers count lines of the extracted text. hybrid: false ranks by meaning alone.",
        inputSchema: ToolDefinition.objectSchema([
            "query": ["type": "string"],
            "limit": ["type": "integer", "minimum": 1, "maximum": .int(maxLimit)],
            "paths": ["type": "array", "items": ["type": "string"], "description": "globs"],
            "hybrid": ["type": "boolean"],
            "layer": ["type": "integer", "minimum": 1],
            "dim": ["type": "integer", "minimum": 1],
            "detail": ["type": "string", "enum": ["lines", "chunks"]],
            "cursor": ["type": "string"],
        ], required: ["query"], closed: true),
        outputSchema: ToolDefinition.objectSchema([
            "results": ["type": "array", "items": ToolDefinition.objectSchema([
                "rank": ["type": "integer"], "path": ["type": "string"], "line_start": ["type": "integer"],
                "line_end": ["type": "integer"], "score": ["type": "number"], "lines": ["type": "string"],
                "location": ["type": "string", "description": "page, slide, chapter, message or paragraph(s) of a document"],
            ], required: ["rank", "path", "line_start", "line_end", "score", "lines"])],
            "truncated": ["type": "boolean"], "next_cursor": ["type": "string"],
        ], required: ["results", "truncated"]),
        readOnly: true)

    /// The structured result.
    struct Output: Encodable {
        var results: [Hit]
        var truncated: Bool
        var nextCursor: String?
        var layer: Int
        var dim: Int
        enum CodingKeys: String, CodingKey { case results, truncated, nextCursor = "next_cursor", layer, dim }
    }

    /// One result. `lines` holds the best lines of the chunk, starting at file line `line`.
    struct Hit: Encodable {
        var rank: Int
        var path: String
        var lineStart: Int
        var lineEnd: Int
        var score: Float
        var line: Int
        var lines: String
        var heading: String?
        /// The page, slide, chapter, message or paragraphs of a document, as `slide 3` or `pages 4–5`.
        var location: String?
        var text: String?
        var stale: Bool?
        enum CodingKeys: String, CodingKey {
            case rank, path, lineStart = "line_start", lineEnd = "line_end", score, line, lines, heading, location, text, stale
        }
    }

    func call(_ arguments: JSONValue?, searcher: () throws -> Searcher) throws(ToolError) -> ToolResult {
        let args = try ToolArguments(arguments, allowed: ["query", "limit", "paths", "hybrid", "layer", "dim", "detail", "cursor"])
        guard let query = try args.string("query") else { throw ToolError("'query' is required: what to look for, in words") }
        guard !query.allSatisfy(\.isWhitespace) else { throw ToolError("'query' is empty") }
        guard query.utf8.count <= Searcher.maxQueryBytes else {
            throw ToolError("'query' is \(query.utf8.count) bytes; the limit is \(Searcher.maxQueryBytes)")
        }
        let limit = try args.integer("limit", in: 1...Self.maxLimit) ?? 10
        var options = SearchOptions()
        options.paths = try args.strings("paths") ?? []
        options.hybrid = try args.boolean("hybrid") ?? SearchOptions().hybrid
        options.layer = try args.integer("layer", in: 1...1000)
        options.dim = try args.integer("dim", in: 1...100_000)
        let detail = try args.choice("detail", of: ["lines", "chunks"]) ?? "lines"
        let cursorToken = try args.string("cursor")

        let searcher = try Self.run { try searcher() }
        let indexRun = searcher.lastRun.map { String($0.timeIntervalSince1970) } ?? ""
        let fingerprint = SearchCursor.fingerprint([query, options.paths.joined(separator: "\u{1E}"), String(options.hybrid),
                                                    String(options.layer ?? 0), String(options.dim ?? 0), detail])
        let offset = try cursorToken.map { token throws(ToolError) in
            try SearchCursor(token: token, fingerprint: fingerprint, indexRun: indexRun).offset
        } ?? 0
        // One more than the page, to know whether a next page exists.
        options.k = offset + limit + 1
        let response = try Self.run { try searcher.search(query, options: options) }
        let page = response.results.dropFirst(offset).prefix(limit)
        var output = Output(results: page.map { hit($0, detail: detail) }, truncated: false, nextCursor: nil,
                            layer: response.cell.layer, dim: response.cell.dim)
        let cursor = { (offset: Int?) in offset.map { SearchCursor(offset: $0, fingerprint: fingerprint, indexRun: indexRun).token } }
        output.nextCursor = cursor(response.results.count > offset + limit ? offset + limit : nil)
        // Leave results that do not fit the byte cap for the next page (always keep one).
        while output.results.count > 1, JSONValue.from(output).text.utf8.count > maxBytes {
            output.results.removeLast()
            output.truncated = true
            output.nextCursor = cursor(offset + output.results.count)
        }
        // A lone result still over the cap gives up the end of its text, then of its lines.
        if !output.results.isEmpty, let text = output.results[0].text {
            let excess = JSONValue.from(output).text.utf8.count - maxBytes
            if excess > 0 { output.results[0].text = Self.clipBytes(text, text.utf8.count - excess - 16); output.truncated = true }
        }
        if !output.results.isEmpty {
            let excess = JSONValue.from(output).text.utf8.count - maxBytes
            let lines = output.results[0].lines
            if excess > 0 { output.results[0].lines = Self.clipBytes(lines, lines.utf8.count - excess - 16); output.truncated = true }
        }
        return ToolResult(structured: .from(output))
    }

    private func hit(_ result: SearchResult, detail: String) -> Hit {
        let chunk = result.chunk
        return Hit(rank: result.rank, path: chunk.path, lineStart: chunk.lineStart, lineEnd: chunk.lineEnd,
                   score: (result.score * 10_000).rounded() / 10_000, line: result.snippet.line,
                   lines: result.snippet.lines.map { Self.clip($0, Self.lineCharacters) }.joined(separator: "\n"),
                   heading: chunk.heading.isEmpty ? nil : chunk.heading,
                   location: chunk.location?.description,
                   text: detail == "chunks" ? Self.clip(chunk.text, Self.chunkCharacters) : nil,
                   stale: result.isStale ? true : nil)
    }

    /// `text` cut to at most `limit` UTF-8 bytes (at a character boundary), with "…" when cut.
    static func clipBytes(_ text: String, _ limit: Int) -> String {
        guard text.utf8.count > limit else { return text }
        var out = ""
        for character in text {
            if out.utf8.count + character.utf8.count + 3 > limit { break }
            out.append(character)
        }
        return out + "…"
    }

    static func clip(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }

    /// Runs library work, turning its errors into the one-line messages they already carry.
    static func run<T>(_ body: () throws -> T) throws(ToolError) -> T {
        do { return try body() } catch let error as ToolError { throw error } catch {
            throw ToolError((error as? LocalizedError)?.errorDescription ?? String(describing: error))
        }
    }
}
