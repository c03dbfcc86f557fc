import Foundation
import Testing
@testable import SemsearchMCP

/// Tool arguments as agents send them: typed values, or strings that mean them; anything else is
/// refused with a message naming the field.
struct ToolArgumentsTests {
    @Test func stringsThatMeanNumbersAndBooleansAreTaken() throws {
        let arguments = try ToolArguments(["limit": "5", "hybrid": "false", "paths": "docs/*.md", "query": "rhine"],
                                          allowed: ["limit", "hybrid", "paths", "query"])
        #expect(try arguments.integer("limit", in: 1...50) == 5)
        #expect(try arguments.boolean("hybrid") == false)
        #expect(try arguments.strings("paths") == ["docs/*.md"])
        #expect(try arguments.string("query") == "rhine")
        #expect(try arguments.string("absent") == nil)
    }

    @Test func aRefusalNamesTheField() {
        func message(_ body: () throws -> Void) -> String {
            do { try body(); return "" } catch let error as ToolError { return error.message } catch { return "\(error)" }
        }
        #expect(message { _ = try ToolArguments(["qurey": "x"], allowed: ["query"]) }.contains("qurey"))
        #expect(message { _ = try ToolArguments(["limit": 500], allowed: ["limit"]).integer("limit", in: 1...50) }.contains("limit"))
        #expect(message { _ = try ToolArguments(["hybrid": "maybe"], allowed: ["hybrid"]).boolean("hybrid") }.contains("hybrid"))
        #expect(message { _ = try ToolArguments(["detail": "all"], allowed: ["detail"]).choice("detail", of: ["lines", "chunks"]) }
            .contains("detail"))
    }
}
