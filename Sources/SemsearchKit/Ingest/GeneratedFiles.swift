import Foundation

/// Files that hold no prose a person wrote, recognised by name, as ripgrep-style tools treat
/// them: package managers' lock files and minified or mapped web assets. A real folder of three
/// projects and Debian's docs (318 files) gave 50,306 chunks, 1,293 of them from `Cargo.lock`
/// alone, all noise to a search. The crawler skips and counts them unless told to include them
/// (`index --include-generated`); a `.gitignore` rule can still exclude or a path include more.
public enum GeneratedFiles {
    /// Lock files by exact name.
    public static let lockFiles: Set<String> = [
        "Cargo.lock", "package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", "bun.lock", "go.sum",
        "poetry.lock", "Pipfile.lock", "uv.lock", "pdm.lock", "Gemfile.lock", "composer.lock", "flake.lock", "mix.lock",
        "pubspec.lock", "Podfile.lock", "packages.lock.json", "Package.resolved", "gradle.lockfile", "deno.lock",
    ]

    /// Name endings of minified and source-map files.
    public static let generatedSuffixes = [".min.js", ".min.css", ".min.mjs", ".js.map", ".css.map", ".mjs.map"]

    public static func isGenerated(fileName name: String) -> Bool {
        lockFiles.contains(name) || generatedSuffixes.contains { name.lowercased().hasSuffix($0) }
    }

    /// An Office owner file: `~$` and the rest of the document's name, beside the document.
    public static func isOfficeOwnerFile(_ name: String) -> Bool { name.hasPrefix("~$") }
}
