import SemsearchCore
import Foundation

extension BertConfiguration {
    /// Writes a BERT model's import: fp16 weights under canonical names, `vocab.txt`, and the
    /// tokenizer, pooling and module configs (written from what was read when the source lacks them).
    static func importFiles(descriptor: ModelDescriptor, configuration: BertConfiguration, into copy: ModelImportCopy) throws {
        let checkpoint = try BertCheckpoint(file: SafeTensorsFile(path: descriptor.weightsPath), configuration: configuration)
        try copy.writeFloat16("model.safetensors", tensors: checkpoint.expectedTensors, sourcePath: descriptor.weightsPath,
                              read: checkpoint.floats)
        guard let tokenizer = descriptor.tokenizer as? BertTokenizer else { return }
        try copy.copyOrWrite("config.json") { Data() }
        try (tokenizer.vocabulary.tokens.joined(separator: "\n") + "\n")
            .write(to: URL(fileURLWithPath: copy.destination).appendingPathComponent("vocab.txt"), atomically: false, encoding: .utf8)
        try copy.copyOrWrite("tokenizer_config.json") {
            try copy.json(["do_lower_case": tokenizer.lowercases, "strip_accents": tokenizer.stripsAccents,
                           "tokenize_chinese_chars": tokenizer.splitsCJK, "tokenizer_class": "BertTokenizer"])
        }
        try copy.copyOrWrite("sentence_bert_config.json") { try copy.json(["max_seq_length": descriptor.maxLength, "do_lower_case": false]) }
        try copy.copyOrWrite("1_Pooling/config.json") {
            try copy.json(["word_embedding_dimension": configuration.hiddenSize,
                           "pooling_mode_cls_token": descriptor.pooling == .cls,
                           "pooling_mode_mean_tokens": descriptor.pooling == .mean])
        }
        try copy.copyOrWrite("modules.json") {
            var modules: [[String: Any]] = [
                ["idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"],
                ["idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"],
            ]
            if descriptor.normalizes {
                modules.append(["idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"])
            }
            return try copy.json(modules)
        }
        try copy.copyIfPresent("config_sentence_transformers.json")
    }
}
