import Foundation
import Testing
import SemsearchKit
import SemsearchTestSupport

@Suite(.serialized) struct EmbedCommandTests {
    typealias CLI = CommandLineRunner

    func vector(_ object: [String: Any], _ key: String = "vector") -> [Float] {
        (object[key] as! [Any]).map { Float(($0 as! NSNumber).doubleValue) }
    }

    @Test func printsOneNormalizedFinalVectorPerArgument() throws {
        let result = try CLI.run(["embed", "hello world", "a second text"])
        #expect(result.status == 0, "\(result.stderr)")
        let objects = try CLI.jsonObjects(result)
        #expect(objects.map { $0["text"] as? String } == ["hello world", "a second text"])
        for object in objects {
            #expect(object["layer"] as? Int == 6 && object["dim"] as? Int == 384)
            let v = vector(object)
            #expect(v.count == 384)
            #expect(abs(v.reduce(0) { $0 + $1 * $1 } - 1) < 1e-4)
        }
    }

    @Test func int8VectorsFollowTheFp32Ones() throws {
        let text = "Rivers carry sediment downstream and build deltas where they meet the sea."
        let fp32 = try CLI.run(["embed", text]), int8 = try CLI.run(["embed", "--precision", "int8", text])
        #expect(fp32.status == 0 && int8.status == 0, "\(fp32.stderr)\(int8.stderr)")
        let a = vector(try #require(try CLI.jsonObjects(fp32).first)), b = vector(try #require(try CLI.jsonObjects(int8).first))
        #expect(a != b, "int8 printed the fp32 vector")
        let cosine = VectorMath.cosine(a, b)
        #expect(cosine > 0.998, "cosine \(cosine)")
    }

    @Test func layerAndDimSelectTheMatryoshkaCell() throws {
        let result = try CLI.run(["embed", "--layer", "2", "--dim", "64", "nested dolls"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try CLI.jsonObjects(result).first)
        #expect(object["layer"] as? Int == 2 && object["dim"] as? Int == 64)
        let model = try EmbeddingModel.load(directory: ModelStore().resolve(nil))
        let expected = model.embed(["nested dolls"])[0].vector(layer: 2, dim: 64)
        #expect(VectorMath.cosine(vector(object), expected) > 0.99999)
    }

    @Test func stdinLinesKeepTheirOrderAndEmptyLines() throws {
        let result = try CLI.run(["embed", "--dim", "8"], stdin: Data("first\n\nthird\r\nfourth".utf8))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try CLI.jsonObjects(result).map { $0["text"] as? String } == ["first", "", "third", "fourth"])
    }

    @Test func jsonlEchoesOtherFieldsAndAllowsNewlinesInText() throws {
        let input = """
        {"id": 7, "tags": ["x", "y"], "text": "line one\\nline two"}

        {"text": "plain", "source": "a/b.md"}
        """
        let result = try CLI.run(["embed", "--jsonl", "--all-layers", "--dim", "16", "-"], stdin: Data(input.utf8))
        #expect(result.status == 0, "\(result.stderr)")
        let objects = try CLI.jsonObjects(result)
        #expect(objects.count == 2)
        #expect(objects[0]["id"] as? Int == 7)
        #expect(objects[0]["tags"] as? [String] == ["x", "y"])
        #expect(objects[0]["text"] as? String == "line one\nline two")
        #expect(objects[1]["source"] as? String == "a/b.md")
        let layers = try #require(objects[0]["layers"] as? [[Any]])
        #expect(layers.count == 6 && layers.allSatisfy { $0.count == 16 })
    }

    @Test func noNormalizeGivesThePooledVector() throws {
        let result = try CLI.run(["embed", "--no-normalize", "--layer", "3", "raw vectors"])
        let v = vector(try #require(try CLI.jsonObjects(result).first))
        let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
        #expect(abs(norm - 1) > 0.01)
    }

    @Test func aOneMegabyteLineIsTruncatedNotFatal() throws {
        let line = String(repeating: "semantic search ", count: 65_536)
        let result = try CLI.run(["embed", "--dim", "4"], stdin: Data((line + "\nshort\n").utf8))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdoutLines.count == 2)
    }

    @Test func badInputGetsOneLineAndStatusTwo() throws {
        let cases: [([String], Data, String)] = [
            (["embed"], Data([0x6F, 0x6B, 0x0A, 0xFF, 0xFE, 0x0A]), "stdin line 2 is not valid UTF-8"),
            (["embed", "--jsonl"], Data("not json\n".utf8), "stdin line 1 is not a JSON object"),
            (["embed", "--jsonl"], Data("{\"title\": 1}\n".utf8), "no \"text\" string field"),
            (["embed", "--layer", "9", "x"], Data(), "layer 9 is out of range"),
            (["embed", "--dim", "385", "x"], Data(), "dim 385 is out of range"),
            (["embed", "--dim", "0", "x"], Data(), "--dim must be at least 1"),
            (["embed", "--model", "/nonexistent/model", "x"], Data(), "model not found"),
            (["embed", "--model", "no-such-model", "x"], Data(), "model not found"),
            (["bench", "embed", "/nonexistent/corpus.jsonl"], Data(), "corpus not found"),
        ]
        for (arguments, stdin, message) in cases {
            let result = try CLI.run(arguments, stdin: stdin)
            #expect(result.status == 2, "\(arguments): status \(result.status)")
            #expect(result.stderrLines.count == 1, "\(arguments): \(result.stderr)")
            #expect(result.stderr.hasPrefix("semsearch: ") && result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
    }

    @Test func corruptOrForeignModelsAreReportedNotCrashedOn() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("semsearch-cli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let builtIn = URL(fileURLWithPath: try ModelStore().resolve(nil))
        try FileManager.default.copyItem(at: builtIn, to: dir)
        let weights = dir.appendingPathComponent("model.safetensors")
        let data = try Data(contentsOf: weights)
        try data.prefix(data.count - 1000).write(to: weights)
        var result = try CLI.run(["embed", "--model", dir.path, "x"])
        #expect(result.status == 2 && result.stderrLines.count == 1)
        #expect(result.stderr.contains("corrupt model weights"), "\(result.stderr)")

        try data.write(to: weights)
        try Data(#"{"model_type": "gpt2", "n_embd": 768}"#.utf8).write(to: dir.appendingPathComponent("config.json"))
        result = try CLI.run(["embed", "--model", dir.path, "x"])
        #expect(result.status == 2 && result.stderrLines.count == 1)
        #expect(result.stderr.contains("unsupported model config"), "\(result.stderr)")
    }
}
