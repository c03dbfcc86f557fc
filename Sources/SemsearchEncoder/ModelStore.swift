import SemsearchCore
import Foundation

/// Where models live: the built-in default (installed in `share/semsearch/models/` beside the
/// binary's `bin/`, or `Resources/models/` in a source checkout), and the user's imported models
/// under `$XDG_DATA_HOME/semsearch/models/`.
///
/// ## Topics
/// - ``resolve(_:)``
/// - ``list()``
/// - ``importModel(from:name:destination:)``
public struct ModelStore: Sendable {
    /// Name of the built-in default model.
    public static let defaultModelName = "all-MiniLM-L6-v2"

    /// Directory of imported models.
    public let userDirectory: String
    /// Directory holding the built-in models (see ``locateBuiltIn()``), if found.
    public let builtInDirectory: String?

    /// The store at the default locations.
    public init() {
        self.init(userDirectory: Self.defaultUserDirectory(), builtInDirectory: Self.locateBuiltIn())
    }

    /// A store at explicit locations; `builtInDirectory` nil means no built-in models.
    public init(userDirectory: String, builtInDirectory: String?) {
        self.userDirectory = userDirectory
        self.builtInDirectory = builtInDirectory
    }

    /// `$SEMSEARCH_MODELS`, else `$XDG_DATA_HOME/semsearch/models`, else `~/.local/share/semsearch/models`.
    public static func defaultUserDirectory() -> String {
        let env = ProcessInfo.processInfo.environment
        if let dir = env["SEMSEARCH_MODELS"], !dir.isEmpty { return dir }
        return (DataDirectory.path as NSString).appendingPathComponent("models")
    }

    /// Finds the built-in models: `$SEMSEARCH_BUILTIN_MODELS`, else `../share/semsearch/models`
    /// beside the running binary (the installed layout, so a tree moved to another prefix keeps
    /// working), else `Resources/models` of the source checkout the binary runs from (the nearest
    /// folder above it with a `Package.swift`, as for `.build/release/semsearch`). The path the
    /// binary was compiled at is never consulted: a copied or installed binary whose checkout is
    /// gone must not find, or depend on, it.
    static func locateBuiltIn() -> String? {
        let environment = ProcessInfo.processInfo.environment["SEMSEARCH_BUILTIN_MODELS"]
        return builtInCandidates(executable: Bundle.main.executableURL, environment: environment)
            .first(where: holdsDefaultModel)
    }

    /// The places ``locateBuiltIn()`` looks, in order, for a binary at `executable`.
    public static func builtInCandidates(executable: URL?, environment: String?) -> [String] {
        var candidates: [String] = []
        if let environment, !environment.isEmpty { candidates.append(environment) }
        guard let executable = executable?.resolvingSymlinksInPath() else { return candidates }
        var directory = executable.deletingLastPathComponent()
        candidates.append(directory.appendingPathComponent("../share/semsearch/models").standardizedFileURL.path)
        while directory.path != "/" {
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
                candidates.append(directory.appendingPathComponent("Resources/models").path)
                break
            }
            directory = directory.deletingLastPathComponent()
        }
        return candidates
    }

    private static func holdsDefaultModel(_ directory: String) -> Bool {
        FileManager.default.fileExists(atPath: (directory as NSString).appendingPathComponent("\(defaultModelName)/config.json"))
    }

    /// The directory of the model named or located by `nameOrPath`; nil means the built-in default.
    public func resolve(_ nameOrPath: String?) throws -> String {
        let fm = FileManager.default
        guard let nameOrPath, !nameOrPath.isEmpty else {
            guard let builtIn = builtInDirectory else {
                throw ModelError.notFound("the built-in \(Self.defaultModelName) (no share/semsearch/models beside the binary; reinstall, set SEMSEARCH_BUILTIN_MODELS, or pass --model DIR)")
            }
            return (builtIn as NSString).appendingPathComponent(Self.defaultModelName)
        }
        var isDirectory: ObjCBool = false
        if nameOrPath.contains("/") || nameOrPath.hasPrefix(".") {
            guard fm.fileExists(atPath: nameOrPath, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ModelError.notFound(nameOrPath)
            }
            return nameOrPath
        }
        for base in [userDirectory, builtInDirectory].compactMap({ $0 }) {
            let dir = (base as NSString).appendingPathComponent(nameOrPath)
            if fm.fileExists(atPath: dir, isDirectory: &isDirectory), isDirectory.boolValue { return dir }
        }
        if fm.fileExists(atPath: nameOrPath, isDirectory: &isDirectory), isDirectory.boolValue { return nameOrPath }
        throw ModelError.notFound(nameOrPath)
    }

    /// One model the store knows.
    public struct Listing: Sendable {
        public var name: String
        public var directory: String
        public var isBuiltIn: Bool
        /// nil when the directory could not be read as a model; `problem` says why.
        public var descriptor: ModelDescriptor?
        public var problem: String?
        public var weightsBytes: Int
    }

    /// Built-in and imported models, built-in first.
    public func list() -> [Listing] {
        var listings: [Listing] = []
        for (base, builtIn) in [(builtInDirectory, true), (Optional(userDirectory), false)] {
            guard let base, let names = try? FileManager.default.contentsOfDirectory(atPath: base) else { continue }
            for name in names.sorted() where !name.hasPrefix(".") {
                let dir = (base as NSString).appendingPathComponent(name)
                var listing = Listing(name: name, directory: dir, isBuiltIn: builtIn, descriptor: nil, problem: nil, weightsBytes: 0)
                do {
                    let descriptor = try ModelDescriptor(directory: dir)
                    listing.descriptor = descriptor
                    let size = ((try? FileManager.default.attributesOfItem(atPath: descriptor.weightsPath))?[.size] as? Int) ?? 0
                    listing.weightsBytes = size
                } catch {
                    listing.problem = "\(error)"
                }
                listings.append(listing)
            }
        }
        return listings
    }

    /// Imports the Hugging Face model directory `source` (BERT family or Gemma 3) as fp16 into
    /// `destination` (default: the user store under `name`, default the source directory's name).
    /// Writes to a temporary directory and renames it into place, so an interrupted import leaves
    /// nothing half-written. Returns the new model's directory.
    @discardableResult
    public func importModel(from source: String, name: String? = nil, destination: String? = nil) throws -> String {
        let fm = FileManager.default
        let descriptor = try ModelDescriptor(directory: source)
        let target = destination ?? (userDirectory as NSString).appendingPathComponent(name ?? descriptor.name)
        if fm.fileExists(atPath: target) { throw ModelError.alreadyExists(target) }
        let parent = (target as NSString).deletingLastPathComponent
        let staging = (parent as NSString).appendingPathComponent(".import-\(ProcessInfo.processInfo.processIdentifier)-\((target as NSString).lastPathComponent)")
        do {
            try fm.createDirectory(atPath: staging, withIntermediateDirectories: true)
        } catch {
            throw ModelError.unreadable(path: parent, reason: "cannot create the model directory: \(error.localizedDescription)")
        }
        defer { try? fm.removeItem(atPath: staging) }

        let copy = ModelImportCopy(descriptor: descriptor, destination: staging)
        switch descriptor.architecture {
        case .bert(let configuration, _):
            try BertConfiguration.importFiles(descriptor: descriptor, configuration: configuration, into: copy)
        case .gemma3(let configuration):
            try Gemma3Configuration.importFiles(descriptor: descriptor, configuration: configuration, into: copy)
        }
        for optional in ["README.md", "LICENSE"] { try copy.copyIfPresent(optional) }
        do {
            try fm.moveItem(atPath: staging, toPath: target)
        } catch {
            throw ModelError.unreadable(path: target, reason: "cannot move the imported model into place: \(error.localizedDescription)")
        }
        return target
    }
}
