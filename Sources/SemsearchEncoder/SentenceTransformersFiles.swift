import Foundation
import SemsearchCore

/// The small JSON files of a sentence-transformers model directory, as typed records: each field a
/// model may leave out is optional, and a field of the wrong type is a one-line
/// ``ModelError/invalidJSON(path:reason:)`` naming it instead of being taken as absent.
enum SentenceTransformersFiles {
    /// `modules.json`: the pipeline after the transformer, in order.
    struct Module: Decodable {
        /// The module's class, like `sentence_transformers.models.Dense`.
        var type: String?
        /// Its folder, relative to the model directory.
        var path: String?
    }

    /// A `Dense` module's `config.json`.
    struct DenseConfig: Decodable {
        var inFeatures: Int
        var outFeatures: Int
        var bias: Bool?
        var activationFunction: String?
        enum CodingKeys: String, CodingKey {
            case inFeatures = "in_features", outFeatures = "out_features", bias, activationFunction = "activation_function"
        }
    }

    /// `1_Pooling/config.json`.
    struct PoolingConfig: Decodable {
        var clsToken: Bool?
        var meanTokens: Bool?
        enum CodingKeys: String, CodingKey { case clsToken = "pooling_mode_cls_token", meanTokens = "pooling_mode_mean_tokens" }
    }

    /// `sentence_bert_config.json`.
    struct SentenceBertConfig: Decodable {
        var maxSeqLength: Int?
        enum CodingKeys: String, CodingKey { case maxSeqLength = "max_seq_length" }
    }

    /// `config_sentence_transformers.json`: the prompts put before queries and documents.
    struct PromptsConfig: Decodable {
        var prompts: [String: String]?
    }

    /// `tokenizer_config.json` (BERT's normalization switches).
    struct TokenizerConfig: Decodable {
        var doLowerCase: Bool?
        var stripAccents: Bool?
        var tokenizeChineseChars: Bool?
        enum CodingKeys: String, CodingKey {
            case doLowerCase = "do_lower_case", stripAccents = "strip_accents", tokenizeChineseChars = "tokenize_chinese_chars"
        }
    }

    /// `config.json`, for its `model_type` only (the family then decodes the whole file).
    struct ModelType: Decodable {
        var modelType: String?
        enum CodingKeys: String, CodingKey { case modelType = "model_type" }
    }

    /// Decodes the JSON file at `path` as `type`; nil when the file does not exist.
    static func decode<T: Decodable>(_ type: T.Type, atPath path: String) throws -> T? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        do { return try JSONDecoder().decode(T.self, from: data) } catch {
            throw ModelError.invalidJSON(path: path, reason: DecodingFailure.describe(error))
        }
    }
}
