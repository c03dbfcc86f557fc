import Foundation

/// Compares the hand-written manual page, and the README's `semsearch …` command lines, with the
/// command tree the argument parser knows (its `--experimental-dump-help` JSON), so neither can
/// drift: every option of every command is documented in that command's `.SS` section of OPTIONS
/// (or in `.SS common`) with its default, every documented option exists, and every command line
/// in the README uses only options its subcommand has.
struct ManualPageCheck {
    /// One command of the parser's tree, e.g. `["bench", "search"]`, with its long option names
    /// and the defaults the parser knows (options whose default is worked out at run time have none).
    struct Command {
        var path: [String]
        var options: [String: String?]
        var subcommands: [String]
        var name: String { path.joined(separator: " ") }
    }

    var commands: [Command]
    /// The root's default subcommand (`tui`): a README line with no subcommand runs it.
    let defaultSubcommand: String?

    /// Options every command has, which the manual describes once, not per command.
    static let universal: Set<String> = ["help", "version", "generate-completion-script"]

    init(toolInfoJSON: Data) throws {
        let root = try JSONDecoder().decode(ToolInfo.self, from: toolInfoJSON).command
        var commands: [Command] = []
        func walk(_ info: CommandInfo, _ path: [String]) {
            var options: [String: String?] = [:]
            for argument in info.arguments ?? [] where argument.shouldDisplay {
                for name in argument.names ?? [] where name.kind == "long" && !Self.universal.contains(name.name) {
                    options[name.name] = argument.defaultValue
                }
            }
            let children = (info.subcommands ?? []).filter { $0.commandName != "help" }
            commands.append(Command(path: path, options: options, subcommands: children.map(\.commandName)))
            for child in children { walk(child, path + [child.commandName]) }
        }
        walk(root, [])
        self.commands = commands
        defaultSubcommand = root.defaultSubcommand
    }

    // MARK: - The manual

    /// What is wrong with `manual` (troff source), one sentence each; empty when it agrees.
    func problems(manual: String) -> [String] {
        let sections = Self.optionSections(of: manual)
        var problems: [String] = []
        let common = sections["common"] ?? []
        for command in commands where !command.path.isEmpty && !command.options.isEmpty {
            let own = sections[command.name] ?? []
            if sections[command.name] == nil {
                problems.append("OPTIONS has no '.SS \(command.name)' section for its options")
            }
            for (option, defaultValue) in command.options.sorted(by: { $0.key < $1.key }) {
                guard let paragraph = (own + common).first(where: { Self.options(in: Self.tag($0)).contains(option) }) else {
                    problems.append("'\(command.name) --\(option)' is not documented under '.SS \(command.name)' or '.SS common'")
                    continue
                }
                if let defaultValue, let shown = Self.shownDefault(defaultValue), !paragraph.contains(shown) {
                    problems.append("'\(command.name) --\(option)': its paragraph does not give the default \(shown)")
                }
            }
        }
        let known = Set(commands.flatMap { $0.options.keys })
        for (section, paragraphs) in sections {
            let command = commands.first { $0.name == section }
            if section != "common" && command == nil { problems.append("'.SS \(section)' names no command") }
            for paragraph in paragraphs {
                for option in Self.options(in: Self.tag(paragraph)) {
                    if let command, command.options[option] == nil {
                        problems.append("'.SS \(section)' documents --\(option), which '\(section)' does not have")
                    } else if command == nil, !known.contains(option) {
                        problems.append("'.SS \(section)' documents --\(option), which no command has")
                    }
                }
            }
        }
        // Examples (.EX … .EE) hold other programs' options too (fzf --preview): there only
        // `semsearch …` command lines are checked, as in the README.
        let (prose, examples) = Self.splitExamples(manual)
        for option in Set(Self.options(in: prose)).subtracting(known).subtracting(Self.universal).sorted() {
            problems.append("the manual mentions --\(option), which no command has")
        }
        problems += self.problems(commandLines: examples, in: "the manual's examples")
        return problems
    }

    /// The `.TP` paragraphs (tag line first) of each `.SS` section of OPTIONS, by section name.
    static func optionSections(of manual: String) -> [String: [String]] {
        guard let start = manual.range(of: "\n.SH OPTIONS\n") else { return [:] }
        let rest = manual[start.upperBound...]
        let body = rest.range(of: "\n.SH ").map { rest[..<$0.lowerBound] } ?? rest
        var sections: [String: [String]] = [:]
        for block in body.components(separatedBy: ".SS ").dropFirst() {
            let lines = block.split(separator: "\n", omittingEmptySubsequences: false)
            let name = String(lines.first ?? "")
            let text = lines.dropFirst().joined(separator: "\n")
            sections[name] = text.components(separatedBy: ".TP\n").dropFirst().map { $0 }
        }
        return sections
    }

    /// The manual without its `.EX`/`.EE` blocks, and those blocks' lines as typed (`\-` as `-`).
    static func splitExamples(_ manual: String) -> (prose: String, examples: String) {
        var prose: [Substring] = [], examples: [Substring] = []
        var inExample = false
        for line in manual.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == ".EX" { inExample = true } else if line == ".EE" { inExample = false } else if inExample { examples.append(line) } else { prose.append(line) }
        }
        let typed = examples.joined(separator: "\n").replacingOccurrences(of: "\\-", with: "-").replacingOccurrences(of: "\\e", with: "\\")
        return (prose.joined(separator: "\n"), typed)
    }

    /// A paragraph's tag: its first line, which names the options it documents.
    static func tag(_ paragraph: String) -> String {
        String(paragraph.prefix { $0 != "\n" })
    }

    /// Long option names written in troff (`\-\-name`) in `text`.
    static func options(in text: String) -> [String] {
        let pattern = /\\-\\-([a-z0-9]+(?:\\-[a-z0-9]+)*)/
        return text.matches(of: pattern).map { String($0.1).replacingOccurrences(of: "\\-", with: "-") }
    }

    /// How a parser default reads in prose: `60.0` as `60`; an empty default is not shown.
    static func shownDefault(_ value: String) -> String? {
        guard !value.isEmpty else { return nil }
        let shown = value.hasSuffix(".0") ? String(value.dropLast(2)) : value
        return shown.replacingOccurrences(of: "-", with: "\\-")
    }

    // MARK: - The README

    /// README lines whose `semsearch …` command uses an option its subcommand does not have.
    func problems(readme: String) -> [String] { problems(commandLines: readme, in: "README") }

    /// Lines of `text` whose `semsearch …` command uses an option its subcommand does not have.
    func problems(commandLines text: String, in place: String) -> [String] {
        var problems: [String] = []
        let separators = CharacterSet(charactersIn: "|;&`()\n")
        for segment in text.components(separatedBy: separators) {
            let words = segment.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard let start = words.firstIndex(where: { $0 == "semsearch" || $0.hasSuffix("/semsearch") }) else { continue }
            var path: [String] = []
            var index = start + 1
            while index < words.count, let command = commands.first(where: { $0.path == path }),
                  command.subcommands.contains(words[index]) {
                path.append(words[index])
                index += 1
            }
            if path.isEmpty, let tui = defaultSubcommand, index < words.count, words[index].hasPrefix("--") { path = [tui] }
            guard let command = commands.first(where: { $0.path == path }) else { continue }
            for word in words[index...] where word.hasPrefix("--") && word.count > 2 {
                let option = String(word.dropFirst(2).prefix { $0.isLetter || $0.isNumber || $0 == "-" })
                if command.options[option] == nil && !Self.universal.contains(option) {
                    problems.append("\(place): 'semsearch \(command.name)' has no --\(option): \(segment.trimmingCharacters(in: .whitespaces))")
                }
            }
        }
        return problems
    }

    // MARK: - The parser's JSON (ArgumentParserToolInfo's ToolInfoV0, the fields used here)

    private struct ToolInfo: Decodable { var command: CommandInfo }
    private struct CommandInfo: Decodable {
        var commandName: String
        var defaultSubcommand: String?
        var subcommands: [CommandInfo]?
        var arguments: [ArgumentInfo]?
    }
    private struct ArgumentInfo: Decodable {
        var names: [NameInfo]?
        var defaultValue: String?
        var shouldDisplay: Bool
    }
    private struct NameInfo: Decodable { var kind: String; var name: String }
}
