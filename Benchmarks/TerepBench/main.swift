// terep benchmarks. Run in release mode:
//   swift run -c release TerepBench [name…]
// Each benchmark prints its figure beside a baseline measured in the same run.

import Foundation

/// Every benchmark by name; add yours here (one file per benchmark in this folder).
let benchmarks: [(name: String, run: () throws -> Void)] = [
    ("compile", CompileBenchmark.run),
    ("compile-phases", CompileBenchmark.runPhases),
    ("compile-process", CompileProcessBenchmark.run),
    ("store", StoreBenchmark.run),
    ("merge", MergeBenchmark.run),
    ("merge-postgres", PostgresMergeBenchmark.run),
    ("sync", SyncBenchmark.run),
    ("bundle-memory", BundleMemoryBenchmark.run),
    ("engine", EngineBenchmark.run),
    ("export", ExportBenchmark.run),
    ("export-versions", VersionExportBenchmark.run),
    ("fieldwork", FieldworkBenchmark.run),
    ("fieldwork-cache", CleanedCacheBenchmark.run),
    ("cold-clean", ColdCleanBenchmark.run),
    ("fuzz-template", FuzzTemplateBenchmark.run),
    ("report-scale", CleanedCacheBenchmark.runAtScale),
    ("report", ReportBenchmark.run),
    ("interview-commit", InterviewCommitBenchmark.run),
    ("screen", ScreenBenchmark.run),
    ("server-load", ServerLoadBenchmark.run),
    ("sample-import", CasesBenchmark.runSampleImport),
    ("sample-import-postgres", PostgresSampleBenchmark.run),
    ("cases", CasesBenchmark.runCaseList),
    ("package", CasesBenchmark.runPackage),
]

let wanted = Set(CommandLine.arguments.dropFirst())
let unknown = wanted.subtracting(benchmarks.map(\.name)).sorted()
if !unknown.isEmpty {
    let names = benchmarks.map(\.name).joined(separator: " ")
    FileHandle.standardError.write(Data("TerepBench: no benchmark named \(unknown.joined(separator: ", ")); the names: \(names)\n".utf8))
    exit(64)
}
for b in benchmarks where wanted.isEmpty || wanted.contains(b.name) {
    print("== \(b.name)")
    try b.run()
}
if benchmarks.isEmpty { print("no benchmarks registered yet") }
