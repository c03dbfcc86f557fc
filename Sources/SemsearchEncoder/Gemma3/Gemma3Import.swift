import SemsearchCore
import Foundation

extension Gemma3Configuration {
    /// Writes a Gemma 3 model's import: the encoder and every `Dense` module in fp16, and the
    /// tokenizer, prompt, pooling and module configs as they are.
    static func importFiles(descriptor: ModelDescriptor, configuration: Gemma3Configuration, into copy: ModelImportCopy) throws {
        let checkpoint = try Gemma3Checkpoint(file: SafeTensorsFile(path: descriptor.weightsPath), configuration: configuration)
        try copy.writeFloat16("model.safetensors", tensors: checkpoint.expectedTensors, sourcePath: descriptor.weightsPath,
                              read: checkpoint.floats)
        for directory in descriptor.headDirectories {
            let module = (directory as NSString).lastPathComponent
            let file = try SafeTensorsFile(path: (directory as NSString).appendingPathComponent("model.safetensors"))
            let tensors = file.tensors.map { (name: $0.key, shape: $0.value.shape) }.sorted { $0.name < $1.name }
            try copy.writeFloat16(module + "/model.safetensors", tensors: tensors, sourcePath: file.path, read: file.floats)
            try copy.copyOrWrite(module + "/config.json") { Data() }
        }
        for file in ["config.json", "tokenizer.json", "modules.json", "config_sentence_transformers.json",
                     "sentence_bert_config.json", "1_Pooling/config.json"] {
            try copy.copyIfPresent(file)
        }
        let tokenizer = (copy.destination as NSString).appendingPathComponent("tokenizer.json")
        try TokenizerDefinition.load(path: tokenizer)
            .writeBinary(to: (copy.destination as NSString).appendingPathComponent(TokenizerDefinition.binaryName), source: tokenizer)
    }
}
