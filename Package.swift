// swift-tools-version:6.1
// terep — a field survey collection toolkit: questionnaire language, offline
// terminal interviewer, signed device bundles, and analyst exports.
//
// Layering (see docs/architecture.md): every target imports only targets
// listed above it in this file. Store, Sync and Export never import each other;
// Fieldwork combines them, the terminal front sits on Fieldwork, and the `terep`
// executable wires them together.
import PackageDescription

let package = Package(
    name: "terep",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "terep", targets: ["terep"])
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        // The sync server (Hummingbird 2 over SwiftNIO, TLS through swift-nio-ssl) and the device's
        // HTTP client.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        // The central dataset on PostgreSQL (SurveyStorePostgres).
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        // Tests only: property-based testing with shrinking for Swift Testing.
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        // System zlib through a module map (deflate/inflate for bundles).
        .systemLibrary(
            name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]),
        // ncursesw (wide-character curses) for the full-screen interviewer.
        .systemLibrary(
            name: "CNcursesw", path: "Sources/CNcursesw", pkgConfig: "ncursesw",
            providers: [.apt(["libncurses-dev"])]),
        // System libsodium (Argon2id and XChaCha20-Poly1305 for passphrase-protected keys).
        .systemLibrary(
            name: "CSodium", path: "Sources/CSodium", pkgConfig: "libsodium",
            providers: [.apt(["libsodium-dev"])]),
        // libFuzzer's driver entry point, declared for the fuzz executables.
        .systemLibrary(name: "CLibFuzzer", path: "Sources/CLibFuzzer"),

        // 1. The compiled survey definition and response values. No dependencies.
        .target(name: "SurveyModel"),
        // 2. Source files, ranges, diagnostics and their text/JSON rendering (columns measured with
        //    SurveyModel's DisplayWidth).
        .target(name: "SurveyDiagnostics", dependencies: ["SurveyModel"]),
        // 3. The questionnaire compiler: lexer → parser → semantic analysis → lowering.
        .target(
            name: "SurveyCompiler",
            dependencies: [
                "SurveyModel", "SurveyDiagnostics",
                .product(name: "Crypto", package: "swift-crypto"),
            ]),
        // 4. The pure interview engine: routing, checks, calculations, rosters.
        .target(name: "InterviewEngine", dependencies: ["SurveyModel"]),
        // 5. SQLite storage (device store, central dataset) through GRDB.
        .target(
            name: "SurveyStore",
            dependencies: [
                "SurveyModel",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]),
        // 5b. The central dataset on PostgreSQL (postgres-nio): the second implementation of
        //     SurveyStore's CentralDataset, with its own migrations mirroring the SQLite schema.
        //     It imports SurveyStore (the interface, the records and the store-neutral merge
        //     rules) and nothing above it.
        .target(
            name: "SurveyStorePostgres",
            dependencies: [
                "SurveyModel", "SurveyStore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]),
        // 6. Device bundles: codec, signatures, encryption, merge planning; keys at rest.
        .target(
            name: "SurveySync",
            dependencies: [
                "SurveyModel", "CZlib", "CSodium",
                .product(name: "Crypto", package: "swift-crypto"),
            ]),
        // 7. Analyst exports: CSV, SPSS .sav, Stata .dta, JSON Lines, codebook.
        .target(name: "SurveyExport", dependencies: ["SurveyModel"]),
        // 8. The fieldwork report's figures and their rendering: text, HTML with SVG, JSON.
        .target(name: "SurveyReport", dependencies: ["SurveyModel"]),
        // 9. The application layer: interviewing on a device (start, resume, recording, device
        //    set-up), and the fieldwork rules over the central dataset — cleaning and selection
        //    for exports and reports (the one layer that combines Store, Engine and Export).
        .target(
            name: "Fieldwork",
            dependencies: [
                "SurveyModel", "InterviewEngine", "SurveyStore", "SurveyExport", "SurveySync", "SurveyReport",
                .product(name: "Crypto", package: "swift-crypto"),
            ]),
        // 10. The terminal front: drives an interview over a terminal (a full screen through
        //     ncursesw, or line by line), recording through Fieldwork.
        .target(
            name: "TerminalInterviewer",
            dependencies: ["SurveyModel", "InterviewEngine", "Fieldwork", "CNcursesw"]),
        // 11. The sync server over HTTP(S): signed bundle uploads into the central dataset,
        //     status, health and metrics (Hummingbird 2).
        .target(
            name: "SyncServer",
            dependencies: [
                "Fieldwork", "SurveyStore", "SurveySync", "SurveyReport", "SurveyModel",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        // 12. The device's side of sync over HTTP(S) (async-http-client).
        .target(
            name: "SyncClient",
            dependencies: [
                "Fieldwork", "SurveyStore", "SurveySync", "SurveyModel",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
            ]),
        // 13. The thin executable: argument parsing and wiring only.
        .executableTarget(
            name: "terep",
            dependencies: [
                "SurveyModel", "SurveyDiagnostics", "SurveyCompiler", "InterviewEngine",
                "SurveyStore", "SurveyStorePostgres", "SurveySync", "SurveyExport", "SurveyReport", "TerminalInterviewer",
                "Fieldwork", "SyncServer", "SyncClient", .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        // Benchmarks: a plain release-mode executable that prints each figure
        // beside a baseline measured in the same run (docs/performance.md).
        .executableTarget(
            name: "TerepBench",
            dependencies: [
                "SurveyModel", "SurveyCompiler", "InterviewEngine", "SurveyStore", "SurveyStorePostgres",
                "SurveySync", "SurveyExport", "SurveyReport", "Fieldwork", "TestSupportFixtures", "TerminalInterviewer",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
            ],
            path: "Benchmarks/TerepBench"),
        // Fuzz targets (built only with scripts/fuzz*.sh; plain builds print a hint), over one
        // shared entry (libFuzzer's callback and driver, --write-seeds).
        .target(name: "FuzzSupport", dependencies: ["CLibFuzzer"], path: "Fuzz/FuzzSupport"),
        .executableTarget(
            name: "FuzzParser", dependencies: ["SurveyCompiler", "FuzzSupport"],
            path: "Fuzz/FuzzParser"),
        .executableTarget(
            name: "FuzzBundle", dependencies: ["SurveySync", "SurveyModel", "FuzzSupport"],
            path: "Fuzz/FuzzBundle"),
        .executableTarget(
            name: "FuzzMerge",
            dependencies: ["Fieldwork", "SurveyCompiler", "SurveyDiagnostics", "SurveyStore", "SurveySync", "SurveyModel", "FuzzSupport"],
            path: "Fuzz/FuzzMerge"),

        // Shared fixtures for tests and benchmarks (synthetic questionnaire generator).
        .target(name: "TestSupportFixtures", dependencies: ["SurveyModel"], path: "Tests/TestSupportFixtures"),
        // Test helpers: golden files, diagnostic markers, the engine Scenario driver.
        .target(
            name: "SurveyTestSupport",
            dependencies: [
                "SurveyModel", "SurveyDiagnostics", "SurveyCompiler", "InterviewEngine", "SurveySync",
                "TestSupportFixtures",
            ],
            path: "Tests/SurveyTestSupport"),

        .testTarget(
            name: "SurveyModelTests",
            dependencies: ["SurveyModel", .product(name: "PropertyBased", package: "swift-property-based")]),
        .testTarget(
            name: "SurveyCompilerTests",
            dependencies: ["SurveyCompiler", "SurveyDiagnostics", "SurveyModel", "SurveyTestSupport"],
            exclude: ["Golden"]),
        .testTarget(
            name: "InterviewEngineTests",
            dependencies: ["InterviewEngine", "SurveyModel", "SurveyTestSupport"]),
        // The central dataset's implementations the store and fieldwork tests run against
        // (SQLite, and PostgreSQL on the test cluster).
        .target(
            name: "CentralTestSupport", dependencies: ["SurveyStore", "SurveyStorePostgres"], path: "Tests/CentralTestSupport"),
        .testTarget(
            name: "SurveyStoreTests",
            dependencies: [
                "SurveyStore", "SurveyStorePostgres", "SurveyModel", "CentralTestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]),
        .testTarget(
            name: "SurveySyncTests", dependencies: ["SurveySync", "SurveyModel", "SurveyTestSupport"], exclude: ["Fixtures"]),
        .testTarget(
            name: "SurveyExportTests",
            // SurveyCompiler only to derive schemas of the real questionnaires in tests.
            dependencies: ["SurveyExport", "SurveyModel", "SurveyCompiler", "SurveyTestSupport"],
            exclude: ["Golden"]),
        .testTarget(
            name: "TerminalInterviewerTests",
            dependencies: ["TerminalInterviewer", "Fieldwork", "InterviewEngine", "SurveyModel", "SurveyTestSupport"],
            exclude: ["Golden"]),
        .testTarget(
            name: "FieldworkTests",
            dependencies: [
                "Fieldwork", "SurveyModel", "InterviewEngine", "SurveyStore", "SurveyExport", "SurveyCompiler", "SurveySync",
                "SurveyReport", "SurveyTestSupport", "CentralTestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            exclude: ["Golden"]),
        .testTarget(
            name: "SurveyReportTests",
            // InterviewEngine only for its seeded generator (SplitMix64) in the fuzzing test.
            dependencies: ["SurveyReport", "SurveyModel", "InterviewEngine"]),
        .testTarget(
            name: "TerepEndToEndTests",
            // `terep` is listed so that `swift test` links the executable these tests run.
            dependencies: [
                "SurveyModel", "SurveyStore", "SurveyStorePostgres", "SurveySync", "SurveyTestSupport", "SyncServer", "terep",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]),
    ]
)
