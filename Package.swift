// swift-tools-version:6.0
import PackageDescription
import Foundation

// Release builds target Haswell-class x86-64 (AVX2, FMA, F16C, BMI2): the hand-written kernels (fp16 scans, GELU,
// softmax, LayerNorm) run several times faster with them (docs/ARCHITECTURE.md §6). A tiny C constructor in
// CPUFeatures refuses to start such a build on an older CPU with a clear message instead of a
// SIGILL. `SEMSEARCH_PORTABLE=1 swift build -c release` builds for baseline x86-64.
let portable = ProcessInfo.processInfo.environment["SEMSEARCH_PORTABLE"] == "1"
#if arch(x86_64)
let targetsHaswell = !portable
#else
let targetsHaswell = false
#endif

let fastSwift: [SwiftSetting] = targetsHaswell
    ? [.unsafeFlags(["-target-cpu", "haswell"], .when(configuration: .release))]
    : []
let cpuCheck: [CSetting] = targetsHaswell
    ? [.define("SEMSEARCH_REQUIRES_HASWELL", .when(configuration: .release))]
    : []

// Linux only: folder watching is inotify, and OpenBLAS and ncursesw are linked by their Linux
// names. No Apple platform is declared; `Sources/SemsearchCore/LinuxOnly.swift` stops a build
// elsewhere with that message.
let package = Package(
    name: "semsearch",
    products: [
        .executable(name: "semsearch", targets: ["semsearch"]),
        .library(name: "SemsearchKit", targets: ["SemsearchKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS"),
        .systemLibrary(name: "CNCurses", path: "Sources/CNCurses"),
        // zlib's raw inflate, for the ZIP containers of Office, OpenDocument and EPUB files.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        // libpq, PostgreSQL's client library, for `--db postgres://…` (Debian: libpq-dev).
        .systemLibrary(name: "CLibPQ", path: "Sources/CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .target(name: "CPUFeatures", path: "Sources/CPUFeatures", cSettings: cpuCheck),
        // The core: shared value types and utilities (fp16, buffers, resource use, JSON text).
        .target(
            name: "SemsearchCore",
            dependencies: ["CBLAS"],
            path: "Sources/SemsearchCore",
            swiftSettings: fastSwift
        ),
        // The encoder: model families, tokenizers, forward passes; knows nothing of indexes.
        .target(
            name: "SemsearchEncoder",
            dependencies: ["SemsearchCore", "CBLAS", "CPUFeatures"],
            path: "Sources/SemsearchEncoder",
            swiftSettings: fastSwift
        ),
        // Storage, indexing and retrieval; re-exports the two above.
        .target(
            name: "SemsearchKit",
            dependencies: [
                "SemsearchCore", "SemsearchEncoder", "CBLAS", "CPUFeatures", "CZlib", "CLibPQ",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            path: "Sources/SemsearchKit",
            swiftSettings: fastSwift
        ),
        .target(
            name: "SemsearchTUI",
            dependencies: ["SemsearchKit", "CNCurses"],
            path: "Sources/SemsearchTUI",
            swiftSettings: fastSwift
        ),
        // `semsearch mcp`: a Model Context Protocol server over stdio (a JSON-RPC loop of its own).
        // Built testable in release too, so its unit tests reach the cursor and argument types.
        .target(
            name: "SemsearchMCP",
            dependencies: ["SemsearchKit"],
            path: "Sources/SemsearchMCP",
            swiftSettings: fastSwift + [.unsafeFlags(["-enable-testing"])]
        ),
        // Evaluation and benchmarks (eval, bench, synthetic indexes, the keystroke and MCP clients):
        // measurement code that `index`, `search`, the screen and `mcp` do not need, kept out of their
        // libraries. Only the commands and the Kit tests link it.
        .target(
            name: "SemsearchBench",
            dependencies: ["SemsearchKit", "SemsearchTUI", "SemsearchMCP", "CBLAS"],
            path: "Sources/SemsearchBench",
            swiftSettings: fastSwift
        ),
        // The commands live in a library so the tests can parse arguments in-process; it is built
        // testable in release too, since the test command is `swift test -c release`.
        .target(
            name: "SemsearchCLI",
            dependencies: [
                "SemsearchKit", "SemsearchTUI", "SemsearchMCP", "SemsearchBench",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/SemsearchCLI",
            swiftSettings: fastSwift + [.unsafeFlags(["-enable-testing"])]
        ),
        .executableTarget(
            name: "semsearch",
            dependencies: ["SemsearchCLI"],
            path: "Sources/semsearch"
        ),
        // What more than one test target needs (the built-in model loaded once, a tiny random BERT,
        // corpus and scratch folders, other programs that write inputs); no product code depends on it.
        .target(name: "SemsearchTestSupport", dependencies: ["SemsearchKit"], path: "Tests/SemsearchTestSupport"),
        .testTarget(
            name: "SemsearchKitTests",
            dependencies: ["SemsearchKit", "SemsearchBench", "SemsearchTestSupport"],
            path: "Tests/SemsearchKitTests",
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "SemsearchTUITests",
            dependencies: ["SemsearchTUI", "SemsearchKit", "SemsearchTestSupport"],
            path: "Tests/SemsearchTUITests"
        ),
        .testTarget(
            name: "SemsearchMCPTests",
            dependencies: ["SemsearchMCP", "SemsearchKit", "SemsearchTestSupport"],
            path: "Tests/SemsearchMCPTests"
        ),
        .testTarget(
            name: "semsearchTests",
            dependencies: ["SemsearchKit", "SemsearchCLI", "SemsearchTestSupport"],
            path: "Tests/semsearchTests"
        ),
    ]
)
