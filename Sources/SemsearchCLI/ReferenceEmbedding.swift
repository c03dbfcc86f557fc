import Foundation
import SemsearchKit

/// The PyTorch reference of `semsearch bench embed --reference PYTHON`: sentence-transformers on
/// the same texts, thread count and truncation, run by the given Python interpreter in the same
/// benchmark run, so the speed-up is measured on one machine at one time.
struct ReferenceEmbedding {
    var python: String
    var modelDirectory: String
    var threads: Int
    var maxLength: Int

    struct Result: Decodable {
        var texts: Int
        var tokens: Int
        var seconds: Double
        var tokens_per_s: Double
        var torch: String
        var sentence_transformers: String
    }

    /// Runs the reference on `texts`; its progress output goes to our stderr.
    func run(texts: [String]) throws -> Result {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("semsearch-reference-\(getpid())")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let scriptPath = scratch.appendingPathComponent("reference_embed.py").path
        let textsPath = scratch.appendingPathComponent("texts.jsonl").path
        try Self.script.write(toFile: scriptPath, atomically: true, encoding: .utf8)
        try texts.map(JSONText.string).joined(separator: "\n").write(toFile: textsPath, atomically: true, encoding: .utf8)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [scriptPath, modelDirectory, textsPath, String(threads), String(maxLength)]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.standardError
        do { try process.run() } catch {
            throw CommandError.usage("cannot run the reference interpreter \(python): \(error.localizedDescription)")
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0, let line = data.split(separator: UInt8(ascii: "\n")).last,
              let result = try? JSONDecoder().decode(Result.self, from: Data(line)) else {
            throw CommandError.input("the PyTorch reference failed (exit \(process.terminationStatus)); it needs torch and sentence-transformers in \(python)")
        }
        return result
    }

    /// The reference script, written to a temporary file for each run.
    static let script = #"""
#!/usr/bin/env python3
"""Reference encoder throughput for `semsearch bench embed --reference`: sentence-transformers
(PyTorch) on the same texts, the same thread count and the same truncation, so the two figures
come from one run on one machine.

usage: reference-embed.py MODEL_DIR TEXTS_JSONL THREADS MAX_LENGTH
TEXTS_JSONL holds one JSON string per line. Prints one JSON line:
{"texts": N, "tokens": N, "seconds": S, "tokens_per_s": R, "torch": "2.x", "sentence_transformers": "x"}
"""
import json
import sys
import time


def main():
    model_dir, texts_path, threads, max_length = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    import torch
    import sentence_transformers
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(threads)
    with open(texts_path, encoding="utf-8") as f:
        texts = [json.loads(line) for line in f if line.strip()]
    model = SentenceTransformer(model_dir, device="cpu")
    model.max_seq_length = max_length
    tokens = sum(len(ids) for ids in model.tokenizer(texts, truncation=True, max_length=max_length)["input_ids"])
    model.encode(texts[:8], batch_size=32)  # warm-up: first-call allocations and thread start
    start = time.perf_counter()
    with torch.inference_mode():
        model.encode(texts, batch_size=32)
    seconds = time.perf_counter() - start
    print(json.dumps({"texts": len(texts), "tokens": tokens, "seconds": round(seconds, 3),
                      "tokens_per_s": round(tokens / seconds, 1), "torch": torch.__version__,
                      "sentence_transformers": sentence_transformers.__version__}))


if __name__ == "__main__":
    main()
"""#
}
